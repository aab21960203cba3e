"""A report asked again while no event arrived is answered from the last answers kept; the next
event applied makes the next answer a fresh one, which includes it."""

from __future__ import annotations

import pytest
from nats.aio.client import Client as NATS

from services.reporting.app import create
from services.reporting.runtime import ReportingRuntime
from shared.settings import Settings
from tests.conftest import running_app
from tests.integration.reporting.conftest import NOW, publish
from tests.unit.reporting.scenario import build

pytestmark = pytest.mark.integration


async def test_answers_are_kept_until_an_event_is_applied(
    reporting_settings: Settings, private_nats: tuple[str, NATS]
) -> None:
    history = build()
    items = history.items
    half = len(items) // 2
    app = create(reporting_settings, ReportingRuntime(reporting_settings, clock=lambda: NOW))
    async with running_app(app) as client:
        await publish(private_nats[1], items[:half])
        first = items[half - 1].recorded
        wait = {f"X-{first.service.capitalize()}-Position": f"{first.region}/{first.position}"}
        before = await client.get("/reports/evaluation", headers=wait)
        again = await client.get("/reports/evaluation")
        scoped = await client.get("/reports/evaluation", params={"region": first.region})
        answers = app.state.answers
        assert answers.hits == 1  # the same question again; another scope is computed
        await publish(private_nats[1], items[half:])
        last = items[-1].recorded
        wait = {f"X-{last.service.capitalize()}-Position": f"{last.region}/{last.position}"}
        after = await client.get("/reports/evaluation", headers=wait)
        assert answers.hits == 1  # events applied since: computed afresh
        again_after = await client.get("/reports/evaluation")
        assert answers.hits == 2
    assert before.status_code == again.status_code == scoped.status_code == 200
    assert again.json() == before.json()
    assert after.json() != before.json()
    assert after.json()["as_of"][f"{last.region}/{last.service}"] == last.position
    assert again_after.json() == after.json()
