"""The evaluation report's JSON (a contract: keys and meanings as in the reporting issue).

`assemble` turns metric sums (dotted names, summed over the scope's days
from the pre-aggregated counters) and the other parts into the report. It is
pure, so the unit tests run it on sums folded from a known set of events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from services.reporting.report import vocabulary as v

Groups = dict[str, dict[str, int]]


def grouped(sums: Mapping[str, int]) -> Groups:
    """The metric sums by prefix (`programs.reached.design` under `programs.reached`)."""
    out: Groups = defaultdict(dict)
    for metric, value in sums.items():
        prefix, _, key = metric.rpartition(".")
        out[prefix][key] = value
    return out


def keyed(groups: Groups, prefix: str, known: Iterable[str] = ()) -> dict[str, int]:
    """`{key: n}` of the metrics `<prefix>.<key>`: the known keys always, others when not 0."""
    out = {key: 0 for key in known}
    for key, value in groups.get(prefix, {}).items():
        if value or key in out:
            out[key] = int(value)
    return out


def conversion(reached: Mapping[str, int]) -> dict[str, float | None]:
    """Share of the moves into each step that the next step saw, in the same scope."""
    out: dict[str, float | None] = {}
    for here, there in zip(v.FUNNEL, v.FUNNEL[1:], strict=False):
        out[f"{here}->{there}"] = (
            round(reached.get(there, 0) / reached[here], 4) if reached.get(here) else None
        )
    return out


def assemble(
    *,
    region: str | None,
    start: date | None,
    end: date | None,
    sums: Mapping[str, int],
    change_domains: Mapping[str, Mapping[str, Any]],
    as_of: Mapping[str, int],
    medians: Mapping[str, float | None] | None = None,
    expiring: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The report of one scope from its figures."""
    n = lambda metric: int(sums.get(metric, 0))  # noqa: E731
    groups = grouped(sums)
    reached = keyed(groups, "programs.reached", v.STEPS)
    by_track = keyed(groups, "programs.by_track", v.TRACKS)
    funnel_by_track = {
        track: keyed(groups, f"programs.reached_by_track.{track}", v.STEPS)
        | {
            "completed": n(f"programs.completed_by_track.{track}"),
            "discontinued": n(f"programs.discontinued_by_track.{track}"),
        }
        for track in by_track
    }
    visits = n("monitoring.visits")
    return {
        "scope": {"region": region, "from": _iso(start), "to": _iso(end)},
        "as_of": dict(sorted(as_of.items())),
        "partners": {
            "registered": n("partners.registered"),
            "by_kind": keyed(groups, "partners.by_kind", v.PARTNER_KINDS),
            "by_status": keyed(groups, "partners.by_status", v.PARTNER_STATUSES),
        },
        "agreements": {
            "signed": n("agreements.signed"),
            "by_instrument": keyed(groups, "agreements.by_instrument", v.INSTRUMENTS),
            "active": n("agreements.active"),
            "by_status": keyed(groups, "agreements.by_status", v.AGREEMENT_STATUSES),
            "renewed": n("agreements.renewed"),
            "expiring_within_60_days": int((expiring or {}).get("60", 0)),
            "expiring_within_90_days": int((expiring or {}).get("90", 0)),
        },
        "ambassadors": {
            "appointed": n("ambassadors.appointed"),
            "in_term": n("ambassadors.in_term"),
        },
        "programs": {
            "proposed": n("programs.proposed"),
            "reached": reached,
            "completed": n("programs.completed"),
            "discontinued": n("programs.discontinued"),
            "by_track": by_track,
            "conversion": conversion(reached),
            "median_days_in_step": {step: (medians or {}).get(step) for step in v.FUNNEL},
            "funnel_by_track": funnel_by_track,
        },
        "participation": {
            "activities": n("participation.activities"),
            "sessions": n("participation.sessions"),
            "participants": n("participation.participants"),
            "by_group": keyed(groups, "participation.by_group", v.GROUPS),
            "volunteer_hours": n("participation.volunteer_hours"),
            "participants_by_track": keyed(groups, "participation.participants_by_track", v.TRACKS),
        },
        "monitoring": {
            "visits": visits,
            "mean_rating": round(n("monitoring.rating_total") / visits, 2) if visits else None,
        },
        "change_domains": {
            domain: dict(change_domains.get(domain) or {"evaluations": 0, "mean": None})
            for domain in v.DOMAINS
        },
        "outreach": {
            "planned": n("outreach.planned"),
            "held": n("outreach.held"),
            "cancelled": n("outreach.cancelled"),
            "audience": n("outreach.audience"),
            "by_channel": keyed(groups, "outreach.by_channel", v.CHANNELS),
            "audience_by_channel": keyed(groups, "outreach.audience_by_channel", v.CHANNELS),
            "audience_by_segment": keyed(groups, "outreach.audience_by_segment", v.SEGMENTS),
            "media_coverage": n("outreach.media_coverage"),
            "estimated_reach": n("outreach.estimated_reach"),
            "media_by_medium": keyed(groups, "outreach.media_by_medium", v.MEDIA),
            "reach_by_medium": keyed(groups, "outreach.reach_by_medium", v.MEDIA),
        },
        "prospects": {
            "identified": n("prospects.identified"),
            "converted": n("prospects.converted"),
            "declined": n("prospects.declined"),
        },
    }


def change_domain_scores(latest: Iterable[Mapping[str, int]]) -> dict[str, dict[str, Any]]:
    """`{domain: {evaluations, mean}}` over each program's latest evaluation in scope."""
    rows = list(latest)
    out: dict[str, dict[str, Any]] = {}
    for domain in v.DOMAINS:
        scores = [int(row[domain]) for row in rows]
        out[domain] = {
            "evaluations": len(scores),
            "mean": round(sum(scores) / len(scores), 2) if scores else None,
        }
    return out


def latest_scores(sums: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """`{domain: {evaluations, mean}}` of the whole history, from the sums of each program's
    latest evaluation that the fold keeps (`change_domains.latest.*`)."""
    n = int(sums.get("change_domains.latest.evaluations", 0))
    return {
        domain: {
            "evaluations": n,
            "mean": round(int(sums.get(f"change_domains.latest.{domain}", 0)) / n, 2)
            if n
            else None,
        }
        for domain in v.DOMAINS
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
