"""The evaluation report's contract figures computed straight from raw CloudEvents, naively.

Written apart from services/reporting (nothing imported from it) and from the
issue's meanings only, the way an outside program checks the report: read
every event, keep what each record and aggregate became, count each event on
its own date (the region's local date of `time` where it carries none).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

WITA = {
    "bali",
    "ntb",
    "ntt",
    "kalsel",
    "kaltim",
    "sulut",
    "sulteng",
    "sulsel",
    "sultra",
    "gorontalo",
    "sulbar",
}
WIT = {"maluku", "malut", "papua", "papuabarat"}


def local_day(region: str, time: str) -> date:
    hours = 9 if region in WIT else 8 if region in WITA else 7
    moment = datetime.fromisoformat(time.replace("Z", "+00:00")) + timedelta(hours=hours)
    return moment.date()


def _d(value: str) -> date:
    return date.fromisoformat(value[:10])


def figures(
    events: list[dict[str, Any]], region: str | None, start: date | None, end: date | None
) -> dict[str, Any]:
    """The contract's figures (the keys of the issue) for one scope."""

    def inside(r: str, day: date) -> bool:
        return (
            (region is None or r == region)
            and (start is None or day >= start)
            and (end is None or day <= end)
        )

    partners: dict[str, dict[str, Any]] = {}
    agreements: dict[str, dict[str, Any]] = {}
    ambassadors: dict[str, dict[str, Any]] = {}
    programs: dict[str, dict[str, Any]] = {}
    activities: dict[str, dict[str, Any]] = {}
    evaluations: dict[str, dict[str, Any]] = {}
    reached: Counter[str] = Counter()
    count: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    for order, e in enumerate(events):
        name, r, sid, data = e["type"].split(".")[2], e["region"], e["subject"], e["data"]
        when = local_day(r, e["time"])
        if name == "partner_registered":
            partners[sid] = {"in": inside(r, when), "kind": data["kind"], "status": "registered"}
        elif name in ("partner_verified", "partner_suspended", "partner_withdrawn"):
            partners[sid]["status"] = name.split("_")[1]
        elif name == "partner_reinstated":
            partners[sid]["status"] = data["status"]
        elif name == "agreement_signed":
            agreements[sid] = {
                "in": inside(r, when),
                "instrument": data["instrument"],
                "status": "active",
            }
        elif name in ("agreement_terminated", "agreement_expired"):
            agreements[sid]["status"] = name.split("_")[1]
        elif name == "ambassador_appointed":
            ambassadors[sid] = {"in": inside(r, when), "in_term": True}
        elif name == "ambassador_term_ended":
            ambassadors[sid]["in_term"] = False
        elif name == "program_proposed":
            programs[sid] = {"region": r}
            if inside(r, _d(data["proposed_on"])):
                count["proposed"] += 1
                count[f"track.{data['track']}"] += 1
                reached["initial_approach"] += 1
        elif name == "program_stage_advanced" and inside(r, _d(data["on"])):
            to = data["to_stage"]
            if to == "independent_program":
                reached[data.get("to_phase") or "design"] += 1
                if data["from_stage"] != "independent_program":
                    reached["independent_program"] += 1
            elif to not in ("completed", "discontinued"):
                reached[to] += 1
        elif name == "program_completed" and inside(r, _d(data["completed_on"])):
            count["completed"] += 1
        elif name == "program_discontinued" and inside(r, _d(data["discontinued_on"])):
            count["discontinued"] += 1
        elif name == "activity_held":
            activities[e["id"]] = {"region": r, **data}
        elif name == "activity_corrected" and not activities.get(
            data["activity_event_id"], {"voided": True}
        ).get("voided"):
            activities[data["activity_event_id"]].update(
                {k: data[k] for k in ("held_on", "sessions", "participants", "volunteer_hours")}
            )
        elif name == "activity_voided" and data["activity_event_id"] in activities:
            activities[data["activity_event_id"]]["voided"] = True
        elif name == "program_evaluated":
            evaluations[e["id"]] = {"region": r, "program": sid, "order": order, **data}
        elif name == "evaluation_corrected" and not evaluations.get(
            data["evaluation_event_id"], {"voided": True}
        ).get("voided"):
            evaluations[data["evaluation_event_id"]].update(
                scores=data["scores"], evaluated_on=data["evaluated_on"]
            )
        elif name == "evaluation_voided" and data["evaluation_event_id"] in evaluations:
            evaluations[data["evaluation_event_id"]]["voided"] = True
        elif name == "outreach_held" and inside(r, _d(data["held_on"])):
            count["held"] += 1
            count["audience"] += sum(data["audience"].values())
            by_channel[data["channel"]] += 1
        elif name == "media_coverage_recorded" and inside(r, _d(data["published_on"])):
            count["coverage"] += 1
            count["reach"] += data["estimated_reach"]
        elif name == "prospect_identified" and inside(r, _d(data["identified_on"])):
            count["identified"] += 1
        elif name == "prospect_converted" and inside(r, _d(data["converted_on"])):
            count["converted"] += 1
        elif name == "prospect_declined" and inside(r, _d(data["declined_on"])):
            count["declined"] += 1

    groups: Counter[str] = Counter()
    held = [
        a
        for a in activities.values()
        if not a.get("voided") and inside(a["region"], _d(a["held_on"]))
    ]
    for a in held:
        groups.update(a["participants"])
    latest: dict[str, dict[str, Any]] = {}
    for ev in evaluations.values():
        if ev.get("voided") or not inside(ev["region"], _d(ev["evaluated_on"])):
            continue
        best = latest.get(ev["program"])
        if best is None or (ev["evaluated_on"], ev["order"]) > (
            best["evaluated_on"],
            best["order"],
        ):
            latest[ev["program"]] = ev
    domains = {}
    for domain in ("individual", "institutional", "policy"):
        scores = [ev["scores"][domain] for ev in latest.values()]
        domains[domain] = {
            "evaluations": len(scores),
            "mean": round(sum(scores) / len(scores), 2) if scores else None,
        }
    chosen_partners = [p for p in partners.values() if p["in"]]
    chosen_agreements = [a for a in agreements.values() if a["in"]]
    chosen_ambassadors = [a for a in ambassadors.values() if a["in"]]
    return {
        "partners": {
            "registered": len(chosen_partners),
            "by_kind": dict(Counter(p["kind"] for p in chosen_partners)),
            "by_status": dict(Counter(p["status"] for p in chosen_partners)),
        },
        "agreements": {
            "signed": len(chosen_agreements),
            "by_instrument": dict(Counter(a["instrument"] for a in chosen_agreements)),
            "active": sum(a["status"] == "active" for a in chosen_agreements),
        },
        "ambassadors": {
            "appointed": len(chosen_ambassadors),
            "in_term": sum(a["in_term"] for a in chosen_ambassadors),
        },
        "programs": {
            "proposed": count["proposed"],
            "reached": dict(reached),
            "completed": count["completed"],
            "discontinued": count["discontinued"],
            "by_track": {k.split(".")[1]: v for k, v in count.items() if k.startswith("track.")},
        },
        "participation": {
            "activities": len(held),
            "sessions": sum(a["sessions"] for a in held),
            "participants": sum(groups.values()),
            "by_group": dict(groups),
            "volunteer_hours": sum(a["volunteer_hours"] for a in held),
        },
        "change_domains": domains,
        "outreach": {
            "held": count["held"],
            "audience": count["audience"],
            "by_channel": dict(by_channel),
            "media_coverage": count["coverage"],
            "estimated_reach": count["reach"],
        },
        "prospects": {
            "identified": count["identified"],
            "converted": count["converted"],
            "declined": count["declined"],
        },
    }


COUNTS_BY_KEY = {
    "by_kind",
    "by_status",
    "by_instrument",
    "reached",
    "by_track",
    "by_group",
    "by_channel",
}


def matches(report: dict[str, Any], expected: dict[str, Any], path: str = "") -> list[str]:
    """Where `report` differs from `expected`; keys beside them are fine, and in the counts by
    key a key the events never name must count 0."""
    wrong = []
    for key, value in expected.items():
        got = report.get(key) if isinstance(report, dict) else None
        if key in COUNTS_BY_KEY:
            shown = {k: v for k, v in (got or {}).items() if v}
            if shown != {k: v for k, v in value.items() if v}:
                wrong.append(f"{path}{key}: report {shown!r}, events {value!r}")
        elif isinstance(value, dict):
            wrong += matches(got or {}, value, f"{path}{key}.")
        elif got != value:
            wrong.append(f"{path}{key}: report {got!r}, events {value!r}")
    return wrong
