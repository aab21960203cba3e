"""The evidence bundle's layout (a zip file), manifest and the README written into it.

README.md                               how to verify it (Bahasa Indonesia, English)
manifest.json                           who made it, when, what; SHA-256 of every other file
keys.json                               {"keys": [...]} as the services serve GET /audit/keys
logs/<region>/<service>/events.jsonl    the log's CloudEvents, one a line, by position
logs/<region>/<service>/checkpoints.jsonl  its signed checkpoint CloudEvents, as published
"""

from __future__ import annotations

import hashlib
from typing import Any

FORMAT = "sahabat-audit-bundle/1"
MANIFEST = "manifest.json"
KEYS = "keys.json"
README = "README.md"


def events_file(region: str, service: str) -> str:
    return f"logs/{region}/{service}/events.jsonl"


def checkpoints_file(region: str, service: str) -> str:
    return f"logs/{region}/{service}/checkpoints.jsonl"


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def log_entry(
    region: str,
    service: str,
    *,
    events: int,
    first: int,
    last: int,
    head_hash: str,
    checkpoints: int,
    last_checkpoint: dict[str, Any] | None,
) -> dict[str, Any]:
    """One log's line in the manifest."""
    return {
        "log": f"{region}/{service}",
        "region": region,
        "service": service,
        "events_file": events_file(region, service),
        "checkpoints_file": checkpoints_file(region, service),
        "events": events,
        "first_position": first,
        "last_position": last,
        "head_hash": head_hash,
        "checkpoints": checkpoints,
        "last_checkpoint": None
        if last_checkpoint is None
        else {name: last_checkpoint[name] for name in ("position", "hash", "key_id", "signed_at")},
    }


README_TEXT = """# Bundel bukti audit Sahabat / Sahabat audit evidence bundle

Wilayah / region: {region} · dibuat / made: {created_at} · oleh / by: {created_by}
Sampai dengan / as of: {as_of}

## Bahasa Indonesia

Bundel ini berisi riwayat peristiwa (event) setiap log layanan Sahabat di wilayah
ini, checkpoint yang ditandatangani, dan kunci publik penandatangannya.

Cara memeriksa tanpa server apa pun:

    sahabat audit verify BUNDEL.zip
    # atau, tanpa kode Sahabat (hanya Python + rfc8785 + cryptography):
    python verify_bundle.py BUNDEL.zip      # docs/audit/verify_bundle.py

Yang diperiksa: SHA-256 setiap berkas sama dengan manifest.json; posisi setiap
log berurutan tanpa celah mulai dari 1; setiap hash rantai dihitung ulang
(sha256(prevhash || JCS(body)), RFC 8785); setiap tanda tangan Ed25519 checkpoint
cocok dengan kunci di keys.json; dan checkpoint terakhir setiap log cocok dengan
rantainya. Setiap kegagalan menyebut berkas, log dan posisinya. Bandingkan juga
keys.json dengan kunci publik yang terdaftar di pusat (bukan hanya yang ada di
bundel ini).

## English

This bundle holds the event history of every Sahabat service log of this region,
the signed checkpoints, and the public keys that signed them.

To check it with no server at all:

    sahabat audit verify BUNDLE.zip
    # or, without Sahabat's code (only Python + rfc8785 + cryptography):
    python verify_bundle.py BUNDLE.zip      # docs/audit/verify_bundle.py

What is checked: every file's SHA-256 equals manifest.json; each log's positions
run from 1 without gaps; every chain hash is recomputed
(sha256(prevhash || JCS(body)), RFC 8785); every checkpoint's Ed25519 signature
verifies against keys.json; and each log's last checkpoint matches its chain.
Every failure names the file, the log and the position. Also compare keys.json
with the public keys registered with the centre (not only those in this bundle).

Files: manifest.json (per log: first and last position, head hash; SHA-256 of
every file), keys.json, logs/<region>/<service>/events.jsonl (CloudEvents by
position), logs/<region>/<service>/checkpoints.jsonl (checkpoint CloudEvents).
"""
