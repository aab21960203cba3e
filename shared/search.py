"""Text search over list views: one normal form for stored text and queries, and the SQL that
lets PostgreSQL answer "contains" from a trigram index instead of scanning.

The normal form is computed here, in Python, and stored in a column of its own
(`<field>_search`), because the obvious SQL, `unaccent(lower(name))`, cannot be indexed:
`unaccent` is not IMMUTABLE. One function for both sides also means a query matches exactly
what was stored: "Pokmas Lipás", "POKMAS LIPAS" and "lipas" meet at "pokmas lipas".

A query is searched as a substring (`column LIKE '%query%'`), which a `gin_trgm_ops` index
answers for queries of three characters or more (shorter ones have no trigram to look up,
so they are refused rather than silently scanned).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from fastapi import Query

EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
MIN_LENGTH = 3
MAX_LENGTH = 100
_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str | None:
    """Lowercase, without accents, with every run of whitespace as one space; None stays None."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def contains_pattern(query: str) -> str:
    """The LIKE pattern matching every normalised text that contains `query`."""
    needle = normalize(query) or ""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def trigram_index(name: str, table: str, column: str) -> str:
    """The DDL of a trigram index answering `column LIKE '%...%'`."""
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops);"


def search_query(what: str) -> object:
    """A query parameter searching `what`: 3 to 100 characters, accents and case ignored."""
    return Query(
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description=f"Part of {what}, at least {MIN_LENGTH} characters; case and accents "
        "are ignored.",
    )


SearchText = Annotated[str, search_query("the text")]


def with_contains(
    where: str, args: tuple[object, ...], column: str, query: str | None
) -> tuple[str, tuple[object, ...]]:
    """`where` and `args` with "`column` contains `query`" added, when there is a query.

    Added only when asked (not as `$n IS NULL OR ...`): a prepared statement's generic plan
    cannot use the index through such an OR.
    """
    if query is None:
        return where, args
    clause = f"{column} LIKE ${len(args) + 1}"
    return f"({where}) AND {clause}", (*args, contains_pattern(query))
