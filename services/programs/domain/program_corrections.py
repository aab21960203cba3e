"""The program decisions that correct or void a record: an activity, a monitoring visit or an
evaluation. History is never edited; the new event says what really counts.

Rules, with the reason for each:

* A record is named by the CloudEvent id of the event that first recorded it. The id of
  one of its corrections names it too (officers copy the id they see last), but the event
  always names the first one, so consumers key a record by one id.
* An id that names nothing in this program, or a record of another kind, is 404
  `<kind>_not_found`: it is the id in the path.
* A voided record is gone: correcting or voiding it again is 409 `record_voided`.
* A correction gives the full figures and must change something (422
  `correction_changes_nothing`), and they obey the rules of recording: dates not ahead of
  today, an activity within the program's dates with plausible counts.
* Corrections and voids are allowed after the program ended: reports of a finished program
  must be right too. The stage rules of recording (activities from stage 2 on, evaluations
  in the evaluation phase) are not asked again: the record was accepted then.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.programs.commands import RecordActivity
from services.programs.commands_corrections import (
    CorrectActivity,
    CorrectEvaluation,
    CorrectMonitoring,
    CorrectRecord,
    RecordKind,
    VoidRecord,
)
from services.programs.domain.program_context import ProgramContext
from services.programs.domain.program_ledger import Record, corrected_figures
from services.programs.domain.program_records import check_activity_figures
from services.programs.domain.program_rules import not_future, require_exists
from services.programs.domain.program_state import ProgramState
from services.programs.events_corrections import (
    ActivityCorrected,
    ActivityVoided,
    EvaluationCorrected,
    EvaluationVoided,
    MonitoringCorrected,
    MonitoringVoided,
)
from shared.decider import DomainError
from shared.events import Event

_ID_FIELD = {
    RecordKind.ACTIVITY: "activity_event_id",
    RecordKind.MONITORING: "monitoring_event_id",
    RecordKind.EVALUATION: "evaluation_event_id",
}
_NOT_FOUND = {
    RecordKind.ACTIVITY: "activity_not_found",
    RecordKind.MONITORING: "monitoring_not_found",
    RecordKind.EVALUATION: "evaluation_not_found",
}
_VOIDED: dict[RecordKind, type[ActivityVoided | MonitoringVoided | EvaluationVoided]] = {
    RecordKind.ACTIVITY: ActivityVoided,
    RecordKind.MONITORING: MonitoringVoided,
    RecordKind.EVALUATION: EvaluationVoided,
}


def find_record(
    kind: RecordKind, event_id: UUID, state: ProgramState, context: ProgramContext
) -> tuple[Record, UUID]:
    """The record `event_id` names (its first event or a correction), and its first event's id."""
    id_field = _ID_FIELD[kind]
    version = context.event_versions.get(str(event_id))
    first = None if version is None else state.record_of.get(version)
    record = None if first is None else state.records[first]
    if record is None or record.kind is not kind:
        raise DomainError(
            _NOT_FOUND[kind],
            f"this program has no {kind.value} recorded by event {event_id}",
            status=404,
            field=id_field,
            details={"record_event_id": str(event_id), "kind": kind.value},
        )
    original = next(eid for eid, v in context.event_versions.items() if v == record.version)
    if record.voided:
        raise DomainError(
            "record_voided",
            f"the {kind.value} recorded by event {original} was voided",
            status=409,
            field=id_field,
            details={"kind": kind.value, "record_event_id": original},
        )
    return record, UUID(original)


def correct(command: CorrectRecord, state: ProgramState, context: ProgramContext) -> list[Event]:
    """Replace a record's figures with the command's, naming the record's first event."""
    proposal = require_exists(state)
    figures = command.model_dump(exclude={"reason", *_ID_FIELD.values()})
    common: dict[str, Any] = {"reason": command.reason, "corrected_by": context.actor}
    event: ActivityCorrected | MonitoringCorrected | EvaluationCorrected
    match command:
        case CorrectActivity():
            record, original = find_record(
                RecordKind.ACTIVITY, command.activity_event_id, state, context
            )
            check_activity_figures(RecordActivity(**figures), proposal, context)
            event = ActivityCorrected(
                activity_event_id=original, record_version=record.version, **figures, **common
            )
        case CorrectMonitoring():
            record, original = find_record(
                RecordKind.MONITORING, command.monitoring_event_id, state, context
            )
            not_future(command.visited_on, context, "visited_on")
            event = MonitoringCorrected(
                monitoring_event_id=original, record_version=record.version, **figures, **common
            )
        case CorrectEvaluation():
            record, original = find_record(
                RecordKind.EVALUATION, command.evaluation_event_id, state, context
            )
            not_future(command.evaluated_on, context, "evaluated_on")
            event = EvaluationCorrected(
                evaluation_event_id=original, record_version=record.version, **figures, **common
            )
    if corrected_figures(record, event) == record.figures:
        raise DomainError(
            "correction_changes_nothing",
            f"the figures sent are the {record.kind.value}'s current ones",
            details={"kind": record.kind.value},
        )
    return [event]


def void(command: VoidRecord, state: ProgramState, context: ProgramContext) -> list[Event]:
    """Take a record out of every count, naming the record's first event."""
    require_exists(state)
    record, original = find_record(command.kind, command.record_event_id, state, context)
    voided = _VOIDED[command.kind]
    return [
        voided(  # type: ignore[call-arg]
            **{_ID_FIELD[command.kind]: original},
            record_version=record.version,
            reason=command.reason,
            voided_by=context.actor,
        )
    ]
