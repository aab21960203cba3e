"""<state>/ports.json: the ports a dev stack used, so that the next run gets the same ones.

A second `make demo` then keeps its addresses (bookmarks, `/docs` tabs, scripts
that read them) whenever those ports are still free; a port taken meanwhile is
replaced by a new free one, which is remembered in turn.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

from shared.devstack.processes import free_port

FILE_NAME = "ports.json"
HOST = "127.0.0.1"
_LOCK = threading.Lock()  # servers pick their ports from several threads


def is_free(port: int, host: str = HOST) -> bool:
    """Whether nothing listens on host:port now (a server could bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers do: connections of the last run left in TIME_WAIT do not block it.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def remembered_port(state_dir: Path, name: str) -> int:
    """The port `name` had in the last run under state_dir if it is free, else a new free one;
    either way remembered for the next run."""
    path = Path(state_dir) / FILE_NAME
    with _LOCK:
        try:
            ports = json.loads(path.read_text())
        except (OSError, ValueError):
            ports = {}
        if not isinstance(ports, dict):
            ports = {}
        last = ports.get(name)
        taken = {port for key, port in ports.items() if key != name}
        port = last if isinstance(last, int) and last not in taken and is_free(last) else 0
        while not port or port in taken:
            port = free_port()
        if port != last:
            ports[name] = port
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(ports, indent=2, sort_keys=True) + "\n")
            os.replace(temporary, path)
        return port
