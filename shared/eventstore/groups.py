"""Group commit machinery: requests waiting at one moment are handled by one transaction.

`GroupWriter` knows nothing of SQL. Callers `submit` a request and await its
answer; one writer task (per writer, in the running event loop) takes every
request queued at that moment (up to `max_group`) as a `Group` and hands it to
the `commit` coroutine it was built with, which returns one outcome per
request: the result, or the exception that request alone must raise. Outcomes
are handed out only after `commit` returns (i.e. after COMMIT); if `commit`
raises, every request of the group gets that exception.

Lifecycle: the writer task is started on demand by `submit` and ends as soon
as the queue is empty, so it never keeps an event loop from closing and an
idle writer costs nothing; the next `submit` starts a new one. `close()` waits
until the queue is drained. A request whose caller is cancelled before its
group is taken is dropped; once taken it may still commit (its answer is then
thrown away). If the writer task itself dies (a bug, or it is cancelled), the
requests in flight and in the queue get the exception (cancelled ones are
cancelled) and the next `submit` starts a fresh writer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

R = TypeVar("R")

log = logging.getLogger(__name__)

DEFAULT_MAX_GROUP = 64


@dataclass
class GroupStats:
    """What the writer has done so far (for tests and the bench)."""

    groups: int = 0  # groups handed to `commit` (one transaction each, a redo aside)
    requests: int = 0  # requests in those groups
    largest: int = 0  # the largest group
    redone: int = 0  # groups redone request by request after a shared statement failed


@dataclass(eq=False, slots=True)
class _Pending(Generic[R]):
    request: R
    future: asyncio.Future[Any]


class Group(Generic[R]):
    """The requests one transaction handles, in queue order."""

    def __init__(self, writer: GroupWriter[R]) -> None:
        self._writer = writer
        self._pending: list[_Pending[R]] = []

    @property
    def requests(self) -> list[R]:
        return [p.request for p in self._pending]

    def __len__(self) -> int:
        return len(self._pending)

    def __iter__(self) -> Iterator[R]:
        return (p.request for p in self._pending)

    def take_more(self) -> None:
        """Add what was queued meanwhile (up to the cap): call before the group's reads."""
        queue, cap = self._writer._queue, self._writer.max_group
        while queue and len(self._pending) < cap:
            pending = queue.popleft()
            if not pending.future.done():  # a caller cancelled while queued: never started
                self._pending.append(pending)


class GroupWriter(Generic[R]):
    """A queue of requests and the task that commits them in groups."""

    def __init__(
        self,
        commit: Callable[[Group[R]], Awaitable[list[Any]]],
        *,
        max_group: int = DEFAULT_MAX_GROUP,
        name: str = "group writer",
        stats: GroupStats | None = None,
    ) -> None:
        if max_group < 1:
            raise ValueError("max_group must be at least 1")
        self._commit = commit
        self.max_group = max_group
        self.name = name
        self.stats = stats if stats is not None else GroupStats()
        self._queue: deque[_Pending[R]] = deque()
        self._task: asyncio.Task[None] | None = None

    async def submit(self, request: R) -> Any:
        """Queue `request` and wait for its outcome (returned, or raised)."""
        loop = asyncio.get_running_loop()
        self._forget_dead_loop(loop)
        future: asyncio.Future[Any] = loop.create_future()
        self._queue.append(_Pending(request, future))
        if self._task is None:
            self._task = loop.create_task(self._run(), name=self.name)
        return await future

    async def close(self) -> None:
        """Wait until every queued request is handled and the writer task has ended.

        Not required: an idle writer has no task. Submitting later starts a new one.
        """
        while self._task is not None:
            task = self._task
            await asyncio.wait({task})  # never raises; the callers got the writer's error
            if self._task is task:  # pragma: no cover - _run clears it on the way out
                self._task = None

    def _forget_dead_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """A writer left behind by an event loop that was closed while it ran."""
        task = self._task
        if task is None or task.get_loop() is loop:
            return
        if not task.get_loop().is_closed():
            raise RuntimeError(f"{self.name} is in use by another running event loop")
        self._task = None
        self._queue = deque(p for p in self._queue if p.future.get_loop() is loop)

    async def _run(self) -> None:
        group: Group[R] | None = None
        try:
            while self._queue:
                group = Group(self)
                group.take_more()
                if len(group) == 0:
                    continue
                try:
                    outcomes = await self._commit(group)
                except Exception as exc:  # noqa: BLE001 - the whole group failed: all learn why
                    outcomes = [exc] * len(group)
                self.stats.groups += 1
                self.stats.requests += len(group)
                self.stats.largest = max(self.stats.largest, len(group))
                for pending, outcome in zip(group._pending, outcomes, strict=True):
                    if pending.future.done():  # its caller was cancelled meanwhile
                        continue
                    if isinstance(outcome, BaseException):
                        pending.future.set_exception(outcome)
                    else:
                        pending.future.set_result(outcome)
                group = None
        except BaseException as exc:
            # The writer itself failed (a bug) or was cancelled: nobody may wait forever.
            stranded = (group._pending if group is not None else []) + list(self._queue)
            self._queue.clear()
            for pending in stranded:
                if pending.future.done():
                    continue
                if isinstance(exc, asyncio.CancelledError):
                    pending.future.cancel()
                else:
                    pending.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            # Its callers have the error; the next submit starts a new writer.
            log.error(
                "%s failed; %d requests got the error", self.name, len(stranded), exc_info=exc
            )
        finally:
            self._task = None
