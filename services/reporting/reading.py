"""How reporting reads every service's events: as their JSON `data`, never as another
service's models.

Reporting consumes the wire contract (DOMAIN.md, the event schemas in
docs/events/), not the producers' code: each event is handed over as the
plain `data` object of its CloudEvent. Types reporting does not count are
still received (their positions count for `as_of` and read-your-writes); a
message that is not a Sahabat event, or whose `data` is not an object, goes to
the dead letters.

`read_message` is the runner's way in (`ReportingProjection.prepare`): one
orjson decode of the whole message and the envelope's members checked, about a
tenth of the general path (`shared.envelope_parse`, which also rebuilds the
canonical text of `data` for the hash chain; reporting does not verify the
chain, auditors do: `sahabat verify`). Its RecordedEvent keeps `data_json`
empty; the message's own bytes travel in `Delivered.raw`.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from nats.aio.msg import Msg

from shared.envelope import RecordedEvent
from shared.events import Event, EventDataInvalid, EventRegistry, UnknownEventType, parse_type
from shared.readmodel import Delivered

_TEXT = ("id", "type", "source", "subject", "time", "region", "aggregatetype")
_TYPES: dict[str, bool] = {}  # event types seen, and whether each is a Sahabat type


class DataRegistry(EventRegistry):
    """A registry that accepts every `pas.<service>.<name>.v<N>` type and returns its `data`."""

    def __contains__(self, event_type: str) -> bool:
        known = _TYPES.get(event_type)
        if known is None:
            try:
                parse_type(event_type)
                known = True
            except ValueError:
                known = False
            if len(_TYPES) < 10_000:
                _TYPES[event_type] = known
        return known

    def load_json(self, event_type: str, data_json: str | bytes) -> Event:  # type: ignore[override]
        """The event's `data` as a dict (typed as Event only to fit the runner's protocol)."""
        if event_type not in self:
            raise UnknownEventType(event_type)
        try:
            data: Any = json.loads(data_json)
        except ValueError as exc:
            raise EventDataInvalid(f"{event_type}: data is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise EventDataInvalid(f"{event_type}: data is not a JSON object")
        return data  # type: ignore[return-value]

    def load(self, event_type: str, data: dict[str, Any]) -> Event:  # type: ignore[override]
        return self.load_json(event_type, json.dumps(data))


REGISTRY = DataRegistry()


def read_envelope(payload: bytes) -> tuple[RecordedEvent, dict[str, Any]] | str:
    """The envelope and `data` of one message, or why it is not a Sahabat event."""
    try:
        doc = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        return f"EnvelopeInvalid: not JSON: {exc}"
    if type(doc) is not dict:
        return "EnvelopeInvalid: not a JSON object"
    if doc.get("specversion") != "1.0":
        return "EnvelopeInvalid: specversion is not 1.0"
    for name in _TEXT:
        if type(doc.get(name)) is not str:
            return f"EnvelopeInvalid: {name} is missing or not a string"
    version, position = doc.get("aggregateversion"), doc.get("position")
    if type(version) is not int or type(position) is not int:
        return "EnvelopeInvalid: aggregateversion and position must be integers"
    event_type = doc["type"]
    if event_type not in REGISTRY:
        return f"UnknownEventType: {event_type}"
    data = doc.get("data")
    if type(data) is not dict:
        return f"EventDataInvalid: {event_type}: data is not a JSON object"
    recorded = RecordedEvent(
        doc["id"],
        event_type,
        doc["source"],
        doc["subject"],
        doc["time"],
        doc["region"],
        doc["aggregatetype"],
        version,
        position,
        doc.get("actor") or "",
        doc.get("correlationid"),
        doc.get("causationid"),
        doc.get("prevhash") or "",
        doc.get("hash") or "",
        "",
    )
    return recorded, data


def read_message(msg: Msg, seq: int) -> Delivered | str:
    """A message of the stream as the runner hands it to the projection (see the module)."""
    read = read_envelope(msg.data)
    if isinstance(read, str):
        return read
    recorded, data = read
    return Delivered(seq, recorded, data, msg.data)  # type: ignore[arg-type]
