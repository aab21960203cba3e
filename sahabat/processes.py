"""Starting and stopping service processes (`python -m services.<name>`) for the demo and tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from shared.devstack.processes import free_port


@dataclass
class ServiceProcess:
    """One running service process and where it listens."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def stop(self, timeout: float = 15.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def start_service(
    name: str,
    *,
    region: str,
    nats_url: str,
    database_url: str,
    log_dir: Path,
    port: int | None = None,
    extra_env: dict[str, str] | None = None,
    state_dir: Path | None = None,
) -> ServiceProcess:
    """Start one service process on a free loopback port (not yet waiting for it).

    Its own files (the checkpoint signing key) go under `state_dir`, by default
    `services/` beside the log folder.
    """
    port = port or free_port()
    env = dict(os.environ)
    env.update(
        {
            "PAS_REGION": region,
            "PAS_NATS_URL": nats_url,
            "PAS_DATABASE_URL": database_url,
            "PAS_HTTP_HOST": "127.0.0.1",
            "PAS_HTTP_PORT": str(port),
            "PAS_STATE_DIR": str(state_dir or log_dir.parent / "services"),
        }
    )
    env.update(extra_env or {})
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-{region}.log"
    log_file = open(log_path, "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(
        [sys.executable, "-m", f"services.{name}"],
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log_file.close()
    return ServiceProcess(name, f"http://127.0.0.1:{port}", process, log_path)


def wait_ready(service: ServiceProcess, timeout: float = 60.0) -> None:
    """Wait until the service answers /readyz with 200; fail with its log if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            tail = service.log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{service.name} exited ({service.process.returncode}):\n{tail}")
        try:
            if httpx.get(f"{service.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{service.name} not ready after {timeout:.0f} s; log: {service.log_path}")
