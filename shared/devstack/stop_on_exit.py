"""Stopping the dev stack's servers at interpreter exit and on SIGTERM or SIGHUP.

After stopping, a signal ends the process as it would have (the previous
handler runs, or the default one is restored and the signal sent again).
Signal handlers are only installed from the main thread.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class StopOnExit:
    """Runs `stop` at exit and on the forwarded signals, until `release` is called."""

    def __init__(self, stop: Callable[[], None]) -> None:
        self._stop = stop
        self._previous_handlers: dict[int, Any] = {}

    def install(self) -> None:
        atexit.register(self._stop)
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in FORWARDED_SIGNALS:
            self._previous_handlers[signum] = signal.signal(signum, self._on_signal)

    def release(self) -> None:
        """Undo `install`: no stop at exit, the previous signal handlers back."""
        atexit.unregister(self._stop)
        if threading.current_thread() is not threading.main_thread():
            return
        for signum, previous in list(self._previous_handlers.items()):
            if signal.getsignal(signum) == self._on_signal:
                signal.signal(signum, previous)
            del self._previous_handlers[signum]

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        previous = self._previous_handlers.get(signum, signal.SIG_DFL)
        self._stop()
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            os.kill(os.getpid(), signum)  # handler restored by stop(): end as the signal would have
