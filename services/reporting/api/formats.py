"""Answering in JSON, CSV or a spreadsheet, as the caller asks (`format=`, or `Accept`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from services.reporting.api.scope import invalid
from services.reporting.report.tabular import to_csv

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def wanted_format(request: Request, value: str | None, allowed: Sequence[str]) -> str:
    if value:
        if value not in allowed:
            raise invalid(
                "format",
                f"Format '{value[:20]}' tidak didukung: pilih {', '.join(allowed)}.",
                f"Format '{value[:20]}' is not supported: use {', '.join(allowed)}.",
            )
        return value
    accept = request.headers.get("accept", "")
    if "text/csv" in accept and "application/json" not in accept:
        return "csv"
    return "json"


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], name: str) -> Response:
    return Response(
        to_csv(header, rows),
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def xlsx_response(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


def json_response(body: Any) -> JSONResponse:
    return JSONResponse(body)


def file_name(kind: str, region: str | None, start: Any, end: Any) -> str:
    parts = [kind, region or "nasional"]
    if start:
        parts.append(f"{start}")
    if end:
        parts.append(f"{end}")
    return "_".join(parts)
