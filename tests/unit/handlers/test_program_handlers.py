"""The command path of the programs service on the in-memory store: handlers, idempotency,
If-Match, and a load whose cost does not grow with the program's history (snapshots)."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from services.programs import events as program_events
from services.programs.commands import RecordActivity
from services.programs.domain import program
from services.programs.handlers import record_activity
from services.programs.stages import Stage
from services.programs.values import ParticipantCounts
from shared import aggregates
from shared.commands import CommandMeta, Commands, IdempotencyKeyReused
from shared.decider import Decider
from shared.eventstore import ConcurrencyError, InMemoryEventStore, Metadata
from tests.unit.programs.given import ACTOR, World

NOW = datetime(2025, 11, 20, 3, 0, tzinfo=UTC)  # 10:00 WIB in dki
ACTIVITY = RecordActivity(
    held_on=date(2025, 3, 1),
    sessions=2,
    participants=ParticipantCounts(male_adult=4),
    volunteer_hours=1,
)


def commands(store: InMemoryEventStore) -> Commands:
    ids = (uuid.UUID(int=n) for n in itertools.count(1))
    return Commands(
        store, program_events.registry, clock=lambda: NOW, ids=lambda: next(ids), region="dki"
    )


async def running_program(store: InMemoryEventStore) -> uuid.UUID:
    """A program in continued collaboration, its events appended as they were recorded."""
    program_id = uuid.uuid4()
    history = World().at(Stage.CONTINUED_COLLABORATION)
    await store.append(program_id, 0, history, Metadata(actor=ACTOR))
    return program_id


def meta(**kwargs: Any) -> CommandMeta:
    return CommandMeta(Metadata(actor=ACTOR), **kwargs)


async def full_fold(store: InMemoryEventStore, program_id: uuid.UUID) -> Any:
    recorded = await store.read_stream(program_id)
    return program.decider.fold(
        program_events.registry.load_json(e.type, e.data_json) for e in recorded
    )


async def test_recording_activities_keeps_the_state_and_a_snapshot_every_n_events() -> None:
    store = InMemoryEventStore(region="dki", service="programs", clock=lambda: NOW)
    path = commands(store)
    program_id = await running_program(store)
    for _ in range(aggregates.SNAPSHOT_EVERY + 20):
        answer = await record_activity(
            call=path.call(meta()), program_id=program_id, command=ACTIVITY
        )
        assert answer.status == 200 and len(answer.body["events"]) == 1
    version = answer.body["version"]
    snapshot = await store.read_snapshot(program_id)
    assert snapshot is not None and snapshot.schema_version == program.decider.snapshot_version
    assert version - aggregates.SNAPSHOT_EVERY < snapshot.version <= version
    assert program.decider.restore(snapshot.state_json) == program.decider.fold(
        [
            program_events.registry.load_json(e.type, e.data_json)
            for e in (await store.read_stream(program_id))[: snapshot.version]
        ]
    )
    truth = await full_fold(store, program_id)
    assert truth.totals.activities == aggregates.SNAPSHOT_EVERY + 20

    warm = await path.current(program.decider, program_id)  # this process's known state
    assert warm.state == truth and warm.version == version and warm.history == []

    cold = await commands(store).current(program.decider, program_id)  # a fresh process
    assert cold.state == truth and cold.version == version
    assert len(cold.history) == version - snapshot.version  # only the events after it


async def test_a_snapshot_of_another_shape_is_ignored_and_the_state_folded_again() -> None:
    store = InMemoryEventStore(region="dki", service="programs", clock=lambda: NOW)
    program_id = await running_program(store)
    for _ in range(aggregates.SNAPSHOT_EVERY):
        await record_activity(
            call=commands(store).call(meta()), program_id=program_id, command=ACTIVITY
        )
    assert await store.read_snapshot(program_id) is not None
    changed: Decider[Any, Any, Any] = Decider(
        initial=program.initial,
        evolve=program.evolve,
        decide=program.decide,
        snapshot_version=program.decider.snapshot_version + 1,
    )
    loaded = await commands(store).current(changed, program_id)
    assert len(loaded.history) == loaded.version  # the whole stream, not the snapshot
    assert loaded.state == await full_fold(store, program_id)


async def test_idempotency_key_replays_the_first_answer() -> None:
    store = InMemoryEventStore(region="dki", service="programs", clock=lambda: NOW)
    path = commands(store)
    program_id = await running_program(store)
    sent = meta(idempotency_key="k-1", fingerprint="f-1")
    first = await record_activity(call=path.call(sent), program_id=program_id, command=ACTIVITY)
    again = await record_activity(call=path.call(sent), program_id=program_id, command=ACTIVITY)
    assert again.replayed and again.body == first.body and not first.replayed
    assert len(await store.read_stream(program_id)) == first.body["version"]
    with pytest.raises(IdempotencyKeyReused):
        await record_activity(
            call=path.call(meta(idempotency_key="k-1", fingerprint="f-2")),
            program_id=program_id,
            command=ACTIVITY,
        )


async def test_if_match_guards_the_program() -> None:
    store = InMemoryEventStore(region="dki", service="programs", clock=lambda: NOW)
    path = commands(store)
    program_id = await running_program(store)
    version = len(await store.read_stream(program_id))
    with pytest.raises(ConcurrencyError):
        await record_activity(
            call=path.call(meta(expected=version - 1)), program_id=program_id, command=ACTIVITY
        )
    answer = await record_activity(
        call=path.call(meta(expected=version)), program_id=program_id, command=ACTIVITY
    )
    assert answer.body["version"] == version + 1


async def test_two_processes_on_one_log_each_catch_up_with_the_others_events() -> None:
    """Each process keeps its own known states; a load reads what another process appended."""
    store = InMemoryEventStore(region="dki", service="programs", clock=lambda: NOW)
    first, second = commands(store), commands(store)
    program_id = await running_program(store)
    for n in range(30):
        path = first if n % 3 else second
        version = len(await store.read_stream(program_id))
        answer = await record_activity(
            call=path.call(meta(expected=version)), program_id=program_id, command=ACTIVITY
        )
        assert answer.body["version"] == version + 1
    truth = await full_fold(store, program_id)
    for path in (first, second):
        loaded = await path.current(program.decider, program_id)
        assert loaded.state == truth and loaded.version == len(await store.read_stream(program_id))
    assert truth.totals.activities == 30
