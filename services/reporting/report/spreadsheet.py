"""The report as an .xlsx workbook (openpyxl): a summary sheet, then one sheet a section."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from services.reporting.report.tabular import SKIP, section_rows

TITLES = {
    "as_of": "Posisi data",
    "partners": "Mitra",
    "agreements": "Perjanjian",
    "ambassadors": "Duta",
    "programs": "Program",
    "participation": "Partisipasi",
    "monitoring": "Monitoring",
    "change_domains": "Domain perubahan",
    "outreach": "Penjangkauan",
    "prospects": "Calon mitra",
}
_BOLD = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="1F4E79")


def _sheet(book: Workbook, title: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]):
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font, cell.fill = _BOLD, _FILL
    for row in rows:
        sheet.append(list(row))
    for i, _ in enumerate(header, start=1):
        width = max([len(str(r[i - 1])) for r in rows] + [len(header[i - 1])]) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(width, 60)
    sheet.freeze_panes = "A2"
    return sheet


def workbook(report: Mapping[str, Any]) -> bytes:
    """The report of one scope as .xlsx bytes."""
    book = Workbook()
    book.remove(book.active)
    scope = report["scope"]
    _sheet(
        book,
        "Laporan",
        ("item", "nilai"),
        [
            ("Laporan evaluasi peran serta masyarakat", ""),
            ("Wilayah (region)", scope["region"] or "nasional (all regions)"),
            ("Dari (from)", scope["from"] or "awal (beginning)"),
            ("Sampai (to)", scope["to"] or "sekarang (now)"),
        ],
    )
    for section in report:
        if section in SKIP:
            continue
        rows = [
            (figure, "" if value is None else value)
            for figure, value in section_rows(report, section)
        ]
        _sheet(book, TITLES.get(section, section), ("figure", "value"), rows)
    if report.get("regions"):
        first = next(iter(report["regions"].values()))
        figures = [
            (s, f)
            for s in first
            if s not in SKIP and s != "as_of"
            for f, _ in section_rows(first, s)
        ]
        codes = list(report["regions"])
        rows = []
        for section, figure in figures:
            values = [dict(section_rows(report["regions"][c], section)).get(figure) for c in codes]
            rows.append((f"{section}.{figure}", *["" if x is None else x for x in values]))
        _sheet(book, "Per wilayah", ("figure", *codes), rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
