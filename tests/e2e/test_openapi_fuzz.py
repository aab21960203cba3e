"""Every service's own OpenAPI fuzzed by schemathesis, the services running as processes.

A few generated requests per operation (valid and invalid ones, derandomized so a run is
repeatable): no answer is a 5xx, and every 4xx is problem+json with a `code`, the Indonesian
`detail` and the English `detail_en`. Bounded on purpose (a handful of examples, no
shrinking database): the long exploratory runs are `schemathesis run <url>/openapi.json`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from nats.aio.client import Client as NATS
from schemathesis import GenerationMode
from schemathesis.schemas import APIOperation

from sahabat.processes import start_service, wait_ready
from shared.devstack.stack import StackInfo
from tests.integration.programs.kit import fresh_region

pytestmark = pytest.mark.e2e

SERVICES = ("partners", "programs", "outreach", "reporting")
HEADERS = {"X-Actor": "fuzz@kanwil"}
FUZZ = settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
async def fuzz_region(nc: NATS) -> str:
    return await fresh_region(nc)


@pytest.fixture(scope="module")
def urls(
    stack: StackInfo, fuzz_region: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """The four services as processes of a region no other test uses, all ready."""
    logs: Path = tmp_path_factory.mktemp("fuzz-logs")
    running = [
        start_service(
            name,
            region=fuzz_region,
            nats_url=stack.nats_url,
            database_url=stack.database_url,
            log_dir=logs,
        )
        for name in SERVICES
    ]
    try:
        for service in running:
            wait_ready(service, timeout=90)
        yield {service.name: service.url for service in running}
    finally:
        for service in running:
            service.stop()


def _operations(url: str) -> list[APIOperation]:
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    schema.config.update(base_url=url, headers=HEADERS, request_timeout=30)
    return [result.ok() for result in schema.get_all_operations()]


def _answers_without_5xx(case: schemathesis.Case, seen: list[int]) -> None:
    response = case.call(headers=HEADERS)
    seen.append(response.status_code)
    what = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    assert response.status_code < 500, what
    if response.status_code >= 400:
        [content_type] = response.headers.get("content-type", [""])
        assert content_type.startswith("application/problem+json"), what
        problem = response.json()
        assert problem["status"] == response.status_code, what
        assert problem["code"] and problem["detail"] and problem["detail_en"], what


@pytest.mark.parametrize("service", SERVICES)
def test_no_generated_request_gets_a_5xx_and_every_4xx_is_a_problem(
    service: str, urls: dict[str, str]
) -> None:
    operations = _operations(urls[service])
    seen: list[int] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @FUZZ
            @given(case=operation.as_strategy(mode))
            def fuzzed(case: schemathesis.Case) -> None:
                _answers_without_5xx(case, seen)

            try:
                fuzzed()
            except Unsatisfiable:
                # nothing of this operation can be made invalid (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE, operation.label
    print(service, len(operations), "operations", sorted(Counter(seen).items()))
    # every operation was called, and the bodies and parameters got past validation sometimes
    assert len(seen) >= 2 * len(operations) and any(200 <= status < 300 for status in seen)
    assert any(status == 422 for status in seen)
