"""Parsing a structured-mode CloudEvent back into a RecordedEvent.

The reference path parses any producer's JSON; a fast path takes messages laid
out exactly as `RecordedEvent.to_cloudevent_bytes` writes them and returns
what the reference returns, or hands over (tests/unit/backbone/
test_envelope_fast.py checks the two against each other).
"""

from __future__ import annotations

import json

from shared.canonical import data_text, parse_json
from shared.envelope import EnvelopeInvalid, RecordedEvent
from shared.envelope_fast import parse_ours
from shared.events import parse_type

_REQUIRED = (
    "id",
    "source",
    "type",
    "subject",
    "time",
    "region",
    "aggregatetype",
    "aggregateversion",
    "position",
    "prevhash",
    "hash",
    "data",
)
_TEXT = ("id", "source", "type", "subject", "time", "region", "aggregatetype", "prevhash", "hash")
_OPTIONAL_TEXT = ("actor", "correlationid", "causationid")


def parse_cloudevent(payload: bytes) -> RecordedEvent:
    """Parse a structured-mode CloudEvent back into a RecordedEvent.

    `data_json` is the canonical (JCS) text of `data`, whatever the producer
    wrote, so the rebuilt hash body is what was hashed.

    Messages laid out exactly as `to_cloudevent_bytes` writes them take a fast
    path (`shared.envelope_fast.parse_ours`) that returns what the reference path
    (`parse_reference`) returns, or nothing, in which case the reference path
    decides, errors included. tests/unit/backbone/test_envelope_fast.py checks
    the two against each other, on our bytes and on others.
    """
    try:
        event = parse_ours(payload)
    except Exception:  # noqa: BLE001 - anything unusual is the reference path's to judge
        event = None
    return event if event is not None else parse_reference(payload)


def parse_reference(payload: bytes) -> RecordedEvent:
    """`parse_cloudevent` the plain way: every message, every error message."""
    try:
        doc = parse_json(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvelopeInvalid(f"not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise EnvelopeInvalid("not a JSON object")
    if doc.get("specversion") != "1.0":
        raise EnvelopeInvalid("specversion is not 1.0")
    missing = [name for name in _REQUIRED if name not in doc]
    if missing:
        raise EnvelopeInvalid(f"missing attributes: {', '.join(missing)}")
    try:
        parse_type(doc["type"])
    except (ValueError, TypeError) as exc:
        raise EnvelopeInvalid(str(exc)) from exc
    wrong = [name for name in _TEXT if not isinstance(doc[name], str)]
    wrong += [name for name in _OPTIONAL_TEXT if not isinstance(doc.get(name), str | None)]
    if wrong:
        raise EnvelopeInvalid(f"not strings: {', '.join(wrong)}")
    try:
        aggregateversion = int(doc["aggregateversion"])
        position = int(doc["position"])
    except (TypeError, ValueError) as exc:
        raise EnvelopeInvalid(f"aggregateversion and position must be integers: {exc}") from exc
    return RecordedEvent(
        id=doc["id"],
        type=doc["type"],
        source=doc["source"],
        subject=doc["subject"],
        time=doc["time"],
        region=doc["region"],
        aggregatetype=doc["aggregatetype"],
        aggregateversion=aggregateversion,
        position=position,
        actor=doc.get("actor") or "",
        correlationid=doc.get("correlationid"),
        causationid=doc.get("causationid"),
        prevhash=doc["prevhash"],
        hash=doc["hash"],
        data_json=data_text(doc["data"]),
    )
