"""Ed25519 signing keys of one service log, kept in a file of their own (never in the log).

The file (JSON, mode 0600, folder 0700) holds every key the log has used, oldest
first; the last is the current one. A key that is not yet `announced` was made by
a rotation: the signer announces it with a checkpoint signed by the key before it
(see shared.audit.checkpoint), then marks it announced.

    key_id      first 16 hex digits of SHA-256 over the raw 32-byte public key
    public_key  base64url (no padding) of the raw 32 bytes
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from shared.ids import Clock, format_time, utc_now


def b64url(raw: bytes) -> str:
    """Unpadded base64url, as the checkpoint format writes keys and signatures."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id_of(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def public_key_of(public_b64: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(public_b64))


@dataclass
class SigningKey:
    """One Ed25519 key of a log and since when it signs."""

    private: Ed25519PrivateKey
    valid_from: str
    announced: bool = True

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_raw)

    @property
    def public_key(self) -> str:
        return b64url(self.public_raw)

    def sign(self, message: bytes) -> str:
        return b64url(self.private.sign(message))

    def to_file(self) -> dict[str, Any]:
        raw = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return {
            "private_key": b64url(raw),
            "key_id": self.key_id,
            "valid_from": self.valid_from,
            "announced": self.announced,
        }

    @classmethod
    def from_file(cls, item: dict[str, Any]) -> SigningKey:
        private = Ed25519PrivateKey.from_private_bytes(b64url_decode(item["private_key"]))
        return cls(private, item["valid_from"], bool(item.get("announced", True)))

    @classmethod
    def generate(cls, clock: Clock, *, announced: bool) -> SigningKey:
        return cls(Ed25519PrivateKey.generate(), format_time(clock()), announced)


class KeyRing:
    """The keys of one log (region, service), read from and written to `path`."""

    def __init__(self, path: Path, region: str, service: str, keys: list[SigningKey]) -> None:
        self.path = path
        self.region = region
        self.service = service
        self.keys = keys

    @classmethod
    def load_or_create(
        cls, path: Path, region: str, service: str, clock: Clock = utc_now
    ) -> KeyRing:
        """The key file's keys; a first key is generated (and saved) when there is none."""
        if path.exists():
            doc = json.loads(path.read_text())
            ring = cls(path, region, service, [SigningKey.from_file(k) for k in doc["keys"]])
            if ring.keys:
                return ring
        ring = cls(path, region, service, [SigningKey.generate(clock, announced=True)])
        ring.save()
        return ring

    @property
    def current(self) -> SigningKey:
        return self.keys[-1]

    @property
    def unannounced(self) -> tuple[SigningKey, SigningKey] | None:
        """(previous key, new key) when the current key still has to be announced."""
        if len(self.keys) > 1 and not self.current.announced:
            return self.keys[-2], self.current
        return None

    def rotate(self, clock: Clock = utc_now) -> SigningKey:
        """Make a new current key, to be announced by a checkpoint signed with the old one."""
        key = SigningKey.generate(clock, announced=False)
        self.keys.append(key)
        self.save()
        return key

    def mark_announced(self) -> None:
        self.current.announced = True
        self.save()

    def public_keys(self) -> list[dict[str, str]]:
        """The keys as `GET /audit/keys` serves them, oldest first."""
        return [
            {
                "key_id": k.key_id,
                "region": self.region,
                "service": self.service,
                "public_key": k.public_key,
                "valid_from": k.valid_from,
            }
            for k in self.keys
        ]

    def save(self) -> None:
        """Write the file with 0600 rights (its folder 0700), atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        doc = {
            "region": self.region,
            "service": self.service,
            "keys": [k.to_file() for k in self.keys],
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(doc, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
