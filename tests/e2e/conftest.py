"""End-to-end fixtures: the real partners service as its own process on the session's dev stack.

It serves region `ntt`, which no other test uses, so its log (database
`sahabat_partners_ntt`, subjects `pas.events.ntt.partners.>`) is its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sahabat.processes import ServiceProcess, start_service, wait_ready
from shared.databases import database_url as url_on_server
from shared.devstack.stack import StackInfo

REGION = "ntt"


@pytest.fixture(scope="module")
def partners_process(
    stack: StackInfo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    """`python -m services.partners` for region ntt, ready; stopped (SIGTERM) afterwards."""
    service = start_service(
        "partners",
        region=REGION,
        nats_url=stack.nats_url,
        database_url=stack.database_url,
        log_dir=tmp_path_factory.mktemp("e2e-logs"),
    )
    try:
        wait_ready(service, timeout=60)
        yield service
    finally:
        service.stop()


@pytest.fixture(scope="module")
def partners_database_url(stack: StackInfo) -> str:
    """The database the service created for itself on the stack's server."""
    return url_on_server(stack.database_url, f"sahabat_partners_{REGION}")
