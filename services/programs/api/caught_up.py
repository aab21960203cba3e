"""Read-your-writes on the partners read model (X-Partners-Position): the shared piece
(shared.http.caught_up) set up for the programs service, as the outreach service sets it up
for its ambassadors.

A client that has just changed a partner in the partners service sends the
`position` that service answered as `X-Partners-Position`; a command here then
waits (up to `PARTNERS.wait_seconds`) until the read model has applied the
partners log of this region up to that position. Without the header, a partner
the read model has not seen yet is "not yet known" (409, retry), never "does
not exist".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.programs.api.messages import MESSAGES, TERMS
from services.programs.readmodels import PARTNERS_SOURCE_SERVICE, PartnersReadModel
from shared.decider import DomainError
from shared.http.caught_up import ReadYourWrites
from shared.runtime import ServiceRuntime

PARTNERS = ReadYourWrites(
    runner=PartnersReadModel.name,
    source_service=PARTNERS_SOURCE_SERVICE,
    header="X-Partners-Position",
    not_yet_known={"partner_not_yet_known"},
    source_label="mitra",
    messages=MESSAGES,
    terms=TERMS,
)
HEADER = PARTNERS.header
PartnersCaughtUp = Annotated[int | None, Depends(PARTNERS.dependency())]


async def partners_applied(runtime: ServiceRuntime) -> int:
    """The last position of this region's partners log the read model has applied."""
    return await PARTNERS.applied(runtime)


async def explain(exc: DomainError, runtime: ServiceRuntime) -> Exception:
    """`partner_not_yet_known` as a problem that says why and what to do; others unchanged."""
    return await PARTNERS.explain(exc, runtime)
