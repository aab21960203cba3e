"""Reporting's OpenAPI names every problem+json answer each route can give (as the other
services' do): a client generated from it knows the 409 of a report that has not caught up and
the 409 of a rebuild already running, not only the 422 every route shares. The integration
tests check the other way round: every problem they get is documented for its route
(tests/integration/reporting/conftest.py)."""

from __future__ import annotations

from typing import Any

from services.reporting.app import create
from shared.http.problems import PROBLEM

CAN_ANSWER = {
    # route: the problem statuses its code can answer (api/scope.py, api/formats.py and
    # api/caught_up.py for the reports; api/admin.py; the body limit for a POST)
    ("get", "/reports/evaluation"): {409, 422},
    ("get", "/reports/agreements/expiring"): {422},
    ("get", "/reports/programs/stuck"): {422},
    ("get", "/reports/ambassadors"): {422},
    ("get", "/reports/regions"): {422},
    ("get", "/admin/rebuild"): {422},
    ("post", "/admin/rebuild"): {401, 409, 413, 422},
    ("get", "/healthz"): {422},
    ("get", "/readyz"): {422},
}


def _document() -> dict[str, Any]:
    document: dict[str, Any] = create().openapi()
    return document


def test_each_route_documents_the_problems_it_can_answer() -> None:
    document = _document()
    problem = {"$ref": "#/components/schemas/ProblemDetails"}
    found: dict[tuple[str, str], set[int]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = found.setdefault((method, path), set())
            for status, response in operation["responses"].items():
                if PROBLEM in response.get("content", {}):
                    assert response["content"][PROBLEM]["schema"] == problem, (path, status)
                    assert response["description"], (path, status)
                    statuses.add(int(status))
    assert found == CAN_ANSWER


def test_the_report_names_its_read_your_writes_headers_and_their_409() -> None:
    operation = _document()["paths"]["/reports/evaluation"]["get"]
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert headers == {"X-Partners-Position", "X-Programs-Position", "X-Outreach-Position"}
    assert "report_not_caught_up" in operation["responses"]["409"]["description"]
    assert "region" in operation["responses"]["422"]["description"]


def test_readiness_documents_its_503_as_the_readiness_body() -> None:
    responses = _document()["paths"]["/readyz"]["get"]["responses"]
    assert "503" in responses and PROBLEM not in responses["503"].get("content", {})
