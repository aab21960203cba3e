"""The events that correct or void what a program recorded: activities, monitoring visits and
evaluations (wire contract C of issue 7, consumed by reporting).

History is never edited: a wrong entry stays in the log and a later event says what the
figures really were (`*_corrected`, always the full new figures) or that the entry should
not count at all (`*_voided`). Each names the record by the CloudEvent id of the event that
first recorded it (`activity_event_id`, ...), also when it corrects a correction, so a
consumer keys every record by one id and keeps the latest figures.

`record_version` (added beside the contract's fields) is that first event's
`aggregateversion` in the program's stream: it lets a fold of the events alone, with no
envelopes, find the record (the deciders' `evolve` sees events, not their ids).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import Field

from services.programs.values import (
    Actor,
    ChangeScores,
    Count,
    LongText,
    ParticipantCounts,
    Score,
)
from shared.events import Event

RecordVersion = Annotated[
    int,
    Field(
        ge=1,
        description="The aggregateversion of the event that first recorded this record, in the "
        "program's stream (the same record as the `*_event_id`).",
    ),
]


class ActivityCorrected(Event):
    """An activity's figures were wrong: these are the right ones (all of them)."""

    TYPE: ClassVar[str] = "pas.programs.activity_corrected.v1"
    AGGREGATE: ClassVar[str] = "program"

    activity_event_id: UUID = Field(description="The id of the activity_held event.")
    record_version: RecordVersion
    held_on: date
    sessions: Annotated[int, Field(ge=1)]
    participants: ParticipantCounts
    volunteer_hours: Count
    note: LongText | None = None  # about the activity, never about a person
    participants_confirmed: bool = False
    reason: LongText
    corrected_by: Actor


class ActivityVoided(Event):
    """An activity was recorded by mistake (never held, or recorded twice): it counts nowhere."""

    TYPE: ClassVar[str] = "pas.programs.activity_voided.v1"
    AGGREGATE: ClassVar[str] = "program"

    activity_event_id: UUID = Field(description="The id of the activity_held event.")
    record_version: RecordVersion
    reason: LongText
    voided_by: Actor


class MonitoringCorrected(Event):
    """A monitoring visit's record was wrong: these are the right date, findings and rating."""

    TYPE: ClassVar[str] = "pas.programs.monitoring_corrected.v1"
    AGGREGATE: ClassVar[str] = "program"

    monitoring_event_id: UUID = Field(description="The id of the monitoring_recorded event.")
    record_version: RecordVersion
    visited_on: date
    findings: LongText
    rating: Score
    reason: LongText
    corrected_by: Actor


class MonitoringVoided(Event):
    """A monitoring visit was recorded by mistake: it counts nowhere."""

    TYPE: ClassVar[str] = "pas.programs.monitoring_voided.v1"
    AGGREGATE: ClassVar[str] = "program"

    monitoring_event_id: UUID = Field(description="The id of the monitoring_recorded event.")
    record_version: RecordVersion
    reason: LongText
    voided_by: Actor


class EvaluationCorrected(Event):
    """An evaluation's record was wrong: these are the right scores, counts and date."""

    TYPE: ClassVar[str] = "pas.programs.evaluation_corrected.v1"
    AGGREGATE: ClassVar[str] = "program"

    evaluation_event_id: UUID = Field(description="The id of the program_evaluated event.")
    record_version: RecordVersion
    scores: ChangeScores
    participants_completed: Count
    recommendations: LongText
    evaluated_on: date
    reason: LongText
    corrected_by: Actor


class EvaluationVoided(Event):
    """An evaluation was recorded by mistake: it counts nowhere."""

    TYPE: ClassVar[str] = "pas.programs.evaluation_voided.v1"
    AGGREGATE: ClassVar[str] = "program"

    evaluation_event_id: UUID = Field(description="The id of the program_evaluated event.")
    record_version: RecordVersion
    reason: LongText
    voided_by: Actor


CORRECTION_EVENTS: tuple[type[Event], ...] = (
    ActivityCorrected,
    ActivityVoided,
    MonitoringCorrected,
    MonitoringVoided,
    EvaluationCorrected,
    EvaluationVoided,
)
