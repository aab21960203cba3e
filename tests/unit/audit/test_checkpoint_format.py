"""The checkpoint format, checked as an outside tool would: cryptography and rfc8785 directly."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared.audit.checkpoint import (
    CHECKPOINT_TYPE,
    checkpoint_event,
    checkpoint_signature_ok,
    rotation_of,
    rotation_signature_ok,
    sign_checkpoint,
)
from shared.audit.keys import KeyRing

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def fixed_clock() -> datetime:
    return datetime(2026, 12, 2, 3, 15, 0, 123456, tzinfo=UTC)


def raw(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def ring(tmp_path: Path) -> KeyRing:
    return KeyRing.load_or_create(tmp_path / "keys" / "k.json", "jatim", "partners", fixed_clock)


def test_a_key_is_made_once_and_kept_in_a_0600_file(ring: KeyRing, tmp_path: Path) -> None:
    path = tmp_path / "keys" / "k.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = KeyRing.load_or_create(path, "jatim", "partners")
    assert again.current.key_id == ring.current.key_id
    [served] = again.public_keys()
    assert set(served) == {"key_id", "region", "service", "public_key", "valid_from"}
    public = raw(served["public_key"])
    assert len(public) == 32 and "=" not in served["public_key"]
    assert served["key_id"] == hashlib.sha256(public).hexdigest()[:16]
    assert served["valid_from"] == "2026-12-02T03:15:00.123456Z"


def test_the_signature_covers_the_jcs_of_the_six_other_members(ring: KeyRing) -> None:
    data = sign_checkpoint(
        ring.current,
        region="jatim",
        service="partners",
        position=42,
        hash="ab" * 32,
        signed_at="2026-12-02T03:15:00.123456Z",
    )
    assert list(data) == [
        "region",
        "service",
        "position",
        "hash",
        "signed_at",
        "key_id",
        "signature",
    ]
    assert "=" not in data["signature"] and len(raw(data["signature"])) == 64
    message = rfc8785.dumps({k: v for k, v in data.items() if k != "signature"})
    key = Ed25519PublicKey.from_public_bytes(raw(ring.public_keys()[0]["public_key"]))
    key.verify(raw(data["signature"]), message)  # raises if not
    assert checkpoint_signature_ok(data, ring.public_keys()[0]["public_key"])
    forged = {**data, "position": 41}
    with pytest.raises(InvalidSignature):
        key.verify(
            raw(forged["signature"]),
            rfc8785.dumps({k: v for k, v in forged.items() if k != "signature"}),
        )
    assert not checkpoint_signature_ok(forged, ring.public_keys()[0]["public_key"])


def test_the_cloudevent_envelope(ring: KeyRing) -> None:
    data = sign_checkpoint(
        ring.current,
        region="jatim",
        service="partners",
        position=1,
        hash="0f" * 32,
        signed_at="2026-12-02T03:15:00.123456Z",
    )
    event = json.loads(json.dumps(checkpoint_event(data, event_id="e1")))
    assert event["type"] == CHECKPOINT_TYPE == "pas.audit.checkpoint_signed.v1"
    assert event["source"] == "/pas/jatim/partners"
    assert event["subject"] == "pas.checkpoints.jatim.partners"
    assert event["specversion"] == "1.0" and TIME.match(event["time"])
    assert event["time"] == data["signed_at"] and event["data"] == data
    assert rotation_of(event) is None


def test_a_rotation_is_announced_with_the_old_key(ring: KeyRing) -> None:
    old = ring.current
    new = ring.rotate(fixed_clock)
    assert ring.unannounced == (old, new)
    data = sign_checkpoint(
        old,
        region="jatim",
        service="partners",
        position=7,
        hash="1" * 64,
        signed_at="2026-12-02T03:15:00.123456Z",
    )
    event = checkpoint_event(data, event_id="e2", announce=(old, new))
    assert set(event["data"]) == set(data)  # the firm seven, nothing added
    assert rotation_of(event) == {
        "key_id": new.key_id,
        "public_key": new.public_key,
        "valid_from": new.valid_from,
    }
    assert rotation_signature_ok(event, old.public_key)
    assert not rotation_signature_ok(event, new.public_key)
    assert not rotation_signature_ok({**event, "nextkeyid": old.key_id}, old.public_key)
    ring.mark_announced()
    reloaded = KeyRing.load_or_create(ring.path, "jatim", "partners")
    assert [k["key_id"] for k in reloaded.public_keys()] == [old.key_id, new.key_id]
    assert reloaded.unannounced is None
