"""Building CloudEvents of every service as reporting receives them (only the wire contract)."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from shared.envelope import RecordedEvent
from shared.readmodel import Delivered

AGGREGATES = {
    "partner_registered": "partner",
    "partner_verified": "partner",
    "partner_suspended": "partner",
    "partner_reinstated": "partner",
    "partner_withdrawn": "partner",
    "agreement_signed": "agreement",
    "agreement_renewed": "agreement",
    "agreement_terminated": "agreement",
    "agreement_expired": "agreement",
    "ambassador_appointed": "ambassador",
    "ambassador_term_ended": "ambassador",
    "outreach_held": "outreach",
    "outreach_planned": "outreach",
    "outreach_cancelled": "outreach",
    "media_coverage_recorded": "outreach",
    "prospect_identified": "prospect",
    "prospect_declined": "prospect",
    "prospect_converted": "prospect",
}


@dataclass
class History:
    """A sequence of events, with versions per aggregate and positions per service log."""

    items: list[Delivered] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    positions: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def add(
        self,
        service: str,
        event: str,
        subject: str | None = None,
        /,
        *,
        region: str = "jatim",
        time: str = "2026-03-10T03:00:00.000000Z",
        **data: Any,
    ) -> str:
        """Append one event; its CloudEvent id."""
        subject = subject or str(uuid.uuid4())
        self.versions[subject] += 1
        self.positions[(region, service)] += 1
        event_id = str(uuid.uuid4())
        recorded = RecordedEvent(
            id=event_id,
            type=f"pas.{service}.{event}.v1",
            source=f"/pas/{region}/{service}",
            subject=subject,
            time=time,
            region=region,
            aggregatetype=AGGREGATES.get(event, "program"),
            aggregateversion=self.versions[subject],
            position=self.positions[(region, service)],
            actor="system:test",
            correlationid=None,
            causationid=None,
            prevhash="0" * 64,
            hash="0" * 64,
            data_json=json.dumps(data, sort_keys=True),
        )
        self.items.append(Delivered(len(self.items) + 1, recorded, json.loads(recorded.data_json)))
        return event_id

    def subject_of(self, event_id: str) -> str:
        return next(i.recorded.subject for i in self.items if i.recorded.id == event_id)
