"""Read your writes: wait until the report includes what the caller just wrote.

A caller that has just written to a service sends that service's answer's
`position` in the header the other services already use for it
(`X-Partners-Position`, `X-Programs-Position`, `X-Outreach-Position`): the
number alone for the report's region, or `<region>/<number>` (needed for the
national report). The report waits up to WAIT_SECONDS until its projections
have applied that service log up to that position, else answers 409
`report_not_caught_up` (retry shortly).
"""

from __future__ import annotations

import re

from fastapi import Request

from services.reporting.api.scope import invalid
from shared.envelope import event_source
from shared.http.problems import Problem
from shared.regions import is_region

WAIT_SECONDS = 5.0
SERVICES = ("partners", "programs", "outreach")
_VALUE = re.compile(r"^(?:([a-z][a-z0-9]{1,29})/)?(\d{1,15})$")
POSITION_HEADERS = [
    {
        "name": f"X-{service.capitalize()}-Position",
        "in": "header",
        "required": False,
        "description": f"Wait (up to {WAIT_SECONDS:g} s) until the report includes the "
        f"{service} event at this position: the `position` the {service} service answered, "
        "alone for the report's region or as `<region>/<position>` (the national report needs "
        "the region); else 409 `report_not_caught_up`",
        "schema": {"type": "string", "pattern": _VALUE.pattern, "examples": ["jatim/42"]},
    }
    for service in SERVICES
]
"""The headers as OpenAPI parameters (read from the request, not declared to FastAPI)."""


def wanted_positions(request: Request, region: str | None) -> list[tuple[str, str, int]]:
    """(header, source, position) of every position header sent."""
    wanted = []
    for service in SERVICES:
        header = f"X-{service.capitalize()}-Position"
        raw = request.headers.get(header)
        if raw is None:
            continue
        match = _VALUE.match(raw.strip())
        named = match.group(1) if match else None
        target = named or region
        if match is None or target is None or not is_region(target):
            raise invalid(
                header,
                f"Header {header} harus berupa posisi (bilangan bulat) atau "
                "<kanwil>/<posisi>; untuk laporan nasional sebutkan kanwilnya, mis. jatim/42.",
                f"Header {header} must be a position (integer) or <region>/<position>; for the "
                "national report name the region, e.g. jatim/42.",
            )
        wanted.append((header, event_source(target, service), int(match.group(2))))
    return wanted


async def wait_until_included(request: Request, region: str | None) -> None:
    wanted = wanted_positions(request, region)  # refused before anything waits
    runtime = request.app.state.runtime
    for header, source, position in wanted:
        if not await runtime.wait_for(source, position, WAIT_SECONDS):
            applied = await runtime.source_position(source)
            raise Problem(
                409,
                "report_not_caught_up",
                f"Laporan belum memuat event {source} sampai posisi {position} (baru sampai "
                f"{applied}) dalam {WAIT_SECONDS:g} detik. Coba lagi sebentar lagi.",
                detail_en=f"The report has not yet applied {source} up to position {position} "
                f"(only {applied}) within {WAIT_SECONDS:g} s; retry shortly.",
                field=header,
                position_wanted=position,
                position_applied=applied,
                retry_after_seconds=1,
            )
