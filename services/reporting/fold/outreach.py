"""Outreach, media coverage and prospects (events of the outreach service), with each
ambassador's results.

Outreach counts on `held_on` (held), `planned_on`, `cancelled_on`; coverage on
`published_on`; prospects on `identified_on`, `declined_on`, `converted_on`.
An ambassador is credited with the outreach they led (and its audience), the
prospects they identified and those prospects' conversions.
"""

from __future__ import annotations

from typing import Any

from services.reporting.fold.core import Fold, day_of, on
from shared.readmodel import Delivered

SERVICE = "outreach"


def _region(item: Delivered, data: dict[str, Any]) -> str:
    return str(data.get("region") or item.recorded.region)


def _outreach(fold: Fold, item: Delivered, data: dict[str, Any]) -> dict[str, Any]:
    sid = item.recorded.subject
    state = fold.get(sid)
    if state is None or state.get("kind") != "outreach":
        state = fold.put(
            sid, {"kind": "outreach", "region": _region(item, data), "status": "planned"}
        )
    for key in ("title", "channel"):
        if key in data:
            state[key] = str(data[key])
    if "lead_ambassador_id" in data:
        state["lead_ambassador_id"] = str(data["lead_ambassador_id"])
    fold.touched(sid)
    return state


@on(SERVICE, "outreach_planned")
def outreach_planned(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    state = _outreach(fold, item, data)
    state["planned_on"] = str(data["planned_on"])[:10]
    fold.count(state["region"], day_of(data["planned_on"]), "outreach.planned")


@on(SERVICE, "outreach_held")
def outreach_held(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    state = _outreach(fold, item, data)
    region, day, channel = state["region"], day_of(data["held_on"]), str(data["channel"])
    audience = {str(k): int(v) for k, v in dict(data.get("audience") or {}).items()}
    total = sum(audience.values())
    state.update(status="held", held_on=day.isoformat(), audience=total)
    fold.count(region, day, "outreach.held")
    fold.count(region, day, f"outreach.by_channel.{channel}")
    fold.count(region, day, "outreach.audience", total)
    fold.count(region, day, f"outreach.audience_by_channel.{channel}", total)
    for segment, n in audience.items():
        fold.count(region, day, f"outreach.audience_by_segment.{segment}", n)
    lead = str(data["lead_ambassador_id"])
    fold.credit(lead, region, day, "outreach_led", 1)
    fold.credit(lead, region, day, "audience", total)


@on(SERVICE, "outreach_cancelled")
def outreach_cancelled(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    state = _outreach(fold, item, data)
    state["status"] = "cancelled"
    fold.count(state["region"], day_of(data["cancelled_on"]), "outreach.cancelled")


@on(SERVICE, "media_coverage_recorded")
def media_coverage_recorded(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    region, day, medium = _region(item, data), day_of(data["published_on"]), str(data["medium"])
    reach = int(data.get("estimated_reach") or 0)
    fold.count(region, day, "outreach.media_coverage")
    fold.count(region, day, "outreach.estimated_reach", reach)
    fold.count(region, day, f"outreach.media_by_medium.{medium}")
    fold.count(region, day, f"outreach.reach_by_medium.{medium}", reach)


@on(SERVICE, "prospect_identified")
def prospect_identified(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    region, day = _region(item, data), day_of(data["identified_on"])
    ambassador = str(data["ambassador_id"])
    fold.put(
        item.recorded.subject,
        {
            "kind": "prospect",
            "region": region,
            "ambassador_id": ambassador,
            "outreach_id": str(data.get("outreach_id") or ""),
            "status": "identified",
            "partner_kind": str(data.get("kind") or ""),
        },
    )
    fold.count(region, day, "prospects.identified")
    fold.credit(ambassador, region, day, "prospects", 1)


def _prospect(fold: Fold, item: Delivered, status: str) -> dict[str, Any]:
    sid = item.recorded.subject
    state = fold.get(sid)
    if state is None or state.get("kind") != "prospect":
        state = fold.put(
            sid, {"kind": "prospect", "region": item.recorded.region, "ambassador_id": None}
        )
    state["status"] = status
    fold.touched(sid)
    return state


@on(SERVICE, "prospect_declined")
def prospect_declined(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    state = _prospect(fold, item, "declined")
    fold.count(state["region"], day_of(data["declined_on"]), "prospects.declined")


@on(SERVICE, "prospect_converted")
def prospect_converted(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    state = _prospect(fold, item, "converted")
    region, day = state["region"], day_of(data["converted_on"])
    state["partner_id"] = str(data.get("partner_id") or "")
    fold.count(region, day, "prospects.converted")
    fold.credit(state.get("ambassador_id"), region, day, "conversions", 1)
