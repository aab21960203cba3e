"""What a JetStream message's reply subject says: stream and consumer sequence, pending."""

from __future__ import annotations

from nats.aio.msg import Msg


def ack_info(reply: str) -> tuple[int, int, int] | None:
    """(stream sequence, consumer sequence, pending) from a JetStream message's reply subject.

    `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<time>.<pending>`, or the
    newer form with domain and account hash in front (nats-py's `Msg.Metadata` reads
    both the same way, but builds datetimes and dataclasses: ~10x the time).
    """
    tokens = reply.split(".")
    if len(tokens) < 9 or tokens[0] != "$JS" or tokens[1] != "ACK":
        return None
    if len(tokens) == 9:
        return int(tokens[5]), int(tokens[6]), int(tokens[8])
    if len(tokens) >= 11:
        return (
            int(tokens[Msg.Ack.StreamSeq]),
            int(tokens[Msg.Ack.ConsumerSeq]),
            int(tokens[Msg.Ack.NumPending]),
        )
    return None
