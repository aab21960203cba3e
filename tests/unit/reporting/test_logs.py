"""Each log's contribution is what services/reporting/logs.py says: a service's events count
only its metrics and write only its tables, in their own region (an as-of report takes a log
out of a copy by these sets and replays it)."""

from __future__ import annotations

from services.reporting.fold import Fold
from services.reporting.logs import METRICS, TABLES
from services.reporting.reading import read_envelope
from shared.readmodel import Delivered
from tests.unit.reporting.generated import generate
from tests.unit.reporting.scenario import build

WRITES = {  # what the fold's changes become (services/reporting/projection.py, bulk.py)
    "agreements": lambda changes: any(
        v.get("kind") == "agreement" and "bucket" in v for v in changes.states.values()
    ),
    "programs": lambda changes: any(v.get("kind") == "program" for v in changes.states.values()),
    "evaluations": lambda changes: bool(changes.evaluations),
    "step_durations": lambda changes: bool(changes.durations),
    "step_days_total": lambda changes: bool(changes.durations),
    "ambassador_day": lambda changes: bool(changes.ambassadors),
}


def wire(region: str, service: str, items: list[object]) -> list[Delivered]:
    out = []
    for item in items:
        recorded = item.recorded  # type: ignore[attr-defined]
        if recorded.region == region and recorded.source == f"/pas/{region}/{service}":
            read = read_envelope(recorded.to_cloudevent_bytes())
            assert not isinstance(read, str), read
            out.append(Delivered(item.seq, read[0], read[1]))  # type: ignore[attr-defined,arg-type]
    return out


def test_a_logs_events_count_only_its_services_metrics_and_tables_in_its_region() -> None:
    # the generated history has no monitoring visits; the hand-made scenario has
    history = generate(["jatim", "ntt"], 40, seed=7).items + build().items
    used = set()
    for region in ("jatim", "ntt"):
        for service, prefixes in METRICS.items():
            items = wire(region, service, history)
            assert items, (region, service)
            changes = Fold({}).apply_all(items)  # one log alone: it needs no other log's state
            for key in changes.counters:
                assert key[0] == region, key
                matching = [p for p in prefixes if key[3].startswith(p)]
                assert matching, (service, key[3])
                used.update(matching)
            for key in changes.ambassadors:
                assert key[1] == region
            for table, wrote in WRITES.items():
                if wrote(changes):
                    assert table in TABLES[service], (service, table)
    assert used == {p for prefixes in METRICS.values() for p in prefixes}  # none listed in vain


def test_every_log_folded_alone_gives_what_the_whole_history_gives() -> None:
    """No handler reads another log's state: folding the logs one by one counts the same."""
    history = generate(["jatim", "papua"], 40, seed=8).items
    together = Fold({}).apply_all(
        [d for r in ("jatim", "papua") for s in METRICS for d in wire(r, s, history)]
    )
    apart: dict[object, int] = {}
    for region in ("jatim", "papua"):
        for service in METRICS:
            for key, n in Fold({}).apply_all(wire(region, service, history)).counters.items():
                apart[key] = apart.get(key, 0) + n
    assert {k: v for k, v in apart.items() if v} == {
        k: v for k, v in together.counters.items() if v
    }
