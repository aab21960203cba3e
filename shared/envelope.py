"""The firm event envelope: CloudEvents 1.0, structured JSON mode, on firm NATS subjects.

    subject  pas.events.<region>.<service>.<event_name>
    source   /pas/<region>/<service>
    type     pas.<service>.<event_name>.v<N>
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from shared.canonical import body_bytes, canonical_json, parse_json
from shared.events import parse_type

CONTENT_TYPE = "application/cloudevents+json"
SUBJECT_ROOT = "pas.events"
DEADLETTER_ROOT = "pas.deadletter"


def event_subject(region: str, service: str, event_name: str) -> str:
    return f"{SUBJECT_ROOT}.{region}.{service}.{event_name}"


def log_subjects(region: str, service: str) -> str:
    """The wildcard subject of one service log (one service in one region)."""
    return f"{SUBJECT_ROOT}.{region}.{service}.>"


def event_source(region: str, service: str) -> str:
    return f"/pas/{region}/{service}"


def log_name(region: str, service: str) -> str:
    return f"{region}/{service}"


def deadletter_subject(consumer: str) -> str:
    return f"{DEADLETTER_ROOT}.{consumer}"


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """One event as stored in a service log and as sent in the envelope."""

    id: str
    type: str
    source: str
    subject: str
    time: str
    region: str
    aggregatetype: str
    aggregateversion: int
    position: int
    actor: str
    correlationid: str | None
    causationid: str | None
    prevhash: str
    hash: str
    data_json: str

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.data_json)  # type: ignore[no-any-return]

    @property
    def service(self) -> str:
        return parse_type(self.type)[0]

    @property
    def event_name(self) -> str:
        return parse_type(self.type)[1]

    @property
    def nats_subject(self) -> str:
        return event_subject(self.region, self.service, self.event_name)

    def canonical_body(self) -> bytes:
        return body_bytes(
            id=self.id,
            type=self.type,
            source=self.source,
            subject=self.subject,
            time=self.time,
            position=self.position,
            aggregateversion=self.aggregateversion,
            data_json=self.data_json,
        )

    def to_cloudevent_bytes(self) -> bytes:
        """The structured-mode CloudEvent JSON, `data` embedded as stored."""
        head = {
            "specversion": "1.0",
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time,
            "datacontenttype": "application/json",
            "region": self.region,
            "aggregatetype": self.aggregatetype,
            "aggregateversion": self.aggregateversion,
            "position": self.position,
            "actor": self.actor,
            "correlationid": self.correlationid,
            "causationid": self.causationid,
            "prevhash": self.prevhash,
            "hash": self.hash,
        }
        if head["correlationid"] is None:
            del head["correlationid"]
        if head["causationid"] is None:
            del head["causationid"]
        text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
        return (text[:-1] + ',"data":' + self.data_json + "}").encode("utf-8")

    def headers(self) -> dict[str, str]:
        return {"Nats-Msg-Id": self.id, "Content-Type": CONTENT_TYPE}


class EnvelopeInvalid(ValueError):
    """A message that is not a Sahabat CloudEvent."""


_REQUIRED = ("id", "source", "type", "subject", "time", "region", "aggregatetype",
             "aggregateversion", "position", "prevhash", "hash", "data")
_TEXT = ("id", "source", "type", "subject", "time", "region", "aggregatetype", "prevhash", "hash")
_OPTIONAL_TEXT = ("actor", "correlationid", "causationid")


def parse_cloudevent(payload: bytes) -> RecordedEvent:
    """Parse a structured-mode CloudEvent back into a RecordedEvent."""
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
        data_json=_data_json(doc["data"]),
    )


def _data_json(data: Any) -> str:
    """`data` as text again: canonical, so the text is exactly what was stored and hashed.

    (Plain `json.dumps` writes floats differently from JCS, e.g. `1e-07` for `1e-7`,
    and the rebuilt hash body would no longer match.) Data outside JCS's domain
    (from some foreign producer) is kept as plain JSON.
    """
    try:
        return canonical_json(data)
    except ValueError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
