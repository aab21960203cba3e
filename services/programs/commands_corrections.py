"""Commands that correct or void what a program recorded (activities, monitoring, evaluations).

The HTTP body is the `*Correction` / `Voiding` model; the record's event id comes from the
URL (`/programs/{id}/activities/{activity_event_id}/correct`) and the route adds it to make
the command. A correction gives the full new figures, not a patch: what the officer sends is
what will count, and the event reads on its own.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from services.programs.commands import RecordActivity
from services.programs.values import ChangeScores, Count, LongText, Score
from shared.events import CommandModel

Reason = LongText


class RecordKind(StrEnum):
    """What a program records and may later correct or void."""

    ACTIVITY = "activity"
    MONITORING = "monitoring"
    EVALUATION = "evaluation"


class ActivityCorrection(RecordActivity):
    """The right figures of an activity (all of them), with why the old ones were wrong."""

    reason: Reason = Field(description="Why the recorded figures were wrong.")


class MonitoringCorrection(CommandModel):
    """The right record of a monitoring visit, with why the old one was wrong."""

    visited_on: date = Field(description="Date of the visit; not in the future.")
    findings: LongText = Field(description="What the visit found.")
    rating: Score = Field(description="Overall rating, 1 (poor) to 5 (excellent).")
    reason: Reason = Field(description="Why the recorded visit was wrong.")


class EvaluationCorrection(CommandModel):
    """The right record of an evaluation (all of it), with why the old one was wrong."""

    scores: ChangeScores = Field(description="Scores 1–5: individual, institutional, policy.")
    participants_completed: Count = Field(description="Participants who completed the program.")
    recommendations: LongText = Field(description="What to keep, change or stop.")
    evaluated_on: date = Field(description="Date of the evaluation; not in the future.")
    reason: Reason = Field(description="Why the recorded evaluation was wrong.")


class Voiding(CommandModel):
    """Take a record out of every count (recorded by mistake, or twice), with the reason."""

    reason: Reason = Field(description="Why the record must not count.")


class CorrectActivity(ActivityCorrection):
    """Correct an activity, named by the id of its `activity_held` event (or of a correction)."""

    activity_event_id: UUID


class CorrectMonitoring(MonitoringCorrection):
    """Correct a monitoring visit, named by the id of its `monitoring_recorded` event."""

    monitoring_event_id: UUID


class CorrectEvaluation(EvaluationCorrection):
    """Correct an evaluation, named by the id of its `program_evaluated` event."""

    evaluation_event_id: UUID


class VoidRecord(Voiding):
    """Void an activity, a monitoring visit or an evaluation, named by its event id."""

    kind: RecordKind
    record_event_id: UUID


CorrectRecord = CorrectActivity | CorrectMonitoring | CorrectEvaluation
