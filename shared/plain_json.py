"""Plain JSON for the fast parse path: a decoder that takes only the numbers for which plain
parsing equals `canonical.parse_json` (integers within ±(2**53 - 1)), and the C encoder
that writes what `canonical.fast_dumps` writes, each made once instead of per call.
"""

from __future__ import annotations

import json
from typing import Any

from shared.canonical import SAFE_INT, fast_dumps, quote_string


class NotPlain(Exception):
    """A number the fast path leaves to the reference path: a float, NaN, a huge integer."""


def _plain_int(text: str) -> int:
    value = int(text)
    if -SAFE_INT <= value <= SAFE_INT:
        return value
    raise NotPlain(text)


def _not_plain(text: str) -> Any:
    raise NotPlain(text)


# A JSON decoder made once (`json.loads(text, parse_int=...)` builds one per call) that
# accepts only the numbers for which plain parsing equals `parse_json` and plain
# serialisation equals JCS: integers within ±(2**53 - 1).
PLAIN_DECODER = json.JSONDecoder(
    parse_int=_plain_int, parse_float=_not_plain, parse_constant=_not_plain
)


def _refuse(value: object) -> Any:
    raise TypeError(f"not JSON: {value!r}")


# What `fast_dumps(value)` computes (`JSONEncoder.encode` with sort_keys, ensure_ascii
# off, compact separators, allow_nan off), with its C encoder made once instead of per
# call. Without the circular-reference check, which decoded JSON cannot need.
_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_C_ENCODER = (
    _make_encoder(None, _refuse, quote_string, None, ":", ",", True, False, False)
    if _make_encoder is not None
    else None
)


def plain_dumps(value: Any) -> str:
    """`fast_dumps(value)` for what `PLAIN_DECODER` returns."""
    if _C_ENCODER is None:  # pragma: no cover - CPython without its C accelerator
        return fast_dumps(value)
    return "".join(_C_ENCODER(value, 0))
