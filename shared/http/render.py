"""Filling the Indonesian sentences of a catalogue: `{placeholders}`, optional `[parts]`, dates.

`render(template, values, terms)` never fails: a value it cannot fill leaves
the plain sentence (optional parts that need it are left out). See
shared.http.problems for the template syntax.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

log = logging.getLogger(__name__)

_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_STASHED = re.compile(r"\x00(\d+)\x00")
_SEGMENT = "__segment_"
_FORMAT_ERRORS = (KeyError, IndexError, AttributeError, ValueError, TypeError)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def _text(value: Any, terms: Mapping[str, str]) -> str:
    """A value as an officer reads it."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, str):
        if value in terms:
            return terms[value]
        if _ISO_DATE.match(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                return value
            return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return _text(value.isoformat(), terms)
    if isinstance(value, Mapping):
        return ", ".join(_text(v, terms) for v in value.values() if not _is_empty(v))
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_text(v, terms) for v in value if not _is_empty(v))
    return str(value)


class _Value:
    """A detail value inside a format field: `{x}` shows it, `{x[key]}` goes into it."""

    __slots__ = ("raw", "terms")

    def __init__(self, raw: Any, terms: Mapping[str, str]) -> None:
        self.raw = raw
        self.terms = terms

    def __getitem__(self, key: Any) -> _Value:
        raw = self.raw
        if isinstance(raw, Mapping):
            inner = raw[key]
        elif isinstance(raw, list | tuple):
            inner = raw[int(key)]
        else:
            raise KeyError(key)
        if _is_empty(inner):
            raise KeyError(key)
        return _Value(inner, self.terms)

    def __format__(self, spec: str) -> str:
        return format(_text(self.raw, self.terms), spec)

    def __str__(self) -> str:
        return _text(self.raw, self.terms)


class _Values:
    """What `str.format_map` reads: a missing or empty value is a KeyError."""

    def __init__(self, values: Mapping[str, Any], terms: Mapping[str, str]) -> None:
        self.values = values
        self.terms = terms
        self.segments: list[str] = []

    def __getitem__(self, key: str) -> Any:
        if key.startswith(_SEGMENT):
            return self.segments[int(key[len(_SEGMENT) :])]
        value = self.values[key]
        if _is_empty(value):
            raise KeyError(key)
        return _Value(value, self.terms)


def render(
    template: str, values: Mapping[str, Any] | None = None, terms: Mapping[str, str] | None = None
) -> str:
    """`template` filled from `values` (see the module docstring); never raises."""
    source = _Values(values or {}, terms or {})
    fields: list[str] = []

    def stash(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)
        fields.append(match.group(0))
        return f"\x00{len(fields) - 1}\x00"

    def restore(text: str) -> str:
        return _STASHED.sub(lambda m: fields[int(m.group(1))], text)

    try:
        # Format fields aside first, so that `{x[key]}` is not read as an optional part.
        text = _FIELD.sub(stash, template)
        while (match := _OPTIONAL.search(text)) is not None:
            filled = ""
            for alternative in match.group(1).split("|"):
                try:
                    filled = restore(alternative).format_map(source)
                    break
                except _FORMAT_ERRORS:
                    continue
            source.segments.append(filled)
            fields.append("{" + _SEGMENT + str(len(source.segments) - 1) + "}")
            text = text[: match.start()] + f"\x00{len(fields) - 1}\x00" + text[match.end() :]
        text = restore(text)
        try:
            out = text.format_map(source)
        except _FORMAT_ERRORS:
            out = _PLACEHOLDER.sub(lambda m: _one(m.group(0), source), text)
    except Exception:  # a malformed sentence: better the plain words than a 500
        log.warning("cannot fill the message %r", template, exc_info=True)
        out = _PLACEHOLDER.sub("", template.replace("[", "").replace("]", ""))
    out = re.sub(r"\s{2,}", " ", out).strip()
    return out[:1].upper() + out[1:]


def _one(field: str, source: _Values) -> str:
    try:
        return field.format_map(source)
    except _FORMAT_ERRORS:
        return ""
