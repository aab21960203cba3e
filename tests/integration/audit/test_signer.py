"""Checkpoints are signed every N events, after M minutes, at stop; a new key is announced."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from nats.aio.client import Client as NATS

from shared.audit.checkpoint import checkpoint_subject
from shared.audit.logcheck import checkpoints_of
from tests.integration.audit.kit import CHECKPOINTS, SignedLog
from tests.integration.support import stream_messages

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def test_checkpoints_on_the_wire_as_outside_tools_read_them(
    signed: SignedLog, nc: NATS
) -> None:
    kit = signed.kit
    msgs = await stream_messages(
        nc, CHECKPOINTS, checkpoint_subject(kit.region, kit.service), expect=3
    )
    assert [m.subject for m in msgs] == [f"pas.checkpoints.jatim.{kit.service}"] * 3
    heads = {e.position: e.hash async for batch in kit.store.read_log() for e in batch}
    [key] = signed.keys.public_keys()
    public = Ed25519PublicKey.from_public_bytes(unb64(key["public_key"]))
    assert key["key_id"] == hashlib.sha256(unb64(key["public_key"])).hexdigest()[:16]
    positions = []
    for msg in msgs:
        event = json.loads(msg.data)
        assert msg.headers and msg.headers["Nats-Msg-Id"] == event["id"]
        assert event["type"] == "pas.audit.checkpoint_signed.v1"
        assert event["source"] == f"/pas/jatim/{kit.service}"
        data = event["data"]
        assert set(data) == {
            "region",
            "service",
            "position",
            "hash",
            "signed_at",
            "key_id",
            "signature",
        }
        assert (data["region"], data["service"], data["key_id"]) == (
            "jatim",
            kit.service,
            key["key_id"],
        )
        assert TIME.match(data["signed_at"])
        assert data["hash"] == heads[data["position"]]
        public.verify(
            unb64(data["signature"]),
            rfc8785.dumps({k: v for k, v in data.items() if k != "signature"}),
        )
        positions.append(data["position"])
    assert positions == [120, 250, 260]


async def test_minutes_sign_a_quiet_log_once_and_a_restart_does_not_sign_again(
    signed: SignedLog,
) -> None:
    signer = signed.new_signer(every_events=1000, every_seconds=0.3)
    await signer.start()
    assert signer.signed_position == 260  # learnt from the stream
    assert await signer.tick() is None
    await signed.add(2)
    assert await signer.tick() is None  # 2 events: not yet
    await asyncio.sleep(0.35)
    assert (await signer.tick() or {}).get("position") == 262
    await asyncio.sleep(0.35)
    assert await signer.tick() is None  # nothing new: an idle log is not signed again


async def test_a_rotated_key_is_announced_by_the_old_one(signed: SignedLog) -> None:
    old = signed.keys.current
    new = signed.keys.rotate()
    await signed.add(1)
    signer = signed.new_signer(every_events=100, every_seconds=3600)
    await signer.start()  # announces at once
    checkpoints = await checkpoints_of(
        signed.nc.jetstream(), CHECKPOINTS, signed.kit.region, signed.kit.service
    )
    announcement, first_of_new = checkpoints[-2], checkpoints[-1]
    assert announcement["data"]["key_id"] == old.key_id
    assert announcement["nextkeyid"] == new.key_id
    assert announcement["nextpublickey"] == new.public_key
    assert first_of_new["data"]["key_id"] == new.key_id
    assert announcement["data"]["position"] == first_of_new["data"]["position"] == 261
    assert [k["key_id"] for k in signed.keys.public_keys()] == [old.key_id, new.key_id]
    assert signed.keys.unannounced is None
