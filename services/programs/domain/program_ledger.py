"""What a program recorded (activities, monitoring visits, evaluations), with corrections and
voids folded in: the records, and the totals that count their latest figures.

Each record is keyed by the version its first event gave the program (`record_version` in
the correction events). A correction replaces the record's figures (the record keeps the
shape of its first event, with the corrected fields, so everything that reads figures reads
one shape); a void takes it out of every count. "Latest" monitoring visit and evaluation
mean the last one recorded that is not voided (by the order of their first events), as
before corrections existed.
"""

from __future__ import annotations

from services.programs.commands_corrections import RecordKind
from services.programs.events import ActivityHeld, MonitoringRecorded, ProgramEvaluated
from services.programs.events_corrections import (
    ActivityCorrected,
    ActivityVoided,
    EvaluationCorrected,
    EvaluationVoided,
    MonitoringCorrected,
    MonitoringVoided,
)
from services.programs.values import ParticipantCounts
from shared.events import Event, Model

Figures = ActivityHeld | MonitoringRecorded | ProgramEvaluated
Correction = ActivityCorrected | MonitoringCorrected | EvaluationCorrected
Void = ActivityVoided | MonitoringVoided | EvaluationVoided
RECORD_EVENTS = (ActivityHeld, MonitoringRecorded, ProgramEvaluated)
CHANGE_EVENTS = (*RECORD_EVENTS, *Correction.__args__, *Void.__args__)  # type: ignore[attr-defined]

KIND_OF: dict[type[Event], RecordKind] = {
    ActivityHeld: RecordKind.ACTIVITY,
    ActivityCorrected: RecordKind.ACTIVITY,
    ActivityVoided: RecordKind.ACTIVITY,
    MonitoringRecorded: RecordKind.MONITORING,
    MonitoringCorrected: RecordKind.MONITORING,
    MonitoringVoided: RecordKind.MONITORING,
    ProgramEvaluated: RecordKind.EVALUATION,
    EvaluationCorrected: RecordKind.EVALUATION,
    EvaluationVoided: RecordKind.EVALUATION,
}
_CORRECTED_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.ACTIVITY: (
        "held_on",
        "sessions",
        "participants",
        "volunteer_hours",
        "note",
        "participants_confirmed",
    ),
    RecordKind.MONITORING: ("visited_on", "findings", "rating"),
    RecordKind.EVALUATION: ("scores", "participants_completed", "recommendations", "evaluated_on"),
}


class Record(Model):
    """One activity, monitoring visit or evaluation, with its latest figures."""

    kind: RecordKind
    version: int
    figures: Figures
    corrections: int = 0
    voided: bool = False


class Totals(Model):
    """Running totals of what a program did (voided records left out, corrections counted)."""

    activities: int = 0
    sessions: int = 0
    participants: ParticipantCounts = ParticipantCounts()
    volunteer_hours: int = 0
    monitoring_visits: int = 0
    last_rating: int | None = None


class Ledger(Model):
    """The records of one program and what they add up to."""

    records: dict[int, Record] = {}
    record_of: dict[int, int] = {}
    """Version of every record event (first, correction, void) -> version of the first one."""
    totals: Totals = Totals()
    latest_evaluation: ProgramEvaluated | None = None

    def record(self, version: int) -> Record | None:
        """The record an event at `version` belongs to (it recorded, corrected or voided it)."""
        first = self.record_of.get(version)
        return None if first is None else self.records[first]


def corrected_figures(record: Record, correction: Correction) -> Figures:
    """The record's figures with the correction's fields."""
    fields = _CORRECTED_FIELDS[record.kind]
    return record.figures.model_copy(update={name: getattr(correction, name) for name in fields})


def apply(ledger: Ledger, version: int, event: Event) -> Ledger:
    """The ledger after a record event that made the program's `version`."""
    records = dict(ledger.records)
    if isinstance(event, RECORD_EVENTS):
        kind = KIND_OF[type(event)]
        records[version] = Record(kind=kind, version=version, figures=event)
        before, first = None, version
    else:
        first = event.record_version  # type: ignore[attr-defined]
        before = records[first]
        if isinstance(event, Void.__args__):  # type: ignore[attr-defined]
            records[first] = before.model_copy(update={"voided": True})
        else:
            figures = corrected_figures(before, event)  # type: ignore[arg-type]
            records[first] = before.model_copy(
                update={"figures": figures, "corrections": before.corrections + 1}
            )
    after = records[first]
    totals = _activity_totals(ledger.totals, before, after)
    if after.kind is RecordKind.MONITORING:
        visits = [r for r in records.values() if r.kind is after.kind and not r.voided]
        last = max(visits, key=lambda r: r.version, default=None)
        totals = totals.model_copy(
            update={
                "monitoring_visits": len(visits),
                "last_rating": None if last is None else last.figures.rating,  # type: ignore[union-attr]
            }
        )
    latest_evaluation = ledger.latest_evaluation
    if after.kind is RecordKind.EVALUATION:
        evaluations = [r for r in records.values() if r.kind is after.kind and not r.voided]
        latest = max(evaluations, key=lambda r: r.version, default=None)
        latest_evaluation = None if latest is None else latest.figures  # type: ignore[assignment]
    # model_construct: the parts are already valid models; validating the whole dict again
    # on every event would make each event cost with the number of records.
    return Ledger.model_construct(
        records=records,
        record_of={**ledger.record_of, version: first},
        totals=totals,
        latest_evaluation=latest_evaluation,
    )


def _activity_totals(totals: Totals, before: Record | None, after: Record) -> Totals:
    """Totals with the activity's old figures taken out and its new ones (unless voided) in."""
    if after.kind is not RecordKind.ACTIVITY:
        return totals
    counted = totals.model_dump()
    counted["participants"] = totals.participants
    for record, sign in ((before, -1), (None if after.voided else after, 1)):
        if record is None or record.voided:
            continue
        a: ActivityHeld = record.figures  # type: ignore[assignment]
        counted["activities"] += sign
        counted["sessions"] += sign * a.sessions
        counted["volunteer_hours"] += sign * a.volunteer_hours
        counted["participants"] = (
            counted["participants"] + a.participants
            if sign > 0
            else counted["participants"] - a.participants
        )
    return Totals.model_construct(**counted)
