"""Routes for outreach commands: plan, record held, hold, cancel, record media coverage.

Send `X-Actor`; `If-Match` with the ETag to guard against changes made
meanwhile; `Idempotency-Key` to make retries safe; `X-Partners-Position` to
wait for an ambassador just appointed in the partners service.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.outreach import commands as c
from services.outreach import handlers as h
from services.outreach.api.caught_up import PartnersCaughtUp, ambassadors, explained
from shared.http.commands import Command, Runtime, respond

router = APIRouter(prefix="/outreach", tags=["outreach"])


@router.post("", status_code=201, summary="Plan an outreach event (rencanakan penjangkauan)")
async def plan(
    body: c.PlanOutreach, call: Command, runtime: Runtime, waited: PartnersCaughtUp
) -> JSONResponse:
    handling = h.plan_outreach(
        call=call,
        command=body,
        ambassadors=ambassadors(runtime),
        caught_up=waited is not None,
    )
    answer = await explained(handling, runtime)
    return respond(answer, location=f"/outreach/{answer.body['id']}")


@router.post("/held", status_code=201, summary="Record an outreach event held without a plan")
async def record_held(
    body: c.RecordHeldOutreach, call: Command, runtime: Runtime, waited: PartnersCaughtUp
) -> JSONResponse:
    handling = h.record_held_outreach(
        call=call,
        command=body,
        ambassadors=ambassadors(runtime),
        caught_up=waited is not None,
    )
    answer = await explained(handling, runtime)
    return respond(answer, location=f"/outreach/{answer.body['id']}")


@router.post("/{outreach_id}/hold", summary="Record that a planned outreach event took place")
async def hold(
    outreach_id: UUID,
    body: c.HoldOutreach,
    call: Command,
    runtime: Runtime,
    waited: PartnersCaughtUp,
) -> JSONResponse:
    handling = h.hold_outreach(
        call=call,
        outreach_id=outreach_id,
        command=body,
        ambassadors=ambassadors(runtime),
        caught_up=waited is not None,
    )
    return respond(await explained(handling, runtime))


@router.post("/{outreach_id}/cancel", summary="Cancel a planned outreach event, with the reason")
async def cancel(outreach_id: UUID, body: c.CancelOutreach, call: Command) -> JSONResponse:
    return respond(await h.cancel_outreach(call=call, outreach_id=outreach_id, command=body))


@router.post(
    "/{outreach_id}/coverage", status_code=201, summary="Record media coverage of an outreach event"
)
async def record_coverage(outreach_id: UUID, body: c.RecordCoverage, call: Command) -> JSONResponse:
    return respond(await h.record_coverage(call=call, outreach_id=outreach_id, command=body))
