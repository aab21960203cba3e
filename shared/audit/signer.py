"""The checkpoint signer: signs a log's published head every N events or M minutes, and at stop.

The head signed is the last position the outbox relay has had acked by
JetStream (and that position's hash): a checkpoint never names an event that
readers of the stream cannot see yet. "Every M minutes" counts from the first
event after the last checkpoint, so no event stays unsigned longer than that;
an idle log is not signed again and again.

Before the first checkpoint of a new key (after a rotation) the signer
publishes the announcement: a checkpoint of the current head signed with the
old key, naming the new one (see shared.audit.checkpoint).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from shared.audit.checkpoint import checkpoint_event, checkpoint_subject, encode, sign_checkpoint
from shared.audit.keys import KeyRing, SigningKey
from shared.envelope import CONTENT_TYPE
from shared.ids import Clock, format_time, utc_now, uuid7

log = logging.getLogger(__name__)

Head = Callable[[], Awaitable[tuple[int, str]]]


class CheckpointSigner:
    """Signs one log's head and publishes the checkpoints to `stream`."""

    def __init__(
        self,
        *,
        keys: KeyRing,
        js: JetStreamContext,
        stream: str,
        head: Head,
        every_events: int = 100,
        every_seconds: float = 600.0,
        poll_interval: float = 1.0,
        clock: Clock = utc_now,
    ) -> None:
        self.keys = keys
        self.js = js
        self.stream = stream
        self.head = head
        self.every_events = max(1, every_events)
        self.every_seconds = every_seconds
        self.poll_interval = poll_interval
        self.clock = clock
        self.subject = checkpoint_subject(keys.region, keys.service)
        self.signed_position = 0
        self._unsigned_since: float | None = None
        self._stopping = asyncio.Event()
        self._lock = asyncio.Lock()
        self.published: list[dict[str, Any]] = []  # data of the checkpoints this process signed

    async def start(self) -> None:
        """Learn the last signed position from the stream; announce a rotated key."""
        try:
            msg = await self.js.get_last_msg(self.stream, self.subject)
            self.signed_position = int(json.loads(msg.data or b"{}")["data"]["position"])
        except (NotFoundError, KeyError, TypeError, ValueError):
            self.signed_position = 0
        if self.keys.unannounced is not None:
            await self.sign(force=True)

    async def run(self) -> None:
        """Sign whenever due, until stopped."""
        while not self._stopping.is_set():
            try:
                await self.tick()
            except Exception as exc:  # noqa: BLE001 - signing must outlive outages
                log.warning(
                    "checkpoint of %s/%s not signed: %s", self.keys.region, self.keys.service, exc
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.poll_interval)

    async def tick(self) -> dict[str, Any] | None:
        """Sign if N events or M minutes have passed since the last checkpoint."""
        position, _ = await self.head()
        if position <= self.signed_position:
            self._unsigned_since = None
            return None
        now = time.monotonic()
        if self._unsigned_since is None:
            self._unsigned_since = now
        if (
            position - self.signed_position >= self.every_events
            or now - self._unsigned_since >= self.every_seconds
        ):
            return await self.sign()
        return None

    async def stop(self) -> dict[str, Any] | None:
        """Stop the loop and sign the head once more (a stopping service always signs)."""
        self._stopping.set()
        return await self.sign(force=True)

    async def sign(self, *, force: bool = False) -> dict[str, Any] | None:
        """Sign and publish the head now; None when the log is still empty.

        A key not yet announced is announced first, by a checkpoint of the same
        head signed with the key before it.
        """
        async with self._lock:
            position, hash_ = await self.head()
            if position == 0 or (position <= self.signed_position and not force):
                return None
            pending = self.keys.unannounced
            if pending is not None:
                await self._publish(pending[0], position, hash_, announce=pending)
                self.keys.mark_announced()
            data = await self._publish(self.keys.current, position, hash_)
            self.signed_position = position
            self._unsigned_since = None
            return data

    async def _publish(
        self,
        key: SigningKey,
        position: int,
        hash_: str,
        *,
        announce: tuple[SigningKey, SigningKey] | None = None,
    ) -> dict[str, Any]:
        data = sign_checkpoint(
            key,
            region=self.keys.region,
            service=self.keys.service,
            position=position,
            hash=hash_,
            signed_at=format_time(self.clock()),
        )
        event_id = str(uuid7())
        event = checkpoint_event(data, event_id=event_id, announce=announce)
        await self.js.publish(
            self.subject,
            encode(event),
            stream=self.stream,
            headers={"Nats-Msg-Id": event_id, "Content-Type": CONTENT_TYPE},
        )
        self.published.append(data)
        log.info(
            "signed %s/%s at position %d with key %s",
            self.keys.region,
            self.keys.service,
            position,
            key.key_id,
        )
        return data
