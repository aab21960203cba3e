"""The fast parse path of our own CloudEvents: bytes laid out as `to_cloudevent_bytes` writes
them, read at about half the cost of the reference path (shared.envelope_parse), with the
same result or none (then the reference path decides). tests/unit/backbone/
test_envelope_fast.py checks the two against each other.
"""

from __future__ import annotations

import dataclasses
import re

from shared.canonical import HIGH_CHARS, SAFE_INT, data_text
from shared.envelope import RecordedEvent
from shared.events import parse_type
from shared.plain_json import PLAIN_DECODER, plain_dumps

# The head exactly as `to_cloudevent_bytes` writes it. A string without `"`, `\` or a
# control character is its own JSON text (no escapes), an integer is JSON's `-?(0|[1-9]\d*)`.
_STRING = r'"([^"\\\x00-\x1f]*)"'
_INTEGER = r"(-?(?:0|[1-9][0-9]*))"
_OUR_HEAD = re.compile(
    r'\{"specversion":"1\.0","id":'
    + _STRING
    + ',"source":'
    + _STRING
    + ',"type":'
    + _STRING
    + ',"subject":'
    + _STRING
    + ',"time":'
    + _STRING
    + ',"datacontenttype":"application/json","region":'
    + _STRING
    + ',"aggregatetype":'
    + _STRING
    + ',"aggregateversion":'
    + _INTEGER
    + ',"position":'
    + _INTEGER
    + ',"actor":'
    + _STRING
    + '(?:,"correlationid":'
    + _STRING
    + ')?(?:,"causationid":'
    + _STRING
    + ")?"
    + ',"prevhash":'
    + _STRING
    + ',"hash":'
    + _STRING
    + ',"data":'
)


def parse_ours(payload: bytes) -> RecordedEvent | None:
    """The reference result for a message laid out as ours, about half the cost; None to defer.

    Why it equals `shared.envelope_parse.parse_reference` whenever it returns:
    * `payload` starts with `{"` (the pattern is anchored there), so
      `json.loads` would decode it as UTF-8; a strict UTF-8 decode that
      succeeds gives the same text (one that fails raises, and so defers);
    * the text is the head the pattern matches, then the text `D` of `data`,
      then `}`. The head's strings have no escapes, so each is its own value;
      its integers are JSON integers, taken only within ±(2**53 - 1), where
      `parse_json` also reads them as these ints. `D` is decoded on its own
      by a decoder that refuses (defers on) floats, NaN/Infinity and larger
      integers, where it equals `parse_json`; `raw_decode` reads exactly one
      value, and anything around it (blanks included) defers. So the
      reference's document is exactly these members with `data` = that
      value, and every check it makes passes (`parse_type` is called here
      too, and defers if it fails);
    * `data_json`: with such integers only and no character >= U+D800 in any
      key (`D` has none, raw or as a `\\u` escape), `data` is a value for which
      `canonical_json` is `fast_dumps` (see shared.canonical), which
      `plain_dumps` (shared.plain_json) computes with the same C encoder; otherwise
      `data_text`, the reference's own function, is called.
    """
    text = payload.decode("utf-8")
    head = _OUR_HEAD.match(text)
    if head is None or text[-1] != "}":
        return None
    (
        id_,
        source,
        type_,
        subject,
        time,
        region,
        aggregatetype,
        aggregateversion,
        position,
        actor,
        correlationid,
        causationid,
        prevhash,
        hash_,
    ) = head.groups()
    version, pos = int(aggregateversion), int(position)
    if not (-SAFE_INT <= version <= SAFE_INT and -SAFE_INT <= pos <= SAFE_INT):
        return None
    parse_type(type_)  # raises (and so defers) for a type that is not one
    raw = text[head.end() : -1]
    data, end = PLAIN_DECODER.raw_decode(raw)
    if end != len(raw):  # something after the value (or only blanks): defer
        return None
    if "\\u" not in raw and (raw.isascii() or HIGH_CHARS.search(raw) is None):
        data_json = plain_dumps(data)
    else:
        data_json = data_text(data)
    return build_recorded(
        id_,
        type_,
        source,
        subject,
        time,
        region,
        aggregatetype,
        version,
        pos,
        actor or "",
        correlationid,
        causationid,
        prevhash,
        hash_,
        data_json,
    )


_FIELDS = (
    "id",
    "type",
    "source",
    "subject",
    "time",
    "region",
    "aggregatetype",
    "aggregateversion",
    "position",
    "actor",
    "correlationid",
    "causationid",
    "prevhash",
    "hash",
    "data_json",
)
if tuple(f.name for f in dataclasses.fields(RecordedEvent)) != _FIELDS:  # pragma: no cover
    raise RuntimeError("RecordedEvent's fields changed: update build_recorded")
_SET = [RecordedEvent.__dict__[name].__set__ for name in _FIELDS]  # the slots' own setters
(
    _set_id,
    _set_type,
    _set_source,
    _set_subject,
    _set_time,
    _set_region,
    _set_aggregatetype,
    _set_aggregateversion,
    _set_position,
    _set_actor,
    _set_correlationid,
    _set_causationid,
    _set_prevhash,
    _set_hash,
    _set_data_json,
) = _SET


def build_recorded(
    id_: str,
    type_: str,
    source: str,
    subject: str,
    time: str,
    region: str,
    aggregatetype: str,
    aggregateversion: int,
    position: int,
    actor: str,
    correlationid: str | None,
    causationid: str | None,
    prevhash: str,
    hash_: str,
    data_json: str,
) -> RecordedEvent:
    """`RecordedEvent(...)` with the fields in order, without the frozen `__init__`'s
    fifteen `object.__setattr__` calls (it has no `__post_init__`): the same instance."""
    event = object.__new__(RecordedEvent)
    _set_id(event, id_)
    _set_type(event, type_)
    _set_source(event, source)
    _set_subject(event, subject)
    _set_time(event, time)
    _set_region(event, region)
    _set_aggregatetype(event, aggregatetype)
    _set_aggregateversion(event, aggregateversion)
    _set_position(event, position)
    _set_actor(event, actor)
    _set_correlationid(event, correlationid)
    _set_causationid(event, causationid)
    _set_prevhash(event, prevhash)
    _set_hash(event, hash_)
    _set_data_json(event, data_json)
    return event
