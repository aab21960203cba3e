"""Media coverage: on an outreach event (its stream) or on a media campaign (a stream of its own).

The same link twice on one outreach event (or one campaign) is refused,
naming the first record; links are compared as `same_link` writes them, so a
trailing slash, `www.` or a `#fragment` does not make a second record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from services.outreach.commands import RecordCoverage
from services.outreach.domain.context import OutreachContext
from services.outreach.domain.outreach_state import CampaignState, evolve_campaign
from services.outreach.domain.outreach_state import initial_campaign as initial
from services.outreach.domain.rules import not_future, require_region
from services.outreach.events import CampaignCoverageRecorded, MediaCoverageRecorded
from services.outreach.values import same_link
from shared.decider import Decider, DomainError
from shared.events import Event


def coverage_event(
    command: RecordCoverage,
    recorded: Sequence[MediaCoverageRecorded],
    context: OutreachContext,
    *,
    region: str,
) -> MediaCoverageRecorded:
    """The coverage record, unless its link is already recorded here or it is dated ahead."""
    not_future(command.published_on, context.today, "published_on")
    wanted = same_link(command.link)
    for number, earlier in enumerate(recorded, start=1):
        if same_link(earlier.link) == wanted:
            raise DomainError(
                "duplicate_coverage_link",
                f"this link is already recorded as coverage #{number}: {earlier.outlet}, "
                f"'{earlier.title}' ({earlier.published_on.isoformat()})",
                status=409,
                field="link",
                details={
                    "link": earlier.link,
                    "first_number": number,
                    "first_outlet": earlier.outlet,
                    "first_title": earlier.title,
                    "first_published_on": earlier.published_on.isoformat(),
                },
            )
    model = MediaCoverageRecorded if context.outreach_id is not None else CampaignCoverageRecorded
    return model(
        **command.model_dump(),
        outreach_id=context.outreach_id,
        region=region,
        recorded_by=context.actor,
    )


def decide(command: RecordCoverage, state: CampaignState, context: OutreachContext) -> list[Event]:
    """Coverage on a media campaign without an outreach event (aggregate `media_campaign`)."""
    if not isinstance(command, RecordCoverage):
        raise TypeError(f"not a media campaign command: {type(command).__name__}")
    region = require_region(context.region)
    own = replace(context, outreach_id=None)  # a campaign's coverage names no outreach event
    return [coverage_event(command, state.coverage, own, region=region)]


decider: Decider[RecordCoverage, CampaignState, OutreachContext] = Decider(
    initial=initial, evolve=evolve_campaign, decide=decide
)
