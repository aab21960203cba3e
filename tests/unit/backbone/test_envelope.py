"""The envelope is a CloudEvents 1.0 structured-mode event any SDK parses, on the firm subjects."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.v1.http import from_http, from_json
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.canonical import ZERO_HASH, canonical_json, chain_hash
from shared.envelope import (
    CONTENT_TYPE,
    EnvelopeInvalid,
    RecordedEvent,
    deadletter_subject,
    event_source,
    event_subject,
    log_name,
    log_subjects,
)
from shared.envelope_parse import parse_cloudevent

EVENT_ID = "01890a5d-ac96-774b-bcce-b302099a8057"
STREAM_ID = "01890a5d-ac96-774b-bcce-b302099a8058"


_SAMPLE = object()


def recorded(data: Any = _SAMPLE, **changes: Any) -> RecordedEvent:
    """A chained RecordedEvent holding `data` (a sample when not given; None is JSON null)."""
    if data is _SAMPLE:
        data = {"name": "Yayasan Ümat 🙂", "count": 3, "tags": ["a", "b"]}
    partial = RecordedEvent(
        id=EVENT_ID,
        type="pas.partners.partner_registered.v1",
        source="/pas/jatim/partners",
        subject=STREAM_ID,
        time="2026-01-24T03:15:00.123456Z",
        region="jatim",
        aggregatetype="partner",
        aggregateversion=2,
        position=7,
        actor="user-42",
        correlationid="req-1",
        causationid=None,
        prevhash=ZERO_HASH,
        hash="",
        data_json=canonical_json(data),
    )
    partial = replace(partial, **changes)
    return replace(partial, hash=chain_hash(partial.prevhash, partial.canonical_body()))


def test_official_sdk_parses_the_structured_event() -> None:
    event = recorded()
    payload = event.to_cloudevent_bytes()
    parsed = JSONFormat().read(None, payload)
    assert parsed.get_specversion() == "1.0"
    assert parsed.get_id() == EVENT_ID
    assert parsed.get_type() == "pas.partners.partner_registered.v1"
    assert parsed.get_source() == "/pas/jatim/partners"
    assert parsed.get_subject() == STREAM_ID
    assert parsed.get_datacontenttype() == "application/json"
    assert parsed.get_time() == datetime(2026, 1, 24, 3, 15, 0, 123456, tzinfo=UTC)
    assert parsed.get_data() == event.data
    extensions = {
        name: parsed.get_extension(name)
        for name in (
            "region",
            "aggregatetype",
            "aggregateversion",
            "position",
            "actor",
            "correlationid",
            "prevhash",
            "hash",
        )
    }
    assert extensions == {
        "region": "jatim",
        "aggregatetype": "partner",
        "aggregateversion": 2,
        "position": 7,
        "actor": "user-42",
        "correlationid": "req-1",
        "prevhash": ZERO_HASH,
        "hash": event.hash,
    }
    assert "causationid" not in parsed.get_attributes()  # None is left out, not sent as null


def test_legacy_sdk_api_parses_it_as_json_and_as_structured_http() -> None:
    event = recorded()
    payload = event.to_cloudevent_bytes()
    for parsed in (from_json(payload), from_http(event.headers(), payload)):
        assert parsed["specversion"] == "1.0"
        assert parsed["id"] == EVENT_ID
        assert parsed["type"] == event.type
        assert parsed["subject"] == STREAM_ID
        assert parsed["region"] == "jatim"
        assert parsed["position"] == 7
        assert parsed["hash"] == event.hash
        assert parsed.data == event.data


def test_headers_name_the_event_and_the_content_type() -> None:
    event = recorded()
    assert event.headers() == {"Nats-Msg-Id": EVENT_ID, "Content-Type": CONTENT_TYPE}
    assert CONTENT_TYPE == "application/cloudevents+json"


def test_payload_is_json_with_data_embedded_as_stored() -> None:
    event = recorded()
    doc = json.loads(event.to_cloudevent_bytes())
    assert doc["data"] == event.data
    assert event.data_json.encode() in event.to_cloudevent_bytes()


def test_subjects_and_names() -> None:
    event = recorded()
    assert event.nats_subject == "pas.events.jatim.partners.partner_registered"
    assert event.service == "partners" and event.event_name == "partner_registered"
    assert event_subject("dki", "programs", "program_started") == (
        "pas.events.dki.programs.program_started"
    )
    assert log_subjects("jatim", "partners") == "pas.events.jatim.partners.>"
    assert event_source("jatim", "partners") == "/pas/jatim/partners"
    assert log_name("jatim", "partners") == "jatim/partners"
    assert deadletter_subject("reporting") == "pas.deadletter.reporting"


def test_parse_round_trip() -> None:
    event = recorded()
    assert parse_cloudevent(event.to_cloudevent_bytes()) == event
    both = recorded(causationid="evt-0", correlationid=None)
    assert parse_cloudevent(both.to_cloudevent_bytes()) == both


json_data = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=15,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=6), json_data, max_size=5))
def test_parse_round_trip_keeps_data_canonical_and_the_hash_valid(data: dict[str, Any]) -> None:
    event = recorded(data)
    parsed = parse_cloudevent(event.to_cloudevent_bytes())
    assert parsed.data_json == event.data_json
    assert chain_hash(parsed.prevhash, parsed.canonical_body()) == parsed.hash


def test_float_data_survives_the_round_trip() -> None:
    event = recorded({"ratio": 1e-7, "big": 1e16, "half": 0.5})
    parsed = parse_cloudevent(event.to_cloudevent_bytes())
    assert parsed == event


@pytest.mark.parametrize(
    "payload",
    [
        b"\xff\xfe garbage",
        b"not json",
        b"[1, 2, 3]",
        b'"a string"',
        b"{}",
        b'{"specversion": "0.3"}',
        json.dumps(
            {**json.loads(recorded().to_cloudevent_bytes()), "type": "partner.registered"}
        ).encode(),
        json.dumps({**json.loads(recorded().to_cloudevent_bytes()), "type": 7}).encode(),
        json.dumps(
            {k: v for k, v in json.loads(recorded().to_cloudevent_bytes()).items() if k != "hash"}
        ).encode(),
        json.dumps({**json.loads(recorded().to_cloudevent_bytes()), "position": None}).encode(),
        json.dumps({**json.loads(recorded().to_cloudevent_bytes()), "position": "seven"}).encode(),
        json.dumps(
            {**json.loads(recorded().to_cloudevent_bytes()), "aggregateversion": [1]}
        ).encode(),
    ],
)
def test_garbage_raises_envelope_invalid(payload: bytes) -> None:
    with pytest.raises(EnvelopeInvalid):
        parse_cloudevent(payload)
