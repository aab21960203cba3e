"""A bad query value is answered by reporting as by every other service: 422 `invalid_input`
naming the parameter, the same problem shape (in process: the scope is checked before the
report touches a database)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.partners.app import create as partners_app
from services.reporting.app import create as reporting_app


async def _get(app: Any, url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        return await client.get(url, headers=headers)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/reports/evaluation?region=atlantis", "region"),
        ("/reports/evaluation?from=2026-02-30", "from"),
        ("/reports/evaluation?from=2026-03-01&to=2026-02-01", "to"),
        ("/reports/evaluation?as_of=yesterday", "as_of"),
        ("/reports/evaluation?format=pdf", "format"),
        ("/reports/ambassadors?to=31-12-2026", "to"),
        ("/reports/agreements/expiring?region=mars", "region"),
        ("/reports/programs/stuck?format=xlsx", "format"),
    ],
)
async def test_a_bad_query_value_is_invalid_input_naming_it(url: str, field: str) -> None:
    answer = await _get(reporting_app(), url)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["code"] == "invalid_input" and body["field"] == field
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["detail"].startswith(f"Data tidak valid pada: {field}. {field}: ")
    assert body["detail_en"].startswith(f"Invalid input in: {field}. {field}: ")


async def test_a_bad_position_header_is_invalid_input_naming_the_header() -> None:
    answer = await _get(reporting_app(), "/reports/evaluation", {"X-Partners-Position": "9"})
    body = answer.json()
    assert answer.status_code == 422 and body["code"] == "invalid_input"
    assert body["field"] == "X-Partners-Position" and "jatim/42" in body["detail"]


async def test_the_same_shape_as_another_services_invalid_input() -> None:
    partners = partners_app()
    partners.state.runtime = object()  # the query is refused before the runtime is used
    theirs = (await _get(partners, "/agreements/expiring?within_days=many")).json()
    ours = (await _get(reporting_app(), "/reports/evaluation?region=atlantis")).json()
    assert theirs["code"] == ours["code"] == "invalid_input"
    assert set(theirs) <= set(ours) and set(ours) - set(theirs) == {"field"}
    assert set(theirs["errors"][0]) == set(ours["errors"][0])
    assert {key: ours[key] for key in ("type", "title", "status")} == {
        key: theirs[key] for key in ("type", "title", "status")
    }
