"""The multi-region shape: each region's log reaches the hub once and in order; identities are
held to their own region by NATS itself; readers at the hub are read-only."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import nats
import pytest
from nats.aio.client import Client as NATS
from nats.js.api import StreamConfig

from shared.devstack.topology import Credentials, TopologyInfo
from shared.relay import OutboxRelay
from tests.integration.regions.kit import connect, count, msg_ids, positions, wait_count
from tests.integration.support import Kit

pytestmark = pytest.mark.integration


async def test_a_regions_log_reaches_the_hub_once_in_order(
    shape: TopologyInfo, hub: NATS, pool: asyncpg.Pool
) -> None:
    jatim = shape.regions["jatim"]
    kit = Kit(pool, region="jatim")
    await kit.store.setup()
    recorded = await kit.append(40)
    region = await connect(jatim.nats_url, jatim.credentials)
    try:
        relay = OutboxRelay(kit.store, region, stream=jatim.stream, batch_size=7)
        assert await relay.publish_pending() == 40
        assert await relay.publish_pending() == 0  # nothing twice
        assert await wait_count(hub, shape.stream, kit.subjects, 40, 15) == 40
        assert await positions(hub, shape.stream, kit.subjects, 40) == list(range(1, 41))
        assert await msg_ids(hub, shape.stream, kit.subjects, 40) == [e.id for e in recorded]
        sourced = await hub.jetstream().get_last_msg(shape.stream, kit.subjects)
        assert sourced.headers and sourced.headers["Nats-Stream-Source"].startswith(jatim.stream)
        assert await count(hub, shape.stream, f"pas.events.jabar.{kit.service}.>") == 0
    finally:
        await region.close()


async def test_an_identity_publishing_in_another_regions_name_is_refused(
    shape: TopologyInfo, hub: NATS
) -> None:
    jatim, jabar = shape.regions["jatim"], shape.regions["jabar"]
    token = f"t{uuid.uuid4().hex[:8]}"
    errors: list[Exception] = []

    async def on_error(error: Exception) -> None:
        errors.append(error)

    region = await connect(jatim.nats_url, jatim.credentials, error_cb=on_error)
    try:
        with pytest.raises(nats.errors.TimeoutError):  # refused: no stream ever answers
            await region.jetstream().publish(f"pas.events.jabar.{token}.x", b"{}", timeout=1)
        await region.flush()
        assert any("permissions violation" in str(error).lower() for error in errors)
        ack = await region.jetstream().publish(f"pas.events.jatim.{token}.x", b"{}")
        assert ack.stream == jatim.stream  # its own region: accepted
    finally:
        await region.close()
    # jabar's identity does not exist on jatim's server at all
    with pytest.raises(nats.errors.Error):
        await nats.connect(
            jatim.nats_url,
            **jabar.credentials.options(),
            allow_reconnect=False,
            max_reconnect_attempts=0,
        )
    assert await wait_count(hub, shape.stream, f"pas.events.jatim.{token}.>", 1, 10) == 1
    assert await count(hub, shape.stream, f"pas.events.jabar.{token}.>") == 0
    admin = await connect(jabar.nats_url, jabar.admin)
    try:
        assert await count(admin, jabar.stream, f"pas.events.jabar.{token}.>") == 0
    finally:
        await admin.close()


async def test_a_message_smuggled_into_a_regions_stream_never_reaches_the_hub(
    shape: TopologyInfo, hub: NATS
) -> None:
    """jatim's own administrator makes jatim's stream take jabar's subjects: the hub still
    takes only jatim's subjects from jatim, and the leaf link carries nothing of jabar's."""
    jatim, jabar = shape.regions["jatim"], shape.regions["jabar"]
    token = f"t{uuid.uuid4().hex[:8]}"
    admin = await connect(jatim.nats_url, jatim.admin)
    js = admin.jetstream()
    original = (await js.stream_info(jatim.stream)).config
    try:
        widened = StreamConfig.from_response(original.as_dict())
        widened.subjects = [*(original.subjects or []), f"pas.events.jabar.{token}.>"]
        await js.update_stream(widened)
        smuggled = await js.publish(f"pas.events.jabar.{token}.partner_registered", b"{}")
        assert smuggled.stream == jatim.stream  # it is in jatim's stream...
        await js.publish(f"pas.events.jatim.{token}.after", b"{}")
        # ...the message after it arrives at the hub, the smuggled one does not
        assert await wait_count(hub, shape.stream, f"pas.events.jatim.{token}.>", 1, 10) == 1
        await asyncio.sleep(0.5)
        assert await count(hub, shape.stream, f"pas.events.jabar.{token}.>") == 0
        other = await connect(jabar.nats_url, jabar.admin)
        try:
            assert await count(other, jabar.stream, f"pas.events.jabar.{token}.>") == 0
        finally:
            await other.close()
    finally:
        await js.update_stream(original)
        await admin.close()


@pytest.mark.parametrize("reader", ["auditor", "reporting"])
async def test_readers_at_the_hub_read_and_change_nothing(shape: TopologyInfo, reader: str) -> None:
    credentials: Credentials = getattr(shape, reader)
    errors: list[Exception] = []

    async def on_error(error: Exception) -> None:
        errors.append(error)

    client = await connect(shape.hub_url, credentials, error_cb=on_error)
    js = client.jetstream(timeout=1)
    try:
        assert (await js.stream_info(shape.stream)).config.name == shape.stream
        for attempt in (
            js.publish("pas.events.jatim.partners.partner_registered", b"{}"),
            js.delete_stream(shape.stream),
            js.purge_stream(shape.stream),
            js.add_stream(StreamConfig(name="X", subjects=["pas.events.jatim.>"])),
        ):
            with pytest.raises((nats.errors.TimeoutError, nats.js.errors.Error)):
                await attempt
        await client.flush()
        assert sum("permissions violation" in str(error).lower() for error in errors) >= 4
        assert (await js.stream_info(shape.stream)).config.name == shape.stream
    finally:
        await client.close()
