"""The commands of the programs service; each doubles as the body of its HTTP request.

The id of the aggregate a command acts on is not a field: it comes from the URL.
Dates left out mean "today" (the decider takes it from its context, whose clock
the handler controls).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field

from services.programs.stages import Phase, Stage
from services.programs.values import (
    ChangeScores,
    Count,
    Evidence,
    FundingSource,
    LongText,
    ParticipantCounts,
    Region,
    Score,
    Text,
    Track,
    UnitCode,
    UnitType,
)
from shared.events import CommandModel

PositiveInt = Annotated[int, Field(ge=1, le=1_000_000)]
EvidenceList = Annotated[
    tuple[Evidence, ...],
    Field(max_length=50, description="Document references or links backing the move."),
]


class RegisterUnit(CommandModel):
    """Register a UPT Pemasyarakatan (the unit id comes from the URL)."""

    code: UnitCode = Field(description="The unit's code in the national database (SDP).")
    name: Text = Field(description="The unit's name, e.g. 'Lapas Kelas I Cipinang'.")
    type: UnitType = Field(description="lapas, rutan, lpka, bapas, rupbasan or lpp.")
    region: Region = Field(description="The Kanwil region code, e.g. 'dki'.")


class ProposeProgram(CommandModel):
    """Propose a program at a unit, led by a partner; it starts at `initial_approach`."""

    title: Text = Field(description="The program's title.")
    unit_id: UUID = Field(description="The unit (UPT) where the program runs.")
    lead_partner_id: UUID = Field(description="The partner leading the program.")
    co_partner_ids: tuple[UUID, ...] = Field(
        default=(), max_length=50, description="Other partners taking part (not the lead)."
    )
    track: Track = Field(description="personality_development, independence or reintegration.")
    target_group: Text = Field(description="Who the program is for, e.g. 'adult male inmates'.")
    planned_participants: PositiveInt = Field(description="How many participants are planned.")
    planned_sessions: PositiveInt = Field(description="How many sessions are planned.")
    starts_on: date = Field(description="First day of the program.")
    ends_on: date = Field(description="Last day of the program; after starts_on.")
    funding_source: FundingSource = Field(description="apbn, apbd, partner, grant, csr or other.")
    funding_note: LongText | None = Field(default=None, description="Details on the funding.")
    proposed_on: date | None = Field(
        default=None, description="When it was proposed (for records entered late); default today."
    )


class AdvanceStage(CommandModel):
    """Move a program exactly one step forward (use complete/discontinue to end it)."""

    to_stage: Stage = Field(description="The stage to move to.")
    to_phase: Phase | None = Field(
        default=None, description="The stage-3 phase to move to; entering stage 3 means 'design'."
    )
    reason: LongText = Field(description="Why the program moves on.")
    evidence: EvidenceList = ()
    on: date | None = Field(default=None, description="When the move happened; default today.")


class RecordActivity(CommandModel):
    """Record sessions held by a program, with participants counted by sex and age group."""

    held_on: date = Field(description="When it was held; within the program's dates, not future.")
    sessions: PositiveInt = Field(description="Number of sessions held.")
    participants: ParticipantCounts = Field(description="Counts by sex and age group, no names.")
    volunteer_hours: Count = Field(default=0, description="Volunteer hours given, whole hours.")
    note: LongText | None = Field(default=None, description="About the activity; no names.")
    participants_confirmed: bool = Field(
        default=False,
        description="Set to true to confirm participants far above the program's planned number "
        "(more than twice the plan and at least 10 more); kept in the event.",
    )


class RecordMonitoring(CommandModel):
    """Record a monitoring visit to a program."""

    visited_on: date = Field(description="Date of the visit; not in the future.")
    findings: LongText = Field(description="What the visit found.")
    rating: Score = Field(description="Overall rating, 1 (poor) to 5 (excellent).")


class EvaluateProgram(CommandModel):
    """Evaluate a program on the three change domains (stage-3 evaluation phase or completed)."""

    scores: ChangeScores = Field(description="Scores 1–5: individual, institutional, policy.")
    participants_completed: Count = Field(description="Participants who completed the program.")
    recommendations: LongText = Field(description="What to keep, change or stop.")
    evaluated_on: date | None = Field(
        default=None, description="Date of evaluation; default today."
    )


class CompleteProgram(CommandModel):
    """End a program as completed (from stage 2, or from the stage-3 evaluation phase)."""

    summary: LongText = Field(description="What the program achieved.")
    evidence: EvidenceList = ()
    completed_on: date | None = Field(default=None, description="Date it ended; default today.")


class DiscontinueProgram(CommandModel):
    """Stop a program early, from any step."""

    reason: LongText = Field(description="Why the program stops.")
    evidence: EvidenceList = ()
    discontinued_on: date | None = Field(
        default=None, description="Date it stopped; default today."
    )
