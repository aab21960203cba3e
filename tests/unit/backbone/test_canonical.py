"""The fast canonical JSON and body template equal RFC 8785 (`rfc8785`) byte for byte."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.canonical import (
    ZERO_HASH,
    body_bytes,
    body_bytes_reference,
    canonical_json,
    chain_hash,
    parse_json,
)

SAFE = 2**53 - 1

# Text with everything hypothesis likes to throw: control chars, emoji, astral and
# private-use characters (the ones whose UTF-16 and code-point orders differ).
texts = st.text(max_size=12) | st.text(
    alphabet=st.sampled_from(
        [
            "a",
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
            "\U0010ffff",
            "ß",
            "Z",
        ]
    ),
    max_size=8,
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-SAFE, max_value=SAFE)
    | st.integers()  # also outside ±2**53: rfc8785 refuses those
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(texts, children, max_size=5),
    max_leaves=30,
)
# only what rfc8785 accepts
safe_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-SAFE, max_value=SAFE)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
safe_values = st.recursive(
    safe_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(texts, children, max_size=5),
    max_leaves=30,
)

fast = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _reference(value: Any) -> str | type[BaseException]:
    try:
        return rfc8785.dumps(value).decode("utf-8")
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


@fast
@given(json_values)
def test_canonical_json_equals_rfc8785(value: Any) -> None:
    expected = _reference(value)
    if isinstance(expected, str):
        assert canonical_json(value) == expected
    else:
        with pytest.raises(expected):
            canonical_json(value)


@fast
@given(st.dictionaries(texts, safe_values, max_size=6))
def test_canonical_json_of_objects_equals_rfc8785(value: dict[str, Any]) -> None:
    assert canonical_json(value) == rfc8785.dumps(value).decode("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        {"\U0001f600": 1, "\ue000": 2, "a": 3},  # UTF-16 order differs from code points
        {"b": [1, 2.5, -0.0, 1e16, 1e-7, 1e21]},
        {"s": '\x00\x08\t\n\x0c\r\x1f\x7f"\\/'},
        [SAFE, -SAFE, True, False, None],
        "\u2028\u2029",
    ],
)
def test_canonical_json_edge_cases(value: Any) -> None:
    assert canonical_json(value) == rfc8785.dumps(value).decode("utf-8")


@pytest.mark.parametrize("value", [2**53, -(2**53), {"a": [2**64]}])
def test_unsafe_integers_are_refused_like_rfc8785(value: Any) -> None:
    with pytest.raises(rfc8785.IntegerDomainError):
        canonical_json(value)


@fast
@given(
    id=texts,
    type=texts,
    source=texts,
    subject=texts,
    time=texts,
    position=st.integers(min_value=-SAFE, max_value=SAFE),
    aggregateversion=st.integers(min_value=-SAFE, max_value=SAFE),
    data=safe_values,
)
def test_body_bytes_equals_rfc8785_of_the_body(
    id: str,
    type: str,
    source: str,
    subject: str,
    time: str,
    position: int,
    aggregateversion: int,
    data: Any,
) -> None:
    body = {
        "id": id,
        "type": type,
        "source": source,
        "subject": subject,
        "time": time,
        "position": position,
        "aggregateversion": aggregateversion,
        "data": data,
    }
    fast_bytes = body_bytes(
        id=id,
        type=type,
        source=source,
        subject=subject,
        time=time,
        position=position,
        aggregateversion=aggregateversion,
        data_json=canonical_json(data),
    )
    assert fast_bytes == rfc8785.dumps(body)
    assert fast_bytes == body_bytes_reference(body)


def test_body_bytes_of_a_typical_event() -> None:
    body = {
        "id": "01890a5d-ac96-774b-bcce-b302099a8057",
        "type": "pas.partners.partner_registered.v1",
        "source": "/pas/jatim/partners",
        "subject": "01890a5d-ac96-774b-bcce-b302099a8058",
        "time": "2026-01-24T03:15:00.123456Z",
        "position": 1,
        "aggregateversion": 1,
        "data": {"name": "Yayasan Sahabat Ümat", "kind": "ormas", "n": 3},
    }
    expected = (
        b'{"aggregateversion":1,"data":{"kind":"ormas","n":3,"name":"Yayasan Sahabat \xc3\x9cmat"},'
        b'"id":"01890a5d-ac96-774b-bcce-b302099a8057","position":1,'
        b'"source":"/pas/jatim/partners","subject":"01890a5d-ac96-774b-bcce-b302099a8058",'
        b'"time":"2026-01-24T03:15:00.123456Z","type":"pas.partners.partner_registered.v1"}'
    )
    data_json = canonical_json(body["data"])
    assert (
        body_bytes(**{**{k: v for k, v in body.items() if k != "data"}, "data_json": data_json})
        == expected
    )
    assert rfc8785.dumps(body) == expected


def test_chain_hash_known_answer() -> None:
    body = b'{"aggregateversion":1,"data":{},"id":"x","position":1}'
    assert ZERO_HASH == "0" * 64
    first = chain_hash(ZERO_HASH, body)
    assert first == hashlib.sha256(b"\x00" * 32 + body).hexdigest()
    second = chain_hash(first, b"{}")
    assert second == hashlib.sha256(bytes.fromhex(first) + b"{}").hexdigest()
    # the prevhash enters as 32 raw bytes, not as 64 hex characters
    assert second != hashlib.sha256(first.encode() + b"{}").hexdigest()
    assert len(second) == 64 and second == second.lower()
    # a fixed answer, so a change of algorithm cannot pass unnoticed
    assert chain_hash(ZERO_HASH, b"") == (
        "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
    )


def test_json_module_is_not_canonical_for_floats() -> None:
    # why the fast path refuses floats: Python's repr differs from JCS
    assert json.dumps(1e16) != canonical_json(1e16) == "10000000000000000"


@fast
@given(safe_values)
def test_parse_json_reads_canonical_text_back_to_the_same_text(value: Any) -> None:
    text = canonical_json(value)
    assert canonical_json(parse_json(text)) == text
    assert canonical_json(parse_json(text.encode())) == text


def test_parse_json_reads_large_integers_as_doubles() -> None:
    assert parse_json("10000000000000000") == 1e16
    assert parse_json("[9007199254740991]") == [2**53 - 1]
    assert isinstance(parse_json("9007199254740991"), int)
