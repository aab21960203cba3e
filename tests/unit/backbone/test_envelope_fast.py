"""The envelope's fast paths equal the reference ways, on our bytes and on anyone else's.

* `parse_cloudevent` takes `parse_ours` for messages laid out as
  `to_cloudevent_bytes` writes them, and must return exactly what
  `parse_reference` (the plain JSON way) returns, or defer to it;
* `to_cloudevent_bytes` pastes the head into a template and must write the
  very bytes `json.dumps` writes (`_cloudevent_bytes_by_json`);
* `build_recorded` builds the same RecordedEvent as its constructor.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.canonical import canonical_json, chain_hash, fast_dumps
from shared.envelope import EnvelopeInvalid, RecordedEvent
from shared.envelope_fast import build_recorded, parse_ours
from shared.envelope_parse import parse_cloudevent, parse_reference
from shared.plain_json import plain_dumps
from tests.unit.backbone.test_envelope import recorded

SAFE = 2**53 - 1

# Text with what JSON escapes, what JCS orders differently (>= U+D800), and plain letters.
texts = st.text(max_size=10) | st.text(
    alphabet=st.sampled_from(
        [
            "a",
            "Z",
            "\x00",
            "\x1f",
            "\x7f",
            '"',
            "\\",
            "/",
            "\n",
            "\u2028",
            "é",
            "\ud7ff",
            "\ue000",
            "\uffff",
            "\U0001f600",
            ",",
            ":",
            "{",
            "}",
        ]
    ),
    max_size=8,
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-SAFE, SAFE)
    | st.integers()  # beyond ±2**53 too: the fast path must defer
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)
plain_values = st.recursive(  # what our events hold: no floats
    st.none() | st.booleans() | st.integers(-SAFE, SAFE) | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)
plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\'),
    max_size=12,
).filter(lambda t: all(ord(c) >= 0x20 for c in t))


def event(data: Any, **changes: Any) -> RecordedEvent:
    return recorded(data, **changes)


def outcome(fn: Any, payload: bytes) -> Any:
    """The result, or the exception's type and text."""
    try:
        return fn(payload)
    except Exception as exc:  # noqa: BLE001
        return type(exc), str(exc)


def same_as_reference(payload: bytes) -> Any:
    got = outcome(parse_cloudevent, payload)
    assert got == outcome(parse_reference, payload)
    fast = outcome(parse_ours, payload)
    assert fast is None or fast == got or isinstance(fast, tuple)  # returns the same, or defers
    return got


@settings(max_examples=300, deadline=None)
@given(
    data=st.dictionaries(texts, plain_values, max_size=5),
    actor=plain_text,
    correlationid=st.none() | plain_text,
    causationid=st.none() | plain_text,
    version=st.integers(0, SAFE),
    position=st.integers(0, SAFE),
)
def test_our_bytes_take_the_fast_path_and_parse_as_the_reference_does(
    data: dict[str, Any],
    actor: str,
    correlationid: str | None,
    causationid: str | None,
    version: int,
    position: int,
) -> None:
    ours = event(
        data,
        actor=actor,
        correlationid=correlationid,
        causationid=causationid,
        aggregateversion=version,
        position=position,
    )
    payload = ours.to_cloudevent_bytes()
    fast = parse_ours(payload)
    assert fast is not None  # the fast path really is taken for what we send
    assert fast == parse_reference(payload) == ours
    assert fast.data_json == ours.data_json
    assert chain_hash(fast.prevhash, fast.canonical_body()) == fast.hash


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(texts, json_values, max_size=5), head_text=texts)
def test_any_data_and_any_head_text_parse_as_the_reference_does(
    data: dict[str, Any], head_text: str
) -> None:
    """Floats, huge integers, astral keys, escapes in the head: deferred or equal, never else."""
    try:
        ours = event(data, actor=head_text, correlationid=head_text or None)
    except ValueError:  # outside JCS (a huge integer): no event of ours can hold it
        ours = event({}, actor=head_text)
    same_as_reference(ours.to_cloudevent_bytes())
    doc = json.loads(ours.to_cloudevent_bytes())
    doc["data"] = data
    for text in (json.dumps(doc), json.dumps(doc, ensure_ascii=False, separators=(",", ":"))):
        try:
            payload = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in the data: not UTF-8 at all
            payload = text.encode("utf-8", "surrogatepass")
        same_as_reference(payload)


def ours_text() -> str:
    return event({"name": "Yayasan Bina", "count": 3}).to_cloudevent_bytes().decode()


FOREIGN = [
    # other layouts of the same event
    lambda t: json.dumps(json.loads(t)),  # with spaces
    lambda t: json.dumps(json.loads(t), sort_keys=True, separators=(",", ":")),
    lambda t: json.dumps(
        {"data": json.loads(t)["data"], **{k: v for k, v in json.loads(t).items() if k != "data"}},
        separators=(",", ":"),
    ),
    # data that is not canonical, or not one value, or not JSON
    lambda t: t.replace(
        '"data":{"count":3,"name":"Yayasan Bina"}', '"data":{"name":"Yayasan Bina","count":3}'
    ),
    lambda t: t.replace('"data":{', '"data": {'),
    lambda t: t.replace('"count":3', '"count":3.0'),
    lambda t: t.replace('"count":3', '"count":1e2'),
    lambda t: t.replace('"count":3', '"count":NaN'),
    lambda t: t.replace('"count":3', '"count":-0'),
    lambda t: t.replace('"count":3', '"count":9007199254740993'),
    lambda t: t.replace('"count":3', '"count":3,"count":4'),
    lambda t: t.replace('"count":3', '"c\\u00f6unt":3'),
    lambda t: t.replace('"count":3', '"\\ud83d\\ude00":3'),
    lambda t: t.replace('"count":3', '"\U0001f600":3,"\uffff":2'),
    lambda t: t.replace('"name":"Yayasan Bina"', '"name":"Yayasan \\"Bina\\""'),
    lambda t: t[:-1] + ',"x":1}',
    lambda t: t[:-1] + "}}",
    lambda t: t[:-1],
    lambda t: t + " ",
    lambda t: t[:-2] + "}  }",
    # the head: escapes, odd numbers, types, missing or extra members
    lambda t: t.replace('"actor":"user-42"', '"actor":"user\\u002d42"'),
    lambda t: t.replace('"actor":"user-42"', '"actor":"user\\"42"'),
    lambda t: t.replace('"actor":"user-42"', '"actor":null'),
    lambda t: t.replace('"actor":"user-42"', '"actor":7'),
    lambda t: t.replace('"actor":"user-42",', ""),
    lambda t: t.replace('"correlationid":"req-1",', ""),
    lambda t: t.replace('"correlationid":"req-1"', '"correlationid":""'),
    lambda t: t.replace('"correlationid":"req-1"', '"correlationid":null'),
    lambda t: t.replace('"position":7', '"position":7.0'),
    lambda t: t.replace('"position":7', '"position":07'),
    lambda t: t.replace('"position":7', '"position":-7'),
    lambda t: t.replace('"position":7', '"position":"7"'),
    lambda t: t.replace('"position":7', '"position":9007199254740993'),
    lambda t: t.replace('"position":7', '"position":true'),
    lambda t: t.replace('"aggregateversion":2', '"aggregateversion":2e0'),
    lambda t: t.replace('"type":"pas.partners.partner_registered.v1"', '"type":"x.y"'),
    lambda t: t.replace('"type":"pas.partners.partner_registered.v1"', '"type":7'),
    lambda t: t.replace('"specversion":"1.0"', '"specversion":"0.3"'),
    lambda t: t.replace('"datacontenttype":"application/json",', ""),
    lambda t: t.replace('"region":"jatim"', '"region":"jatim","extra":1'),
    lambda t: t.replace('"hash":"', '"hash":"\t'),
    lambda t: t.replace('"time":"', '"time":"\x01'),
    lambda t: t.replace("jatim", "jat\u00edm"),
    lambda t: "\ufeff" + t,
]


@pytest.mark.parametrize("change", FOREIGN)
def test_foreign_layouts_parse_as_the_reference_does(change: Any) -> None:
    text = change(ours_text())
    same_as_reference(text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(
    "payload",
    [b"", b"{", b"\xff\xfe{}", b'{"specversion":"1.0",\xff}', "{}".encode("utf-16"), b"[1]"],
)
def test_garbage_is_the_reference_path_s_to_refuse(payload: bytes) -> None:
    fast = outcome(parse_ours, payload)
    assert fast is None or isinstance(fast, tuple)  # deferred, or raised (and so deferred)
    with pytest.raises(EnvelopeInvalid):
        parse_cloudevent(payload)


def test_the_fast_path_is_taken_for_non_ascii_and_escaped_data() -> None:
    for data in (
        {"name": "Yayasan Ümat 🙂"},
        {"note": 'a "quote"\nand a line'},
        {"n": -SAFE, "k": [SAFE, None, True]},
    ):
        ours = event(data)
        payload = ours.to_cloudevent_bytes()
        assert parse_ours(payload) == parse_reference(payload) == ours


@settings(max_examples=300, deadline=None)
@given(
    fields=st.fixed_dictionaries(
        {
            "id": texts,
            "type": texts,
            "source": texts,
            "subject": texts,
            "time": texts,
            "region": texts,
            "aggregatetype": texts,
            "actor": texts,
            "prevhash": texts,
            "hash": texts,
            "correlationid": st.none() | texts,
            "causationid": st.none() | texts,
            "aggregateversion": st.integers(),
            "position": st.integers(),
        }
    ),
    data=st.dictionaries(texts, plain_values, max_size=4),
)
def test_cloudevent_bytes_are_json_dumps_byte_for_byte(
    fields: dict[str, Any], data: dict[str, Any]
) -> None:
    recorded = RecordedEvent(**fields, data_json=canonical_json(data))
    assert recorded.to_cloudevent_bytes() == recorded._cloudevent_bytes_by_json()


@pytest.mark.parametrize(
    "odd",
    [
        {"aggregateversion": True},
        {"position": 7.0},
        {"actor": None},
        {"correlationid": 7},
        {"id": "a\ud800b"},
    ],
)
def test_odd_field_types_take_the_json_dumps_way(odd: dict[str, Any]) -> None:
    recorded = replace(event({"a": 1}), **odd)
    assert outcome(RecordedEvent.to_cloudevent_bytes, recorded) == outcome(
        RecordedEvent._cloudevent_bytes_by_json, recorded
    )


def test_recorded_is_the_constructor() -> None:
    made = event({"a": [1, "b"]}, causationid="c-1")
    values = [getattr(made, name) for name in made.__dataclass_fields__]
    fast = build_recorded(*values)
    assert type(fast) is RecordedEvent
    assert fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    assert replace(fast, position=9) == replace(made, position=9)
    with pytest.raises(AttributeError):
        fast.position = 3  # type: ignore[misc]  # still frozen


@settings(max_examples=300, deadline=None)
@given(value=plain_values)
def test_plain_dumps_is_fast_dumps(value: Any) -> None:
    assert plain_dumps(value) == fast_dumps(value)
