"""RFC 8785 (JCS) canonical JSON and the hash chain of DESIGN.md.

    hash(n) = sha256(prevhash(n) as 32 raw bytes || JCS(body(n)))  (lowercase hex)

`rfc8785` is the reference. The fast paths here are proven equal to it by the
property tests in tests/unit/test_canonical.py:

* `canonical_json` uses the C json encoder when the value has no floats, no
  integers outside JavaScript's safe range and no characters whose UTF-16 and
  code-point orders differ (>= U+D800); for such values Python's
  `sort_keys`/`ensure_ascii=False` output is byte-for-byte JCS.
* `body_bytes` pastes the stored (already canonical) `data` text into a fixed
  template: body keys are a known set, so their JCS order is known.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import rfc8785

ZERO_HASH = "0" * 64
SAFE_INT = 2**53 - 1
HIGH_CHARS = re.compile("[\ud800-\U0010ffff]")
fast_dumps = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


def _is_simple(value: Any) -> bool:
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -SAFE_INT <= value <= SAFE_INT
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or HIGH_CHARS.search(key):
                return False
            if not _is_simple(item):
                return False
        return True
    if isinstance(value, list | tuple):
        return all(_is_simple(item) for item in value)
    return False


def canonical_json(value: Any) -> str:
    """The JCS form of a JSON value, as text."""
    if _is_simple(value):
        return fast_dumps(value)
    return rfc8785.dumps(value).decode("utf-8")


def parse_json(text: str | bytes) -> Any:
    """Parse JSON the way JCS reads numbers: an integer beyond ±(2**53 - 1) is a double.

    Canonical text writes a large double such as 1e16 as `10000000000000000`;
    `json.loads` would read that back as an int that `rfc8785` refuses. Reading
    it as the double it is makes `canonical_json(parse_json(text)) == text` for
    any canonical text.
    """
    return json.loads(text, parse_int=_parse_int)


def _parse_int(text: str) -> int | float:
    value = int(text)
    return value if -SAFE_INT <= value <= SAFE_INT else float(text)


# A JSON string as JCS writes it (no ASCII escaping): what `fast_dumps(text)` returns for a
# str, called without the encoder's Python-level dispatch (it is called five times per event).
quote_string = json.encoder.encode_basestring


def body_bytes(
    *,
    id: str,
    type: str,
    source: str,
    subject: str,
    time: str,
    position: int,
    aggregateversion: int,
    data_json: str,
) -> bytes:
    """JCS(body) when `data_json` is canonical; keys in JCS order."""
    # %-formatting is the fastest here, and this runs once per event
    return (
        '{"aggregateversion":%d,"data":%s,"id":%s,"position":%d,'  # noqa: UP031
        '"source":%s,"subject":%s,"time":%s,"type":%s}'
        % (
            aggregateversion,
            data_json,
            quote_string(id),
            position,
            quote_string(source),
            quote_string(subject),
            quote_string(time),
            quote_string(type),
        )
    ).encode("utf-8")


def body_bytes_reference(body: dict[str, Any]) -> bytes:
    """JCS(body) by the reference implementation, for auditors and fallbacks."""
    return rfc8785.dumps(body)


def chain_hash(prevhash: str, body: bytes) -> str:
    """The hash of one event from its predecessor's hash and its canonical body."""
    return hashlib.sha256(bytes.fromhex(prevhash) + body).hexdigest()


def data_text(data: Any) -> str:
    """`data` as text again: canonical, so the text is exactly what was stored and hashed.

    (Plain `json.dumps` writes floats differently from JCS, e.g. `1e-07` for `1e-7`,
    and the rebuilt hash body would no longer match.) Data outside JCS's domain
    (from some foreign producer) is kept as plain JSON.
    """
    try:
        return canonical_json(data)
    except ValueError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
