"""The events of the programs service (aggregates `unit` and `program`): the wire contract.

The aggregate's own id is never in `data` (it travels in the envelope);
references to other aggregates are. Copies such as the unit's code and region
on `program_proposed` spare consumers a join. Event models check shapes only;
the rules live in the deciders, so a rule changed later cannot make old
history unreadable.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import Field

from services.programs.events_corrections import CORRECTION_EVENTS
from services.programs.stages import Phase, Stage
from services.programs.values import (
    Actor,
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
from shared.events import Event, EventRegistry


class UnitRegistered(Event):
    """A UPT Pemasyarakatan became known to Sahabat, by its SDP code."""

    TYPE: ClassVar[str] = "pas.programs.unit_registered.v1"
    AGGREGATE: ClassVar[str] = "unit"

    code: UnitCode
    name: Text
    type: UnitType
    region: Region


class ProgramProposed(Event):
    """A program was proposed at a unit with a lead partner; it starts at `initial_approach`."""

    TYPE: ClassVar[str] = "pas.programs.program_proposed.v1"
    AGGREGATE: ClassVar[str] = "program"

    title: Text
    unit_id: UUID
    unit_code: UnitCode
    region: Region
    lead_partner_id: UUID
    co_partner_ids: tuple[UUID, ...] = ()
    track: Track
    target_group: Text
    planned_participants: Annotated[int, Field(ge=1)]
    planned_sessions: Annotated[int, Field(ge=1)]
    starts_on: date
    ends_on: date
    funding_source: FundingSource
    funding_note: LongText | None = None
    proposed_on: date
    proposed_by: Actor


class ProgramStageAdvanced(Event):
    """A program moved one step forward, or ended; with who moved it, why and the evidence."""

    TYPE: ClassVar[str] = "pas.programs.program_stage_advanced.v1"
    AGGREGATE: ClassVar[str] = "program"

    from_stage: Stage
    from_phase: Phase | None = None
    to_stage: Stage
    to_phase: Phase | None = None
    reason: LongText
    evidence: tuple[Evidence, ...] = ()
    advanced_by: Actor
    on: date


class ActivityHeld(Event):
    """Sessions of a program were held; participants are counted, never named."""

    TYPE: ClassVar[str] = "pas.programs.activity_held.v1"
    AGGREGATE: ClassVar[str] = "program"

    held_on: date
    sessions: Annotated[int, Field(ge=1)]
    participants: ParticipantCounts
    volunteer_hours: Count
    note: LongText | None = None  # about the activity, never about a person
    participants_confirmed: bool = Field(
        default=False,
        description="The officer confirmed participants far above the planned number "
        "(see services.programs.domain.plausibility); False when not sent.",
    )
    recorded_by: Actor


class MonitoringRecorded(Event):
    """A monitoring visit to a program, with its findings and a 1–5 rating."""

    TYPE: ClassVar[str] = "pas.programs.monitoring_recorded.v1"
    AGGREGATE: ClassVar[str] = "program"

    visited_on: date
    findings: LongText
    rating: Score
    recorded_by: Actor


class ProgramEvaluated(Event):
    """A program was evaluated on the three change domains."""

    TYPE: ClassVar[str] = "pas.programs.program_evaluated.v1"
    AGGREGATE: ClassVar[str] = "program"

    scores: ChangeScores
    participants_completed: Count
    recommendations: LongText
    evaluated_on: date
    evaluated_by: Actor


class ProgramCompleted(Event):
    """A program ended as planned (always right after its move to `completed`)."""

    TYPE: ClassVar[str] = "pas.programs.program_completed.v1"
    AGGREGATE: ClassVar[str] = "program"

    completed_on: date
    summary: LongText


class ProgramDiscontinued(Event):
    """A program was stopped early (always right after its move to `discontinued`)."""

    TYPE: ClassVar[str] = "pas.programs.program_discontinued.v1"
    AGGREGATE: ClassVar[str] = "program"

    discontinued_on: date
    reason: LongText


registry = EventRegistry(
    [
        UnitRegistered,
        ProgramProposed,
        ProgramStageAdvanced,
        ActivityHeld,
        MonitoringRecorded,
        ProgramEvaluated,
        ProgramCompleted,
        ProgramDiscontinued,
        *CORRECTION_EVENTS,
    ]
)
