"""Reading a JetStream pull consumer in order, one batch ahead (`OrderedPull`, for projections).

Pull requests go out on an inbox of our own and the answers are collected in a
callback (cheaper per message than nats-py's `fetch()`); the next batch's
request is in flight while the current one is applied, and batches are handed
over strictly in order. A gap in the consumer sequence or an unexpected status
breaks the pull (`PullBroken`), no answer in time stalls it (`PullStalled`):
the runner then resumes from its stored checkpoint.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from shared import direct_inbox
from shared.ack_reply import ack_info

_YIELD_EVERY = 50  # messages received (and parsed) between two pauses for other tasks


class PullStalled(Exception):
    """A pull request got no answer in time (NATS away, or the request lost)."""


class PullBroken(Exception):
    """The consumer cannot go on (a message missing, a status we do not expect)."""


class OrderedPull:
    """An ephemeral AckNone pull consumer, read in order with one request ahead.

    nats-py's `fetch()` waits for every message of a batch in its own task
    with its own timer (~26 µs per message here); this sends the same pull
    requests (`$JS.API.CONSUMER.MSG.NEXT`, batch and expiry) from an inbox of
    its own and collects the answers in a callback, about half the cost.

    * At most one request is open at a time, so every message and status on
      the inbox belongs to it. `take()` hands over the next batch and, if no
      request is open, sends the next one before returning: that batch
      arrives while the caller applies the current one.
    * Messages are handed over in the order the server delivered them, which
      for one consumer without acks is stream order. Every delivery carries
      the consumer's own sequence, which goes up by exactly one per message
      (no redeliveries without acks): a gap means a message was lost on the
      way, and `take()` raises `PullBroken` instead of handing over a batch
      with a hole (the runner then resumes from its stored checkpoint). The
      inbox has no pending limits, so nats-py never drops as a slow consumer;
      at most two batches are held.
    * A batch is handed over when it is full, when its request has ended
      (all delivered, or the server's 404/408 status), or when the last
      message says nothing more is pending (caught up: no waiting for the
      request to expire before applying a new event).
    * A request with no answer by its expiry plus a grace period raises
      `PullStalled`; any status other than 404/408 (e.g. 409 Consumer
      Deleted, 503 no responders) raises `PullBroken`.
    """

    def __init__(
        self,
        nc: NATS,
        js: JetStreamContext,
        stream: str,
        subjects: list[str],
        after_seq: int,
        *,
        batch: int,
        expires: float,
        prepare: Callable[[Msg, int], Any],
        keep: Callable[[bytes], bool] | None = None,
    ) -> None:
        """`keep(subject)`: whether a delivery is handed over at all (the others only count
        in the order checks): a reader of part of a stream that a filter on the server would
        cost more to select (see services/reporting/parts.py)."""
        self.nc = nc
        self.prepare = prepare
        self.keep = keep
        self.js = js
        self.stream = stream
        self.subjects = subjects
        self.after_seq = after_seq
        self.batch = batch
        self.expires = expires
        self.grace = max(1.0, 2 * expires)
        self.name = f"pas_{uuid.uuid4().hex}"
        self._next_subject = f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{self.name}"
        self._request_body = json.dumps(
            {"batch": batch, "expires": int(expires * 1_000_000_000)}
        ).encode()
        self._inbox = ""
        self._sub: Subscription | None = None
        self._routed: int | None = None  # the subscription read by `_direct`
        self._msgs: list[Msg] = []
        self._seqs: list[int] = []
        self._items: list[Any] = []  # prepare(msg, seq) of each
        self._pending = 0  # what the server had left after the last message received
        self._open = False  # a request is open on the server
        self._idle = False  # the last request ended without delivering anything
        self._want = 0  # messages the open request may still deliver
        self._delivered = 0  # consumer sequence of the last message received
        self._last_seq = after_seq
        self._error: Exception | None = None
        self._changed = asyncio.Event()

    async def start(self) -> None:
        seq = self.after_seq
        config = ConsumerConfig(
            name=self.name,
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE if seq else DeliverPolicy.ALL,
            opt_start_seq=seq + 1 if seq else None,
            inactive_threshold=30.0,
            filter_subject=self.subjects[0] if len(self.subjects) == 1 else None,
            filter_subjects=self.subjects if len(self.subjects) > 1 else None,
        )
        await self.js.add_consumer(self.stream, config=config)
        self._inbox = self.nc.new_inbox()
        self._sub = await self.nc.subscribe(
            self._inbox, cb=self._received, pending_msgs_limit=0, pending_bytes_limit=0
        )
        if direct_inbox.available(self.nc):  # straight from the reader (shared/direct_inbox.py)
            self._routed = self._sub._id
            direct_inbox.route(self.nc, self._routed, self._direct)

    async def close(self) -> None:
        if self._sub is not None:
            sub, self._sub = self._sub, None
            if self._routed is not None:
                direct_inbox.unroute(self.nc, self._routed)
            await sub.unsubscribe()

    @property
    def drained(self) -> bool:
        """The last message received said the consumer had nothing more (caught up)."""
        return self._delivered > 0 and self._pending == 0 and not self._msgs

    async def pending(self) -> int:
        """Messages the consumer still has to deliver (asked of the server)."""
        info = await self.js.consumer_info(self.stream, self.name)
        return int(info.num_pending or 0) + len(self._msgs)

    async def _request(self) -> None:
        self._open = True
        self._idle = False
        self._want = self.batch
        await self.nc.publish(self._next_subject, self._request_body, reply=self._inbox)

    async def _direct(self, subject: bytes, reply: bytes, data: bytes, headers: bytes) -> None:
        """A message as the server sent it: a delivery goes on without its headers parsed or a
        queue in between; anything else (a status) is read by nats-py's own code."""
        if self._error is not None:
            return
        try:
            info = ack_info(reply.decode()) if reply else None
        except ValueError:
            info = None
        if info is None:
            nc: Any = self.nc
            parsed = await nc._process_headers(headers)
            self._status(Msg(nc, subject.decode(), reply.decode(), data, parsed))
            self._changed.set()
            return
        if self.keep is not None and not self.keep(subject):
            await self._delivery(None, info)
            return
        msg = Msg(self.nc, subject.decode(), reply.decode(), data, None)
        await self._delivery(msg, info)

    async def _received(self, msg: Msg) -> None:
        if self._error is not None:
            return
        try:
            info = ack_info(msg.reply) if msg.reply else None
        except ValueError:
            info = None
        if info is None:
            self._status(msg)
            self._changed.set()
        elif self.keep is not None and not self.keep(msg.subject.encode()):
            await self._delivery(None, info)
        else:
            await self._delivery(msg, info)

    async def _delivery(self, msg: Msg | None, info: tuple[int, int, int]) -> None:
        """A message of the stream (None: one not kept): in order, or the pull breaks."""
        seq, delivered, pending = info
        if delivered != self._delivered + 1 or seq <= self._last_seq:
            self._error = PullBroken(
                f"consumer sequence {delivered} (stream {seq}) after {self._delivered}"
                f" (stream {self._last_seq}): a message was lost on the way"
            )
        else:
            self._delivered, self._last_seq, self._pending = delivered, seq, pending
            if msg is not None:
                try:
                    item = self.prepare(msg, seq)
                except Exception as exc:  # noqa: BLE001 - raised by take(), as parsing did
                    self._error = exc
                    self._changed.set()
                    return
                self._msgs.append(msg)
                self._seqs.append(seq)
                self._items.append(item)
            self._want -= 1
            if self._want <= 0:
                self._open = False
            elif pending:
                if delivered % _YIELD_EVERY == 0:
                    # nats-py hands us a whole batch without pausing: let the batch being
                    # applied send its next statement now and then (order is kept: the
                    # next message waits for this call to return)
                    await asyncio.sleep(0)
                return  # more of this request is on its way: `take()` would not be ready
        self._changed.set()

    def _status(self, msg: Msg) -> None:
        headers = msg.headers or {}
        status = headers.get("Status")
        if status in ("404", "408"):  # no messages / request expired: the request has ended
            self._idle = self._open and self._want == self.batch  # it delivered nothing
            self._open = False
        elif status != "100":  # 100: a heartbeat (not asked for, harmless)
            description = headers.get("Description", "")
            self._error = PullBroken(f"pull consumer status {status} {description}".strip())

    async def take(self) -> tuple[list[Msg], list[int], list[Any]]:
        """The next messages in order (up to a batch), their stream sequences and prepared items.

        Empty when a request ended with nothing: nothing new for `expires` seconds.
        """
        while True:
            if self._error is not None:
                raise self._error
            msgs = self._msgs
            if msgs and (len(msgs) >= self.batch or not self._open or self._pending == 0):
                n = self.batch
                taken, seqs, items = msgs[:n], self._seqs[:n], self._items[:n]
                del msgs[:n], self._seqs[:n], self._items[:n]
                if not self._open:  # (the buffer is empty now: it never holds over a batch)
                    await self._request()  # the next batch comes while this one is applied
                return taken, seqs, items
            if not self._open:
                if self._idle:
                    self._idle = False
                    return [], [], []
                await self._request()
                continue  # answers may have come in while the request was sent
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), self.expires + self.grace)
            except TimeoutError:
                raise PullStalled(
                    f"no answer from {self.stream} in {self.expires + self.grace:.1f} s"
                ) from None
