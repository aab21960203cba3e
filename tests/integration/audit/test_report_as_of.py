"""`GET /reports/evaluation?as_of=T`: the history as it stood at T, from a temporary generation;
equal to the report the service answered at T (kept during the test) and to the report
recomputed from a bundle exported as of T."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nats.aio.client import Client as NATS

from sahabat import audit_report
from services.reporting import parts
from services.reporting.app import create
from services.reporting.runtime import ReportingRuntime
from shared.audit.export import collect_log, services_of, write_bundle
from shared.ids import format_time
from shared.readmodel import Delivered
from shared.settings import Settings
from tests.conftest import STREAM, running_app
from tests.integration.audit.test_bundle_report import COMPARED, chained
from tests.integration.reporting.conftest import NOW, publish
from tests.unit.reporting.scenario import build

pytestmark = pytest.mark.integration


def in_recorded_order(items: list[Delivered]) -> list[Delivered]:
    """The scenario's events recorded a minute apart, in its order (as a clock records them)."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    return [
        dataclasses.replace(
            item,
            recorded=dataclasses.replace(
                item.recorded, time=format_time(start + timedelta(minutes=item.seq))
            ),
        )
        for item in items
    ]


async def test_as_of_counts_only_what_was_recorded_by_then(
    reporting_settings: Settings,
    private_nats: tuple[str, NATS],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    history = build()
    items = chained(in_recorded_order(history.items))
    jatim = [item.recorded for item in items if item.recorded.region == "jatim"]
    cut = jatim[len(jatim) // 2]
    until_cut = next(n for n, item in enumerate(items) if item.recorded is cut) + 1
    moment = datetime.fromisoformat(cut.time.replace("Z", "+00:00"))
    expected: dict[str, int] = {}
    for recorded in jatim[: len(jatim) // 2 + 1]:
        expected[f"jatim/{recorded.service}"] = recorded.position

    app = create(reporting_settings, ReportingRuntime(reporting_settings, clock=lambda: NOW))
    last = history.positions[("jatim", "programs")]
    async with running_app(app) as client:
        # the report the service answered at the cut, kept; then the rest of the history arrives
        await publish(private_nats[1], items[:until_cut])
        wait = {f"X-{cut.service.capitalize()}-Position": f"jatim/{cut.position}"}
        kept = await client.get("/reports/evaluation", params={"region": "jatim"}, headers=wait)
        await publish(private_nats[1], items[until_cut:])
        now = await client.get(  # the whole history: the last event of every jatim log
            "/reports/evaluation",
            params={"region": "jatim"},
            headers={
                "X-Programs-Position": f"jatim/{last}",
                "X-Outreach-Position": f"jatim/{history.positions[('jatim', 'outreach')]}",
                "X-Partners-Position": f"jatim/{history.positions[('jatim', 'partners')]}",
            },
        )
        params = {"region": "jatim", "as_of": cut.time}
        then = await client.get("/reports/evaluation", params=params)
        again = await client.get("/reports/evaluation", params=params)
        wrong = await client.get("/reports/evaluation", params={"as_of": "yesterday"})
        live_after = await client.get("/reports/evaluation", params={"region": "jatim"})
        assert app.state.as_of_reports.built == 1  # the second answer came from the cache
        assert app.state.as_of_reports.copied == 0  # later events applied: a replay
    assert then.status_code == 200, then.text
    past = then.json()
    assert past["as_of_time"] == cut.time
    assert {k: v for k, v in past["as_of"].items() if k.startswith("jatim/")} == expected
    assert past["as_of"] != now.json()["as_of"]
    assert past["partners"] != now.json()["partners"] or past["programs"] != now.json()["programs"]
    assert again.json() == past
    assert live_after.json() == now.json()  # the live projections untouched
    assert wrong.status_code == 422 and wrong.json()["field"] == "as_of"
    answered = kept.json()
    assert answered["as_of"] == past["as_of"]
    for key in COMPARED:  # "today" was the test clock's then, the cut's now: expiries aside
        if key == "agreements":
            for field in ("expiring_within_60_days", "expiring_within_90_days"):
                answered[key].pop(field)
                past[key].pop(field)
        assert answered[key] == past[key], key

    js = private_nats[1].jetstream()
    logs = [
        await collect_log(
            js,
            events_stream=STREAM,
            checkpoint_stream="PAS_CHECKPOINTS",
            region="jatim",
            service=service,
            as_of=moment,
        )
        for service in await services_of(js, STREAM, "jatim")
    ]
    out = tmp_path / "jatim-then.zip"
    write_bundle(
        out,
        logs,
        [],
        region="jatim",
        created_at=NOW,
        created_by="auditor@test",
        as_of=moment,
        source={"events_stream": STREAM},
    )
    code = await asyncio.to_thread(audit_report.report, out, region="jatim", start=None, end=None)
    assert code == 0
    recomputed = json.loads(capsys.readouterr().out)
    past = then.json()
    for key in COMPARED:
        assert recomputed[key] == past[key], key


async def test_as_of_after_every_event_copies_the_live_generation(
    reporting_settings: Settings, private_nats: tuple[str, NATS], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the live generation holds every event of the stream and none was recorded after T,
    the as-of generation is a copy of it (no replay), equal to the replay and to the live
    report; a moment before the last event copies it with that event's log replayed, equal to
    every log replayed from nothing (split over two processes here, as a large stream is)."""
    monkeypatch.setattr(parts, "LEAST_EVENTS", 0)
    history = build()
    items = in_recorded_order(history.items)
    last = items[-1].recorded
    after = format_time(
        datetime.fromisoformat(last.time.replace("Z", "+00:00")) + timedelta(seconds=1)
    )
    app = create(reporting_settings, ReportingRuntime(reporting_settings, clock=lambda: NOW))
    async with running_app(app) as client:
        await publish(private_nats[1], items)
        wait = {f"X-{last.service.capitalize()}-Position": f"{last.region}/{last.position}"}
        live = await client.get("/reports/evaluation", headers=wait)
        copied = await client.get("/reports/evaluation", params={"as_of": after})
        at_last = await client.get("/reports/evaluation", params={"as_of": last.time})
        reports = app.state.as_of_reports
        assert (reports.copied, reports.built) == (2, 0)
        stuck = await client.get("/reports/programs/stuck", params={"days": "0", "as_of": after})
        assert (reports.copied, reports.built) == (2, 0)  # the lists read the same copy
        before = format_time(
            datetime.fromisoformat(last.time.replace("Z", "+00:00")) - timedelta(microseconds=1)
        )
        earlier = await client.get("/reports/evaluation", params={"as_of": before})
        assert (reports.copied, reports.built) == (2, 1)  # the last event left out: a replay
        assert reports.narrowed == 1  # of its log only, into a copy with that log taken out

        async def no_copy(moment: datetime, generation: int, built_at: datetime) -> None:
            return None  # the live generation unusable: everything replayed

        monkeypatch.setattr(reports, "_from_live", no_copy)
        reports.cache.clear()
        replayed = await client.get("/reports/evaluation", params={"as_of": after})
        assert (reports.copied, reports.built) == (2, 2)
        earlier_replayed = await client.get("/reports/evaluation", params={"as_of": before})
        assert (reports.built, reports.narrowed) == (3, 1)  # every log replayed from nothing
        assert reports.split == 2  # each by two processes
    assert earlier.json() == earlier_replayed.json()
    assert copied.status_code == 200, copied.text
    assert copied.json() == replayed.json()
    assert copied.json()["as_of"] == live.json()["as_of"] == at_last.json()["as_of"]
    answered, past = live.json(), copied.json()
    for key in COMPARED:  # "today" is the test clock's live, the moment's as of: expiries aside
        if key == "agreements":
            for field in ("expiring_within_60_days", "expiring_within_90_days"):
                answered[key].pop(field)
                past[key].pop(field)
        assert past[key] == answered[key], key
    assert earlier.json()["as_of"] != copied.json()["as_of"]
    assert stuck.status_code == 200, stuck.text


async def test_the_lists_as_of_a_moment_are_the_lists_answered_at_that_moment(
    reporting_settings: Settings, private_nats: tuple[str, NATS]
) -> None:
    """Agreements expiring and programs stuck with `as_of=T` equal what a service whose clock
    read T answered then, before the rest of the history arrived (its own "today" included)."""
    history = build()
    start = datetime(2030, 10, 1, tzinfo=UTC)  # after every date of the scenario
    items = [
        dataclasses.replace(
            item,
            recorded=dataclasses.replace(
                item.recorded, time=format_time(start + timedelta(minutes=item.seq))
            ),
        )
        for item in history.items
    ]
    # both programs open then, one agreement active; later both programs close
    cut = next(i for i in items if i.recorded.type.endswith("program_evaluated.v1")).recorded
    until_cut = next(n for n, item in enumerate(items) if item.recorded is cut) + 1
    moment = datetime.fromisoformat(cut.time.replace("Z", "+00:00"))
    lists = {
        "/reports/agreements/expiring": {"within_days": "3660"},
        "/reports/programs/stuck": {"days": "0"},
    }
    runtime = ReportingRuntime(reporting_settings, clock=lambda: moment)
    async with running_app(create(reporting_settings, runtime)) as client:
        await publish(private_nats[1], items[:until_cut])
        wait = {f"X-{cut.service.capitalize()}-Position": f"{cut.region}/{cut.position}"}
        assert (await client.get("/reports/evaluation", headers=wait)).status_code == 200
        kept = {path: (await client.get(path, params=p)).json() for path, p in lists.items()}
        kept_csv = (await client.get("/reports/programs/stuck", params={"format": "csv"})).text
        await publish(private_nats[1], items[until_cut:])
        last = items[-1].recorded
        wait = {f"X-{last.service.capitalize()}-Position": f"{last.region}/{last.position}"}
        assert (await client.get("/reports/evaluation", headers=wait)).status_code == 200
        now = {path: (await client.get(path, params=p)).json() for path, p in lists.items()}
        past = {
            path: (await client.get(path, params={**p, "as_of": cut.time})).json()
            for path, p in lists.items()
        }
        past_csv = await client.get(
            "/reports/programs/stuck", params={"format": "csv", "as_of": cut.time}
        )
        wrong = await client.get("/reports/programs/stuck", params={"as_of": "2030-10-01"})
    assert kept["/reports/programs/stuck"]["count"] > 0  # not an empty comparison
    assert kept["/reports/agreements/expiring"]["count"] > 0
    assert now != kept  # the rest of the history changed the lists
    for path in lists:
        assert past[path].pop("as_of_time") == cut.time
        assert past[path] == kept[path], path
    assert past_csv.text == kept_csv
    assert wrong.status_code == 422 and wrong.json()["field"] == "as_of"
