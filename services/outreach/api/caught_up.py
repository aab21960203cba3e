"""Read-your-writes on the ambassadors read model (X-Partners-Position), as in programs:
the shared piece (shared.http.caught_up) set up for the outreach service."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping
from typing import Annotated
from uuid import UUID

from fastapi import Depends

from services.outreach.api.messages import MESSAGES, TERMS
from services.outreach.domain.ambassadors import AmbassadorFacts
from services.outreach.handlers import AmbassadorLookup
from services.outreach.readmodels import (
    PARTNERS_SOURCE_SERVICE,
    AmbassadorsReadModel,
    ambassador_facts,
)
from shared.commands import Answer
from shared.decider import DomainError
from shared.http.caught_up import ReadYourWrites
from shared.runtime import ServiceRuntime

PARTNERS = ReadYourWrites(
    runner=AmbassadorsReadModel.name,
    source_service=PARTNERS_SOURCE_SERVICE,
    header="X-Partners-Position",
    not_yet_known={"ambassador_not_yet_known"},
    source_label="mitra",
    messages=MESSAGES,
    terms=TERMS,
)
PartnersCaughtUp = Annotated[int | None, Depends(PARTNERS.dependency())]


def ambassadors(runtime: ServiceRuntime) -> AmbassadorLookup:
    """What the ambassadors read model of this process knows of some ids."""

    async def lookup(ids: Iterable[UUID]) -> Mapping[UUID, AmbassadorFacts | None]:
        return await ambassador_facts(runtime.pool, ids)

    return lookup


async def explained(handling: Awaitable[Answer], runtime: ServiceRuntime) -> Answer:
    """The handler's answer; an ambassador not yet known as the read-your-writes problem."""
    try:
        return await handling
    except DomainError as exc:
        raise await PARTNERS.explain(exc, runtime) from exc
