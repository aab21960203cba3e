"""The programs events as a wire contract: types, registry, and no floats in data."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from services.programs import events, events_corrections
from services.programs.events import registry
from services.programs.stages import Stage
from services.programs.values import ChangeScores, ParticipantCounts
from shared.events import Event

from .given import ACTOR, World

ALL = [
    obj
    for module in (events, events_corrections)
    for obj in vars(module).values()
    if isinstance(obj, type) and issubclass(obj, Event) and obj is not Event
]


def test_types_follow_the_naming_rule() -> None:
    for model in ALL:
        assert re.fullmatch(r"pas\.programs\.[a-z_]+\.v1", model.TYPE), model.TYPE
        assert model.AGGREGATE in {"unit", "program"}


def test_the_registry_holds_every_event_and_only_those() -> None:
    assert set(registry.models()) == set(ALL)
    assert {m.event_name() for m in ALL} == {
        "unit_registered",
        "program_proposed",
        "program_stage_advanced",
        "activity_held",
        "monitoring_recorded",
        "program_evaluated",
        "program_completed",
        "program_discontinued",
        "activity_corrected",
        "activity_voided",
        "monitoring_corrected",
        "monitoring_voided",
        "evaluation_corrected",
        "evaluation_voided",
    }


def samples() -> list[Event]:
    w = World()
    today = date(2025, 11, 20)
    return [
        events.UnitRegistered(code="LP1", name="Lapas", type="lapas", region="dki"),
        w.proposed(co_partner_ids=(uuid4(), uuid4()), funding_note="CSR bank"),
        events.ProgramStageAdvanced(
            from_stage=Stage.INITIAL_APPROACH,
            to_stage=Stage.CONTINUED_COLLABORATION,
            reason="r",
            evidence=("a", "b"),
            advanced_by=ACTOR,
            on=today,
        ),
        events.ActivityHeld(
            held_on=today,
            sessions=1,
            participants=ParticipantCounts(male_child=3),
            volunteer_hours=2,
            note="n",
            recorded_by=ACTOR,
        ),
        events.MonitoringRecorded(visited_on=today, findings="f", rating=3, recorded_by=ACTOR),
        events.ProgramEvaluated(
            scores=ChangeScores(individual=1, institutional=2, policy=3),
            participants_completed=0,
            recommendations="r",
            evaluated_on=today,
            evaluated_by=ACTOR,
        ),
        events.ProgramCompleted(completed_on=today, summary="s"),
        events.ProgramDiscontinued(discontinued_on=today, reason="r"),
        *correction_samples(today),
    ]


def correction_samples(today: date) -> list[Event]:
    c = events_corrections
    scores = ChangeScores(individual=1, institutional=2, policy=3)
    first = {"record_version": 4, "reason": "salah ketik"}
    return [
        c.ActivityCorrected(
            activity_event_id=uuid4(),
            held_on=today,
            sessions=1,
            volunteer_hours=0,
            participants=ParticipantCounts(female_adult=4),
            participants_confirmed=True,
            corrected_by=ACTOR,
            **first,
        ),
        c.ActivityVoided(activity_event_id=uuid4(), voided_by=ACTOR, **first),
        c.MonitoringCorrected(
            monitoring_event_id=uuid4(),
            visited_on=today,
            findings="f",
            rating=2,
            corrected_by=ACTOR,
            **first,
        ),
        c.MonitoringVoided(monitoring_event_id=uuid4(), voided_by=ACTOR, **first),
        c.EvaluationCorrected(
            evaluation_event_id=uuid4(),
            scores=scores,
            participants_completed=3,
            recommendations="r",
            evaluated_on=today,
            corrected_by=ACTOR,
            **first,
        ),
        c.EvaluationVoided(evaluation_event_id=uuid4(), voided_by=ACTOR, **first),
    ]


def floats(value: Any) -> list[Any]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for item in value.values() for f in floats(item)]
    if isinstance(value, list):
        return [f for item in value for f in floats(item)]
    return []


def test_samples_cover_every_event() -> None:
    assert {type(e) for e in samples()} == set(ALL)


@pytest.mark.parametrize("event", samples(), ids=lambda e: type(e).event_name())
def test_no_floats_and_a_lossless_round_trip(event: Event) -> None:
    data = event.model_dump(mode="json")
    assert floats(data) == []
    assert registry.load(event.TYPE, data) == event
    assert registry.load_json(event.TYPE, event.model_dump_json()) == event


def test_totals_are_not_stored() -> None:
    data = ParticipantCounts(male_adult=2, female_elderly=1).model_dump(mode="json")
    assert "total" not in data and set(data) == {
        "male_child",
        "male_adult",
        "male_elderly",
        "female_child",
        "female_adult",
        "female_elderly",
    }


def test_no_float_typed_field_anywhere() -> None:
    schema_text = str([model.model_json_schema() for model in ALL])
    assert "'number'" not in schema_text
