"""The projection runner's pull reader, against a scripted NATS: order, one request ahead,
and no batch handed over with a hole in it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from nats.aio.msg import Msg

from shared.ack_reply import ack_info
from shared.pull import OrderedPull, PullBroken, PullStalled

INBOX = "_INBOX.test"


class FakeNats:
    """Records pull requests; the test plays the server by calling the inbox callback."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.cb: Any = None
        self.unsubscribed = False
        self.config: Any = None

    def new_inbox(self) -> str:
        return INBOX

    async def subscribe(
        self, subject: str, *, cb: Any, pending_msgs_limit: int, pending_bytes_limit: int
    ) -> Any:
        assert subject == INBOX and pending_msgs_limit == 0 and pending_bytes_limit == 0
        self.cb = cb
        nats = self

        class Sub:
            async def unsubscribe(self) -> None:
                nats.unsubscribed = True

        return Sub()

    async def publish(self, subject: str, payload: bytes, reply: str) -> None:
        assert subject.startswith("$JS.API.CONSUMER.MSG.NEXT.S.pas_") and reply == INBOX
        self.requests.append(json.loads(payload))

    async def add_consumer(self, stream: str, config: Any) -> None:
        self.config = config


def data(stream_seq: int, consumer_seq: int, pending: int) -> Msg:
    reply = f"$JS.ACK.S.c1.1.{stream_seq}.{consumer_seq}.1700000000000000000.{pending}"
    return Msg(None, subject="pas.events.x", reply=reply, data=b"m%d" % stream_seq)  # type: ignore[arg-type]


def status(code: str, description: str = "") -> Msg:
    return Msg(
        None,
        subject=INBOX,
        reply="",
        data=b"",  # type: ignore[arg-type]
        headers={"Status": code, "Description": description},
    )


async def started(
    batch: int = 3, prepare: Any = None, after_seq: int = 0, keep: Any = None
) -> tuple[OrderedPull, FakeNats]:
    fake = FakeNats()
    pull = OrderedPull(
        fake,
        fake,
        "S",
        ["pas.events.>"],
        after_seq,
        batch=batch,  # type: ignore[arg-type]
        expires=0.05,
        prepare=prepare or (lambda msg, seq: ("item", seq)),
        keep=keep,
    )
    await pull.start()
    return pull, fake


async def settle() -> None:
    """Let the task in `take()` run as far as it can."""
    for _ in range(10):
        await asyncio.sleep(0)


async def deliver(fake: FakeNats, *msgs: Msg) -> None:
    for msg in msgs:
        await fake.cb(msg)


def test_ack_info_reads_both_reply_forms() -> None:
    assert ack_info("$JS.ACK.S.c.1.10.3.1700000000000000000.5") == (10, 3, 5)
    assert ack_info("$JS.ACK.dom.acchash.S.c.1.10.3.1700000000000000000.5.xyz") == (10, 3, 5)
    assert ack_info("_INBOX.abc") is None
    msg = data(42, 1, 0)
    assert ack_info(msg.reply)[0] == 42 == msg.metadata.sequence.stream  # type: ignore[index]


async def test_batches_come_in_order_with_the_next_request_already_out() -> None:
    pull, fake = await started(batch=3, after_seq=100)
    assert fake.config.opt_start_seq == 101 and fake.config.filter_subject == "pas.events.>"
    taking = asyncio.create_task(pull.take())
    await settle()
    assert fake.requests == [{"batch": 3, "expires": 50_000_000}]
    await deliver(fake, data(101, 1, 9), data(103, 2, 8))
    await settle()
    assert not taking.done()  # more is pending and the request is still open: wait for it
    await deliver(fake, data(104, 3, 7))
    msgs, seqs, items = await taking
    assert seqs == [101, 103, 104] and items == [("item", s) for s in seqs]
    assert [m.data for m in msgs] == [b"m101", b"m103", b"m104"]
    assert len(fake.requests) == 2  # the next batch was asked for before this one was handed over
    await deliver(fake, data(105, 4, 6), data(106, 5, 5), data(107, 6, 4))
    assert (await pull.take())[1] == [105, 106, 107]
    assert len(fake.requests) == 3
    await pull.close()
    assert fake.unsubscribed


async def test_caught_up_messages_are_handed_over_at_once_and_idle_ends_empty() -> None:
    pull, fake = await started(batch=5)
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(fake, data(1, 1, 1), data(2, 2, 0))  # nothing more pending: hand over now
    assert (await taking)[1] == [1, 2]
    assert len(fake.requests) == 1  # the request is still open: no second one
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(fake, data(3, 3, 0))  # a new event while the request lingers
    assert (await taking)[1] == [3]
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(fake, status("408", "Request Timeout"))  # it expires; the next one idles
    await settle()
    assert len(fake.requests) == 2
    await deliver(fake, status("408", "Request Timeout"))
    assert await taking == ([], [], [])  # a whole request passed with nothing: caught up
    taking = asyncio.create_task(pull.take())
    await settle()
    assert len(fake.requests) == 3  # and the next take asks again
    await deliver(fake, data(9, 4, 0))
    assert (await taking)[1] == [9]


async def test_a_request_that_ends_early_hands_over_what_came() -> None:
    pull, fake = await started(batch=5)
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(fake, data(1, 1, 3), data(2, 2, 2))
    await settle()
    assert not taking.done()
    await deliver(fake, status("408", "Request Timeout"))
    assert (await taking)[1] == [1, 2]
    assert len(fake.requests) == 2  # ended: the next one is out


@pytest.mark.parametrize(
    "bad",
    [data(3, 3, 0), data(2, 1, 0), data(1, 2, 0)],  # a consumer sequence skipped or repeated
)
async def test_a_lost_or_repeated_message_breaks_the_batch(bad: Msg) -> None:
    pull, fake = await started(batch=5)
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(fake, data(1, 1, 4), bad)
    with pytest.raises(PullBroken, match="lost"):
        await taking


@pytest.mark.parametrize("code", ["409", "503", "400", None])
async def test_an_unexpected_status_breaks_it(code: str | None) -> None:
    pull, fake = await started()
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(
        fake,
        status(code, "Consumer Deleted")
        if code
        else Msg(  # type: ignore[arg-type]
            None, subject=INBOX, reply="", data=b"stranger"
        ),
    )
    with pytest.raises(PullBroken):
        await taking


async def test_silence_is_a_stall() -> None:
    pull, fake = await started()
    pull.grace = 0.05
    with pytest.raises(PullStalled):
        await pull.take()


async def test_a_failing_prepare_is_raised_by_take() -> None:
    def prepare(msg: Msg, seq: int) -> Any:
        if seq == 2:
            raise KeyError("boom")
        return seq

    pull, fake = await started(prepare=prepare)
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(fake, data(1, 1, 2), data(2, 2, 1))
    with pytest.raises(KeyError):
        await taking


def on_subject(stream_seq: int, consumer_seq: int, pending: int, subject: str) -> Msg:
    msg = data(stream_seq, consumer_seq, pending)
    msg.subject = subject
    return msg


async def test_deliveries_not_kept_count_in_the_order_but_are_not_handed_over() -> None:
    prepared: list[int] = []

    def prepare(msg: Msg, seq: int) -> tuple[str, int]:
        prepared.append(seq)
        return ("item", seq)

    pull, fake = await started(
        batch=4, prepare=prepare, keep=lambda subject: subject.startswith(b"pas.events.aceh.")
    )
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(
        fake,
        on_subject(1, 1, 3, "pas.events.aceh.partners.x"),
        on_subject(2, 2, 2, "pas.events.jatim.partners.x"),
        on_subject(3, 3, 1, "pas.events.jatim.programs.y"),
        on_subject(4, 4, 0, "pas.events.aceh.programs.y"),
    )
    msgs, seqs, _ = await taking
    assert seqs == [1, 4] and prepared == [1, 4]  # the others were never decoded
    taking = asyncio.create_task(pull.take())
    await settle()
    await deliver(fake, on_subject(6, 6, 0, "pas.events.jatim.programs.y"))  # 5 never came
    with pytest.raises(PullBroken, match="lost"):
        await taking
