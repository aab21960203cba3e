"""Dead letters: what a consumer cannot parse or apply, kept on `pas.deadletter.<consumer>`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from shared.envelope import CONTENT_TYPE, deadletter_subject

if TYPE_CHECKING:
    from shared.readmodel import Delivered


class DeadLetters:
    """Publishes unprocessable messages, with why, to the consumer's dead-letter subject."""

    def __init__(self, js: JetStreamContext, consumer: str) -> None:
        self.js = js
        self.subject = deadletter_subject(consumer)
        self.sent = 0

    async def send(self, msg: Msg, reason: str) -> None:
        meta: Any = msg.metadata
        headers = {
            "Pas-Deadletter-Reason": _one_line(reason),
            "Pas-Original-Subject": msg.subject,
            "Pas-Original-Stream": str(meta.stream),
            "Pas-Original-Sequence": str(meta.sequence.stream),
            "Nats-Msg-Id": f"dl:{self.subject}:{meta.stream}:{meta.sequence.stream}",
        }
        await self.js.publish(self.subject, msg.data, headers=headers)
        self.sent += 1

    async def send_delivered(self, item: Delivered, reason: str) -> None:
        """Dead-letter an event that was parsed but could not be applied (as its CloudEvent)."""
        recorded = item.recorded
        headers = {
            "Pas-Deadletter-Reason": _one_line(reason),
            "Pas-Original-Subject": recorded.nats_subject,
            "Pas-Original-Sequence": str(item.seq),
            "Content-Type": CONTENT_TYPE,
            "Nats-Msg-Id": f"dl:{self.subject}:{recorded.id}",
        }
        payload = item.raw if item.raw is not None else recorded.to_cloudevent_bytes()
        await self.js.publish(self.subject, payload, headers=headers)
        self.sent += 1


def _one_line(text: str) -> str:
    return " ".join(text.split())[:1000]
