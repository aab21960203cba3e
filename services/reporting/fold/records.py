"""Activities, monitoring visits and evaluations of programs, with their corrections and voids.

Each record is kept under the CloudEvent id of the event that first recorded
it. A correction (CONTRACTS.md C) names that original id and carries the full
new figures: the record's old contribution is taken back and the new one
added (on the new date, if it moved). A voided record counts nowhere, and a
correction of a voided record changes nothing. Participation counts on
`held_on`, monitoring on `visited_on`, evaluations on `evaluated_on`.
"""

from __future__ import annotations

from typing import Any

from services.reporting.fold.core import Fold, State, day_of, on
from services.reporting.fold.programs import SERVICE, program_of
from shared.readmodel import Delivered


def _new_record(fold: Fold, item: Delivered, kind: str, figures: dict[str, Any]) -> State:
    program = program_of(fold, item)
    return fold.put(
        item.recorded.id,
        {
            "kind": kind,
            "program_id": item.recorded.subject,
            "region": program["region"],
            "unit_code": program["unit_code"],
            "track": program["track"],
            "position": item.recorded.position,
            "voided": False,
            **figures,
        },
    )


def _record(fold: Fold, item: Delivered, kind: str, ref: str) -> State | None:
    """The record a correction or void names, if it is this program's and still counts."""
    record = fold.get(str(item.event.get(ref)))  # type: ignore[attr-defined]
    if record is None or record.get("kind") != kind or record.get("voided"):
        return None
    if record.get("program_id") != item.recorded.subject:
        return None
    return record


# --- activities ------------------------------------------------------------------------------


def _activity_figures(data: dict[str, Any]) -> dict[str, Any]:
    groups = {str(k): int(v) for k, v in dict(data.get("participants") or {}).items()}
    return {
        "held_on": str(data["held_on"])[:10],
        "sessions": int(data["sessions"]),
        "participants": groups,
        "volunteer_hours": int(data.get("volunteer_hours") or 0),
    }


def _activity_counts(fold: Fold, record: State, sign: int) -> None:
    region, unit, day = record["region"], record["unit_code"], day_of(record["held_on"])
    groups: dict[str, int] = record["participants"]
    total = sum(groups.values())
    fold.count(region, day, "participation.activities", sign, unit)
    fold.count(region, day, "participation.sessions", sign * record["sessions"], unit)
    fold.count(region, day, "participation.participants", sign * total, unit)
    for group, n in groups.items():
        fold.count(region, day, f"participation.by_group.{group}", sign * n, unit)
    fold.count(region, day, "participation.volunteer_hours", sign * record["volunteer_hours"], unit)
    if record["track"]:
        fold.count(
            region,
            day,
            f"participation.participants_by_track.{record['track']}",
            sign * total,
            unit,
        )


@on(SERVICE, "activity_held")
def activity_held(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    record = _new_record(fold, item, "activity", _activity_figures(data))
    _activity_counts(fold, record, +1)


@on(SERVICE, "activity_corrected", refers=("activity_event_id",))
def activity_corrected(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    record = _record(fold, item, "activity", "activity_event_id")
    if record is None:
        return
    _activity_counts(fold, record, -1)
    record.update(_activity_figures(data))
    _activity_counts(fold, record, +1)
    fold.touched(str(data["activity_event_id"]))


@on(SERVICE, "activity_voided", refers=("activity_event_id",))
def activity_voided(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    record = _record(fold, item, "activity", "activity_event_id")
    if record is None:
        return
    _activity_counts(fold, record, -1)
    record["voided"] = True
    fold.touched(str(data["activity_event_id"]))


# --- monitoring visits -----------------------------------------------------------------------


def _visit_counts(fold: Fold, record: State, sign: int) -> None:
    region, unit, day = record["region"], record["unit_code"], day_of(record["visited_on"])
    fold.count(region, day, "monitoring.visits", sign, unit)
    fold.count(region, day, "monitoring.rating_total", sign * record["rating"], unit)


def _visit_figures(data: dict[str, Any]) -> dict[str, Any]:
    return {"visited_on": str(data["visited_on"])[:10], "rating": int(data["rating"])}


@on(SERVICE, "monitoring_recorded")
def monitoring_recorded(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _visit_counts(fold, _new_record(fold, item, "monitoring", _visit_figures(data)), +1)


@on(SERVICE, "monitoring_corrected", refers=("monitoring_event_id",))
def monitoring_corrected(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    record = _record(fold, item, "monitoring", "monitoring_event_id")
    if record is not None:
        _visit_counts(fold, record, -1)
        record.update(_visit_figures(data))
        _visit_counts(fold, record, +1)
        fold.touched(str(data["monitoring_event_id"]))


@on(SERVICE, "monitoring_voided", refers=("monitoring_event_id",))
def monitoring_voided(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    record = _record(fold, item, "monitoring", "monitoring_event_id")
    if record is not None:
        _visit_counts(fold, record, -1)
        record["voided"] = True
        fold.touched(str(data["monitoring_event_id"]))


# --- evaluations (rows of their own: the report takes each program's latest) ----------------


def _evaluation_figures(data: dict[str, Any]) -> dict[str, Any]:
    scores = dict(data["scores"])
    return {
        "evaluated_on": str(data["evaluated_on"])[:10],
        "scores": {d: int(scores[d]) for d in ("individual", "institutional", "policy")},
        "participants_completed": int(data.get("participants_completed") or 0),
    }


def _keep(fold: Fold, item: Delivered, record_id: str, record: State) -> None:
    fold.touched(record_id)
    fold.changes.evaluations[record_id] = record
    _latest_changed(fold, item, record_id, record)


DOMAINS = ("individual", "institutional", "policy")


def _latest(program: State) -> list[Any] | None:
    """The program's latest evaluation that counts: [evaluated_on, position, *scores]."""
    kept = program.get("evaluations") or {}
    return max(kept.values()) if kept else None


def _latest_changed(fold: Fold, item: Delivered, record_id: str, record: State) -> None:
    """Keep each program's latest evaluation counted in `change_domains.latest.*` (on its date):
    the whole history's change domains are then sums like every other figure, instead of a
    search for every program's latest evaluation at each query."""
    program = program_of(fold, item)
    before = _latest(program)
    kept = dict(program.get("evaluations") or {})
    if record["voided"]:
        kept.pop(record_id, None)
    else:
        scores = record["scores"]
        kept[record_id] = [record["evaluated_on"], record["position"]] + [
            scores[d] for d in DOMAINS
        ]
    program["evaluations"] = kept
    fold.touched(item.recorded.subject)
    after = _latest(program)
    if before == after:
        return
    region, unit = program["region"], program["unit_code"]
    for latest, sign in ((before, -1), (after, +1)):
        if latest is not None:
            day = day_of(latest[0])
            fold.count(region, day, "change_domains.latest.evaluations", sign, unit)
            for domain, score in zip(DOMAINS, latest[2:], strict=True):
                fold.count(region, day, f"change_domains.latest.{domain}", sign * score, unit)


@on(SERVICE, "program_evaluated")
def program_evaluated(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    record = _new_record(fold, item, "evaluation", _evaluation_figures(data))
    _keep(fold, item, item.recorded.id, record)


@on(SERVICE, "evaluation_corrected", refers=("evaluation_event_id",))
def evaluation_corrected(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    record = _record(fold, item, "evaluation", "evaluation_event_id")
    if record is not None:
        record.update(_evaluation_figures(data))
        _keep(fold, item, str(data["evaluation_event_id"]), record)


@on(SERVICE, "evaluation_voided", refers=("evaluation_event_id",))
def evaluation_voided(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    record = _record(fold, item, "evaluation", "evaluation_event_id")
    if record is not None:
        record["voided"] = True
        _keep(fold, item, str(data["evaluation_event_id"]), record)
