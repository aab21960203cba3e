"""The report as rows, one a figure: for CSV and the spreadsheet.

Each row is (region, from, to, section, figure, value): `section` is the
report's top-level key, `figure` the dotted path under it
(`by_kind.media`), `value` the number (empty for null). The header and the
order of rows are stable, so a spreadsheet or a script can rely on them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

HEADER = ("region", "from", "to", "section", "figure", "value")
SKIP = ("scope", "regions", "over_time")


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), inner)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _flatten(f"{prefix}.{i}", inner)
    else:
        yield prefix, value


def report_rows(report: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of one report (and of each region's beside it, if it has them)."""
    scope = report["scope"]
    head = (scope["region"] or "", scope["from"] or "", scope["to"] or "")
    for section, body in report.items():
        if section in SKIP:
            continue
        for figure, value in _flatten("", body):
            yield (*head, section, figure, "" if value is None else value)
    for inner in (report.get("regions") or {}).values():
        yield from report_rows(inner)


def section_rows(report: Mapping[str, Any], section: str) -> list[tuple[str, Any]]:
    return [(figure, value) for figure, value in _flatten("", report[section])]


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
