"""The whole history's change domains from the sums the fold keeps of each program's latest
evaluation equal a search for every program's latest evaluation (what a period's report does),
over random evaluations, corrections (moving dates) and voids, in batches of any size."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest

from services.reporting.report.evaluation import change_domain_scores, latest_scores
from tests.unit.reporting.history import History
from tests.unit.reporting.memory import MemoryProjection

REGIONS = ("jatim", "papua")


def _scores(rng: random.Random) -> dict[str, int]:
    return {d: rng.randint(1, 5) for d in ("individual", "institutional", "policy")}


def random_history(seed: int) -> History:
    rng = random.Random(seed)
    history = History()
    programs = []
    for i in range(12):
        pid, region = str(uuid.uuid4()), rng.choice(REGIONS)
        history.add(
            "programs",
            "program_proposed",
            pid,
            region=region,
            title=f"Program {i}",
            unit_id=str(uuid.uuid4()),
            unit_code=f"LAPAS-{i}",
            lead_partner_id=str(uuid.uuid4()),
            track="independence",
            proposed_on="2026-01-02",
        )
        programs.append((pid, region))
    recorded: list[tuple[str, str, str]] = []  # (program, region, evaluation event id)
    for _ in range(60):
        pid, region = rng.choice(programs)
        day = (date(2026, 2, 1) + timedelta(days=rng.randint(0, 40))).isoformat()
        kind = rng.random()
        mine = [r for r in recorded if r[0] == pid]
        if kind < 0.5 or not mine:
            eid = history.add(
                "programs",
                "program_evaluated",
                pid,
                region=region,
                scores=_scores(rng),
                participants_completed=3,
                recommendations="r",
                evaluated_on=day,
                evaluated_by="u",
            )
            recorded.append((pid, region, eid))
        elif kind < 0.8:
            history.add(
                "programs",
                "evaluation_corrected",
                pid,
                region=region,
                evaluation_event_id=rng.choice(mine)[2],
                scores=_scores(rng),
                participants_completed=3,
                recommendations="r",
                evaluated_on=day,
                evaluated_by="u",
                reason="salah ketik",
            )
        else:
            history.add(
                "programs",
                "evaluation_voided",
                pid,
                region=region,
                evaluation_event_id=rng.choice(mine)[2],
                reason="ganda",
            )
    return history


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_latest_scores_equal_the_search(seed: int, batch: int) -> None:
    projection = MemoryProjection().feed(random_history(seed).items, batch=batch)
    for region in (None, *REGIONS):
        searched = projection.report(region)["change_domains"]
        sums = projection.sums(region)
        assert latest_scores(sums) == searched, region
    assert projection.report()["change_domains"]["policy"]["evaluations"] > 0


def _evaluated(history: History, pid: str, day: str, score: int) -> str:
    return history.add(
        "programs",
        "program_evaluated",
        pid,
        scores={"individual": score, "institutional": score, "policy": score},
        participants_completed=1,
        recommendations="r",
        evaluated_on=day,
        evaluated_by="u",
    )


def test_a_voided_latest_gives_way_to_the_one_before() -> None:
    history = History()
    pid = str(uuid.uuid4())
    first = _evaluated(history, pid, "2026-03-01", 2)
    second = _evaluated(history, pid, "2026-03-09", 5)
    history.add("programs", "evaluation_voided", pid, evaluation_event_id=second, reason="x")
    sums = MemoryProjection().feed(history.items).sums(None)
    assert latest_scores(sums)["individual"] == {"evaluations": 1, "mean": 2.0}
    history.add("programs", "evaluation_voided", pid, evaluation_event_id=first, reason="x")
    sums = MemoryProjection().feed(history.items).sums(None)
    assert latest_scores(sums)["individual"] == {"evaluations": 0, "mean": None}
    assert change_domain_scores([])["individual"] == {"evaluations": 0, "mean": None}
