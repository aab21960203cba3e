"""Routes that correct or void what a program recorded: activities, monitoring visits and
evaluations, each named by the id of the event that recorded it (or of a correction of it).

`POST /programs/{id}/activities/{activity_event_id}/correct` (the full new figures and the
reason) and `.../void` (the reason); the same under `/monitoring/{monitoring_event_id}` and
`/evaluation/{evaluation_event_id}`. The old event stays in the history; the program's
state, views and timeline count the corrected figures.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.programs.commands_corrections import (
    ActivityCorrection,
    CorrectActivity,
    CorrectEvaluation,
    CorrectMonitoring,
    CorrectRecord,
    EvaluationCorrection,
    MonitoringCorrection,
    RecordKind,
    Voiding,
    VoidRecord,
)
from services.programs.handlers import correct_record
from shared.http.commands import Command, respond

router = APIRouter(prefix="/programs", tags=["corrections"])


async def _run(cmd: Command, program_id: UUID, command: CorrectRecord | VoidRecord) -> JSONResponse:
    return respond(await correct_record(call=cmd, program_id=program_id, command=command))


@router.post(
    "/{program_id}/activities/{activity_event_id}/correct",
    summary="Correct an activity: the full right figures, with the reason",
)
async def correct_activity(
    program_id: UUID, activity_event_id: UUID, body: ActivityCorrection, cmd: Command
) -> JSONResponse:
    command = CorrectActivity(**body.model_dump(), activity_event_id=activity_event_id)
    return await _run(cmd, program_id, command)


@router.post(
    "/{program_id}/activities/{activity_event_id}/void",
    summary="Void an activity recorded by mistake, with the reason",
)
async def void_activity(
    program_id: UUID, activity_event_id: UUID, body: Voiding, cmd: Command
) -> JSONResponse:
    command = VoidRecord(
        kind=RecordKind.ACTIVITY, record_event_id=activity_event_id, reason=body.reason
    )
    return await _run(cmd, program_id, command)


@router.post(
    "/{program_id}/monitoring/{monitoring_event_id}/correct",
    summary="Correct a monitoring visit, with the reason",
)
async def correct_monitoring(
    program_id: UUID, monitoring_event_id: UUID, body: MonitoringCorrection, cmd: Command
) -> JSONResponse:
    command = CorrectMonitoring(**body.model_dump(), monitoring_event_id=monitoring_event_id)
    return await _run(cmd, program_id, command)


@router.post(
    "/{program_id}/monitoring/{monitoring_event_id}/void",
    summary="Void a monitoring visit recorded by mistake, with the reason",
)
async def void_monitoring(
    program_id: UUID, monitoring_event_id: UUID, body: Voiding, cmd: Command
) -> JSONResponse:
    command = VoidRecord(
        kind=RecordKind.MONITORING, record_event_id=monitoring_event_id, reason=body.reason
    )
    return await _run(cmd, program_id, command)


@router.post(
    "/{program_id}/evaluation/{evaluation_event_id}/correct",
    summary="Correct an evaluation: the full right scores and counts, with the reason",
)
async def correct_evaluation(
    program_id: UUID, evaluation_event_id: UUID, body: EvaluationCorrection, cmd: Command
) -> JSONResponse:
    command = CorrectEvaluation(**body.model_dump(), evaluation_event_id=evaluation_event_id)
    return await _run(cmd, program_id, command)


@router.post(
    "/{program_id}/evaluation/{evaluation_event_id}/void",
    summary="Void an evaluation recorded by mistake, with the reason",
)
async def void_evaluation(
    program_id: UUID, evaluation_event_id: UUID, body: Voiding, cmd: Command
) -> JSONResponse:
    command = VoidRecord(
        kind=RecordKind.EVALUATION, record_event_id=evaluation_event_id, reason=body.reason
    )
    return await _run(cmd, program_id, command)
