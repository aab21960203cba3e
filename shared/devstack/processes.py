"""Small process helpers for the dev stack: free ports, liveness, stopping by pid.

A server is only ever stopped by its pid and only when its command line still
names our state folder, so a reused pid never hits somebody else's process.
"""

from __future__ import annotations

import concurrent.futures
import signal
import socket
import time
from collections.abc import Callable, Sequence

import psutil


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def is_running(pid: int | None, marker: str | None = None) -> bool:
    """Whether pid is a live process (not a zombie) whose command line contains marker."""
    if not pid:
        return False
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        return marker is None or marker in " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def wait_until(check: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    """Poll check() until it is true or timeout seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def stop_pid(pid: int, marker: str, sig: int = signal.SIGTERM, timeout: float = 20.0) -> bool:
    """Send sig to pid if it is still ours (marker); SIGKILL after timeout. True if it ran."""
    if not marker:
        raise ValueError("a marker is required: it keeps us from stopping a stranger's process")
    if not is_running(pid, marker):
        return False
    try:
        psutil.Process(pid).send_signal(sig)
        if not wait_until(lambda: not is_running(pid), timeout, 0.05):
            psutil.Process(pid).kill()
            wait_until(lambda: not is_running(pid), 5.0, 0.05)
    except psutil.NoSuchProcess:
        pass
    return True


def pids_with(marker: str, name: str) -> list[int]:
    """Live processes called name whose command line contains marker (strays of a killed run)."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if proc.info["name"] == name and marker in " ".join(cmdline):
            found.append(proc.pid)
    return found


def in_parallel(starts: Sequence[Callable[[], None]]) -> None:
    """Run blocking steps (starting or stopping servers) side by side; the first error raises."""
    if not starts:
        return
    with concurrent.futures.ThreadPoolExecutor(len(starts)) as pool:
        for future in [pool.submit(start) for start in starts]:
            future.result()
