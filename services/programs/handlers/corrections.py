"""Handler of corrections and voids of what a program recorded (activities, monitoring
visits, evaluations), each naming its record by the CloudEvent id that recorded it."""

from __future__ import annotations

from uuid import UUID

from services.programs.commands_corrections import CorrectRecord, VoidRecord
from services.programs.domain import program
from services.programs.domain.program import ProgramContext
from shared.commands import Answer, CommandCall, idempotent


@idempotent
async def correct_record(
    *, call: CommandCall, program_id: UUID, command: CorrectRecord | VoidRecord
) -> Answer:
    """Correct or void one record of a program.

    The program's state is loaded once (from its known state); the records are named by
    event id, so the ids and versions of the stream's events are read beside it.
    """
    loaded = await call.target(program.decider, program_id)
    recorded = await call.commands.store.read_stream(program_id)
    context = ProgramContext(
        today=call.today(),
        actor=call.metadata.actor,
        event_versions={e.id: e.aggregateversion for e in recorded[: loaded.version]},
    )
    events = program.decider.decide(command, loaded.state, context)
    return await call.append(program_id, loaded, events)
