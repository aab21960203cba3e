"""Read-your-writes across services: wait for the partners read model, and say so when it lags.

A client that has just changed a partner in the partners service sends the
`position` that service answered as `X-Partners-Position`; a command here then
waits (up to WAIT_SECONDS) until the read model has applied the partners log
of this region up to that position. Without the header, commands decide on
what the read model knows now, and a partner it has not seen yet is
"not yet known" (409, retry), never "does not exist".
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Request

from services.programs.readmodels import PARTNERS_SOURCE_SERVICE, PartnersReadModel
from shared.decider import DomainError
from shared.envelope import event_source
from shared.http.commands import get_runtime
from shared.http.problems import Problem
from shared.projections import ProjectionRunner
from shared.runtime import ServiceRuntime

HEADER = "X-Partners-Position"
WAIT_SECONDS = 5.0
_POSITION = re.compile(r"^\d{1,15}$")


def _runner(runtime: ServiceRuntime) -> tuple[ProjectionRunner, str]:
    source = event_source(runtime.settings.region, PARTNERS_SOURCE_SERVICE)
    return runtime.runners[PartnersReadModel.name], source


async def partners_applied(runtime: ServiceRuntime) -> int:
    """The last position of this region's partners log the read model has applied."""
    runner, source = _runner(runtime)
    return await runner.source_position(source)


async def wait_for_partners(
    request: Request,
    x_partners_position: Annotated[
        str | None,
        Header(
            description="The `position` the partners service answered for a change to a "
            "partner (of this region) that this command relies on: the command waits up to "
            f"{WAIT_SECONDS:g} s until the programs service has received it."
        ),
    ] = None,
) -> int | None:
    """Wait until the partners read model has reached the position asked for, if any."""
    if x_partners_position is None:
        return None
    if not _POSITION.match(x_partners_position.strip()):
        raise Problem(
            422,
            "partners_position_invalid",
            f"Header {HEADER} harus berupa bilangan bulat ≥ 0 (position dari "
            "jawaban layanan mitra).",
            field=HEADER,
        )
    wanted = int(x_partners_position.strip())
    runtime = get_runtime(request)
    runner, source = _runner(runtime)
    if not await runner.wait_for_source_position(source, wanted, WAIT_SECONDS):
        applied = await runner.source_position(source)
        raise Problem(
            503,
            "read_model_not_caught_up",
            f"Layanan program belum menerima event layanan mitra sampai posisi {wanted} "
            f"(baru sampai {applied}) dalam {WAIT_SECONDS:g} detik: read model belum menyusul. "
            "Coba lagi sebentar lagi. (The programs service has not yet received the partners "
            "events up to that position; retry shortly.)",
            field=HEADER,
            partners_position_wanted=wanted,
            partners_position_applied=applied,
            retry_after_seconds=1,
        )
    return wanted


PartnersCaughtUp = Annotated[int | None, Depends(wait_for_partners)]


async def explain(exc: DomainError, runtime: ServiceRuntime) -> Exception:
    """`partner_not_yet_known` as a problem that says why and what to do; others unchanged."""
    if exc.code != "partner_not_yet_known":
        return exc
    partner_id = exc.details.get("partner_id")
    return Problem(
        409,
        exc.code,
        f"Mitra {partner_id} belum dikenal layanan program: event mitra ini dari layanan "
        "mitra belum diterima (bukan berarti mitra tidak ada). Coba lagi sebentar lagi, atau "
        f"kirim header {HEADER} berisi `position` dari jawaban layanan mitra agar permintaan "
        "menunggu sampai event itu diterima. (The programs service has not yet received this "
        f"partner's events; retry, or send {HEADER}.)",
        field=exc.field,
        details=exc.details,
        partners_position_applied=await partners_applied(runtime),
    )
