"""Partners, agreements and ambassadors (events of the partners service) as counters.

These events carry no date of their own that says when they happened (an
agreement's `starts_on` is its validity, not its signing), so each counts on
the local date of its `time` in its region. Current states (a partner's
status, an agreement being active, an ambassador in term) are counted on the
day the partner registered, the agreement was signed, the ambassador was
appointed: a later change moves the count between states on that same day,
so "registered in scope, by status now" is still a sum over days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.reporting.fold.core import Fold, day_of, on
from services.reporting.zones import local_date
from shared.readmodel import Delivered

SERVICE = "partners"


def _day(item: Delivered) -> date:
    return local_date(item.recorded.region, item.recorded.time)


@on(SERVICE, "partner_registered")
def partner_registered(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    region, day, kind = item.recorded.region, _day(item), str(data["kind"])
    fold.put(
        item.recorded.subject,
        {
            "kind": "partner",
            "region": region,
            "partner_kind": kind,
            "status": "registered",
            "bucket": day.isoformat(),
        },
    )
    fold.count(region, day, "partners.registered")
    fold.count(region, day, f"partners.by_kind.{kind}")
    fold.count(region, day, "partners.by_status.registered")


def _partner_status(fold: Fold, item: Delivered, status: str) -> None:
    state = fold.get(item.recorded.subject)
    if state is None or state.get("kind") != "partner" or "bucket" not in state:
        return  # its registration never reached us (dead-lettered): nothing to move
    old = state["status"]
    if old == status:
        return
    region, bucket = state["region"], day_of(state["bucket"])
    fold.count(region, bucket, f"partners.by_status.{old}", -1)
    fold.count(region, bucket, f"partners.by_status.{status}")
    state["status"] = status
    fold.touched(item.recorded.subject)


@on(SERVICE, "partner_verified")
def partner_verified(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _partner_status(fold, item, "verified")


@on(SERVICE, "partner_suspended")
def partner_suspended(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _partner_status(fold, item, "suspended")


@on(SERVICE, "partner_reinstated")
def partner_reinstated(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _partner_status(fold, item, str(data["status"]))


@on(SERVICE, "partner_withdrawn")
def partner_withdrawn(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _partner_status(fold, item, "withdrawn")


@on(SERVICE, "agreement_signed")
def agreement_signed(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    region, day, instrument = item.recorded.region, _day(item), str(data["instrument"])
    fold.put(
        item.recorded.subject,
        {
            "kind": "agreement",
            "region": region,
            "instrument": instrument,
            "status": "active",
            "bucket": day.isoformat(),
            "partner_id": str(data["partner_id"]),
            "number": str(data.get("number", "")),
            "unit_code": data.get("unit_code"),
            "starts_on": str(data["starts_on"]),
            "ends_on": str(data["ends_on"]),
            "signed_level": data.get("signed_level"),
        },
    )
    fold.count(region, day, "agreements.signed")
    fold.count(region, day, f"agreements.by_instrument.{instrument}")
    fold.count(region, day, "agreements.active")
    fold.count(region, day, "agreements.by_status.active")


def _agreement_status(fold: Fold, item: Delivered, status: str) -> None:
    state = fold.get(item.recorded.subject)
    if state is None or state.get("kind") != "agreement" or "bucket" not in state:
        return
    old = state["status"]
    if old == status:
        return
    region, bucket = state["region"], day_of(state["bucket"])
    fold.count(region, bucket, f"agreements.by_status.{old}", -1)
    fold.count(region, bucket, f"agreements.by_status.{status}")
    if old == "active":
        fold.count(region, bucket, "agreements.active", -1)
    if status == "active":
        fold.count(region, bucket, "agreements.active")
    state["status"] = status
    fold.touched(item.recorded.subject)


@on(SERVICE, "agreement_renewed")
def agreement_renewed(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    state = fold.get(item.recorded.subject)
    if state is not None and state.get("kind") == "agreement":
        state["ends_on"] = str(data["ends_on"])
        fold.touched(item.recorded.subject)
    fold.count(item.recorded.region, _day(item), "agreements.renewed")


@on(SERVICE, "agreement_terminated")
def agreement_terminated(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _agreement_status(fold, item, "terminated")


@on(SERVICE, "agreement_expired")
def agreement_expired(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _agreement_status(fold, item, "expired")


@on(SERVICE, "ambassador_appointed")
def ambassador_appointed(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    region, day = item.recorded.region, _day(item)
    fold.put(
        item.recorded.subject,
        {
            "kind": "ambassador",
            "region": region,
            "in_term": True,
            "bucket": day.isoformat(),
            "term_starts_on": str(data.get("term_starts_on", "")),
            "term_ends_on": str(data.get("term_ends_on", "")),
        },
    )
    fold.count(region, day, "ambassadors.appointed")
    fold.count(region, day, "ambassadors.in_term")


@on(SERVICE, "ambassador_term_ended")
def ambassador_term_ended(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    state = fold.get(item.recorded.subject)
    if state is None or state.get("kind") != "ambassador" or not state.get("in_term"):
        return
    fold.count(state["region"], day_of(state["bucket"]), "ambassadors.in_term", -1)
    state["in_term"] = False
    state["ended_on"] = str(data.get("ended_on", ""))
    fold.touched(item.recorded.subject)
