"""The firm event envelope: CloudEvents 1.0, structured JSON mode, on firm NATS subjects.

subject  pas.events.<region>.<service>.<event_name>
source   /pas/<region>/<service>
type     pas.<service>.<event_name>.v<N>
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from shared.canonical import body_bytes, quote_string
from shared.events import parse_type

CONTENT_TYPE = "application/cloudevents+json"
SUBJECT_ROOT = "pas.events"
DEADLETTER_ROOT = "pas.deadletter"
_STR_OR_NONE = (str, type(None))


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
        """The structured-mode CloudEvent JSON, `data` embedded as stored.

        Byte for byte what `json.dumps(head, ensure_ascii=False, separators=(",", ":"))`
        writes for the head, then `,"data":<data_json>}`. The head is pasted into a
        fixed template (strings quoted by the encoder's own C function, integers by
        `%d`); any field of an unexpected type takes the `json.dumps` way instead.
        """
        if (
            type(self.aggregateversion) is int
            and type(self.position) is int
            and type(self.data_json) is str
            and type(self.correlationid) in _STR_OR_NONE
            and type(self.causationid) in _STR_OR_NONE
        ):
            try:
                text = (
                    '{"specversion":"1.0","id":%s,"source":%s,"type":%s,"subject":%s,'  # noqa: UP031
                    '"time":%s,"datacontenttype":"application/json","region":%s,'
                    '"aggregatetype":%s,"aggregateversion":%d,"position":%d,"actor":%s%s%s,'
                    '"prevhash":%s,"hash":%s,"data":%s}'
                    % (
                        quote_string(self.id),
                        quote_string(self.source),
                        quote_string(self.type),
                        quote_string(self.subject),
                        quote_string(self.time),
                        quote_string(self.region),
                        quote_string(self.aggregatetype),
                        self.aggregateversion,
                        self.position,
                        quote_string(self.actor),
                        ""
                        if self.correlationid is None
                        else ',"correlationid":' + quote_string(self.correlationid),
                        ""
                        if self.causationid is None
                        else ',"causationid":' + quote_string(self.causationid),
                        quote_string(self.prevhash),
                        quote_string(self.hash),
                        self.data_json,
                    )
                )
            except TypeError:  # a field that is not a str: json.dumps decides
                return self._cloudevent_bytes_by_json()
            return text.encode("utf-8")
        return self._cloudevent_bytes_by_json()

    def _cloudevent_bytes_by_json(self) -> bytes:
        """The reference way to the same bytes (`to_cloudevent_bytes` equals it)."""
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


__all__ = [
    "CONTENT_TYPE",
    "DEADLETTER_ROOT",
    "SUBJECT_ROOT",
    "EnvelopeInvalid",
    "RecordedEvent",
    "deadletter_subject",
    "event_source",
    "event_subject",
    "log_name",
    "log_subjects",
]
