"""One event-store contract, two stores: each test here runs on both.

The in-memory store needs nothing; the PostgreSQL one runs on the dev stack's
real PostgreSQL (a database of the test's own), so it is marked integration.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from shared.events import Event
from shared.eventstore import EventStore, InMemoryEventStore, Store
from tests.integration.support import REGION, make_events, new_service


@dataclass
class StoreKit:
    """A store of one test's own service log and two events of that service."""

    store: Store
    Happened: type[Event]
    Renamed: type[Event]
    service: str


@pytest.fixture(
    params=["memory", pytest.param("postgres", marks=pytest.mark.integration)],
)
def bare_kit(request: pytest.FixtureRequest) -> StoreKit:
    """A store not set up yet: in memory, or on a database of this test's own."""
    service = new_service()
    happened, renamed, _ = make_events(service)
    store: Store
    if request.param == "memory":
        store = InMemoryEventStore(region=REGION, service=service)
    else:  # a sync fixture may ask for the async `pool` (its loop is not running here)
        store = EventStore(request.getfixturevalue("pool"), region=REGION, service=service)
    return StoreKit(store, happened, renamed, service)


@pytest.fixture
async def kit(bare_kit: StoreKit) -> StoreKit:
    """The store under test, set up."""
    await bare_kit.store.setup()
    return bare_kit
