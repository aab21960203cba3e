"""The signed checkpoint of a log's head (firm: outside tools verify it).

A checkpoint is a CloudEvent of type `pas.audit.checkpoint_signed.v1`, source
`/pas/<region>/<service>`, published on `pas.checkpoints.<region>.<service>`
(also its CloudEvent `subject`), `time` = `signed_at`, with `data` exactly

    {"region", "service", "position", "hash", "signed_at", "key_id", "signature"}

`signature` is the unpadded base64url Ed25519 signature over the RFC 8785 JSON
of the other six members.

Key rotation. A checkpoint signed with the outgoing key may carry four more
CloudEvent extension attributes announcing its successor: `nextkeyid`,
`nextpublickey`, `nextkeyvalidfrom` and `nextkeysignature`, the last being the
outgoing key's signature over the RFC 8785 JSON of the rotation statement
`{"region", "service", "previous_key_id", "key_id", "public_key", "valid_from"}`.
`data` stays the firm seven members; a reader that ignores the extensions still
sees an ordinary checkpoint.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature

from shared.audit.keys import SigningKey, b64url_decode, public_key_of

CHECKPOINT_TYPE = "pas.audit.checkpoint_signed.v1"
CHECKPOINT_ROOT = "pas.checkpoints"
SIGNED = ("region", "service", "position", "hash", "signed_at", "key_id")
DATA_KEYS = frozenset((*SIGNED, "signature"))
ROTATION = {"nextkeyid": "key_id", "nextpublickey": "public_key", "nextkeyvalidfrom": "valid_from"}
ROTATION_SIGNATURE = "nextkeysignature"


def checkpoint_subject(region: str, service: str) -> str:
    return f"{CHECKPOINT_ROOT}.{region}.{service}"


def signed_bytes(data: dict[str, Any]) -> bytes:
    """RFC 8785 JSON of the six signed members."""
    return rfc8785.dumps({name: data[name] for name in SIGNED})


def sign_checkpoint(
    key: SigningKey, *, region: str, service: str, position: int, hash: str, signed_at: str
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": region,
        "service": service,
        "position": position,
        "hash": hash,
        "signed_at": signed_at,
        "key_id": key.key_id,
    }
    data["signature"] = key.sign(signed_bytes(data))
    return data


def signature_ok(message: bytes, signature: str, public_key: str) -> bool:
    try:
        public_key_of(public_key).verify(b64url_decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def checkpoint_signature_ok(data: dict[str, Any], public_key: str) -> bool:
    try:
        message = signed_bytes(data)
    except (KeyError, TypeError, ValueError, rfc8785.CanonicalizationError):
        return False
    return isinstance(data.get("signature"), str) and signature_ok(
        message, data["signature"], public_key
    )


def rotation_statement(
    region: str, service: str, previous_key_id: str, new: dict[str, str]
) -> bytes:
    """RFC 8785 JSON of what the outgoing key signs about its successor."""
    return rfc8785.dumps(
        {
            "region": region,
            "service": service,
            "previous_key_id": previous_key_id,
            "key_id": new["key_id"],
            "public_key": new["public_key"],
            "valid_from": new["valid_from"],
        }
    )


def rotation_of(event: dict[str, Any]) -> dict[str, str] | None:
    """The successor key a checkpoint announces ({key_id, public_key, valid_from}), if any."""
    if "nextkeyid" not in event:
        return None
    return {field: str(event.get(attribute, "")) for attribute, field in ROTATION.items()}


def rotation_signature_ok(event: dict[str, Any], public_key: str) -> bool:
    """Whether the announcement in a checkpoint is signed by the key that signed it."""
    new, data = rotation_of(event), event.get("data", {})
    if new is None:
        return False
    statement = rotation_statement(data["region"], data["service"], data["key_id"], new)
    return signature_ok(statement, str(event.get(ROTATION_SIGNATURE, "")), public_key)


def checkpoint_event(
    data: dict[str, Any], *, event_id: str, announce: tuple[SigningKey, SigningKey] | None = None
) -> dict[str, Any]:
    """The CloudEvent carrying a checkpoint (with a rotation announcement if given)."""
    region, service = data["region"], data["service"]
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": event_id,
        "source": f"/pas/{region}/{service}",
        "type": CHECKPOINT_TYPE,
        "subject": checkpoint_subject(region, service),
        "time": data["signed_at"],
        "datacontenttype": "application/json",
        "region": region,
    }
    if announce is not None:
        old, new = announce
        public = {"key_id": new.key_id, "public_key": new.public_key, "valid_from": new.valid_from}
        for attribute, field in ROTATION.items():
            event[attribute] = public[field]
        event[ROTATION_SIGNATURE] = old.sign(
            rotation_statement(region, service, old.key_id, public)
        )
    event["data"] = data
    return event


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
