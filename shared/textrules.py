"""The text rules every input shares, in command bodies and query strings alike.

PostgreSQL text cannot hold NUL, and the other control characters are never
meant in a name, a number or a note: one of them is a typing slip or an attack,
so it is refused (422) before anything is stored or searched. Free text may
keep its line breaks and tabs; a one-line value (a query parameter) may not.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import StringConstraints
from pydantic_core import PydanticCustomError

CONTROL_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""C0 controls and DEL, except tab, line feed and carriage return."""

CONTROL_IN_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")
"""Every C0 control and DEL."""

MAX_QUERY_TEXT = 200
"""The longest value a query parameter may have (a name, a code, a number to search)."""

CONTROL_CHARACTER = "text_control_character"
"""The pydantic error type of a refused control character (see shared.http.validation_text)."""


def control_character_error(value: str, *, one_line: bool = False) -> PydanticCustomError | None:
    """The error naming the first control character in `value`, or None if it has none."""
    pattern = CONTROL_IN_ONE_LINE if one_line else CONTROL_IN_FREE_TEXT
    found = pattern.search(value)
    if found is None:
        return None
    character = f"U+{ord(found.group()):04X}"
    return PydanticCustomError(
        CONTROL_CHARACTER,
        "text must not contain control characters such as NUL; found {character}"
        " at character {place}",
        {"character": character, "place": found.start() + 1},
    )


PATTERN_WORDS: dict[str, tuple[str, str]] = {}
"""Each text pattern in plain words, Bahasa Indonesia and English, so that a refused value is
told the rule in words, never as a regular expression (shared.http.validation_text)."""


def described_pattern(regex: str, *, id: str, en: str, **constraints: Any) -> StringConstraints:
    """A pattern constraint whose rule reads in words: `id` in Bahasa Indonesia, `en` in English,
    each completing "must be ..." (e.g. id="16 angka", en="16 digits")."""
    PATTERN_WORDS[regex] = (id, en)
    return StringConstraints(pattern=regex, **constraints)
