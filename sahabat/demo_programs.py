"""Demo programs for `sahabat demo`: units (UPT) and programs over every stage, via the HTTP API.

Given the partners the partners demo created (key -> {"id", "position"}), it
registers the region's units and about ten programs: one still at the initial
approach, some in continued collaboration, one in each phase of stage 3, two
completed and evaluated, one discontinued, with activities and monitoring
visits. Moves are dated in the past (never before the lead's agreement), so the
timelines show real durations. Idempotent: it does nothing when programs exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx

from sahabat.demo_http import post
from sahabat.demo_places import places
from sahabat.demo_programs_plan import PEOPLE, PROGRAMS, REASONS, STEPS
from sahabat.demo_units import DemoUnit, demo_units

ACTOR = "demo@kanwil"
LOADER = "demo programs"


def load_programs(
    urls: dict[str, str],
    partners: dict[str, dict[str, Any]],
    region: str,
    progress: Callable[[str], None],
) -> None:
    """Register the region's units and the demo programs, unless programs already exist."""
    with httpx.Client(base_url=urls["programs"], headers={"X-Actor": ACTOR}, timeout=30) as api:
        if api.get("/programs", params={"limit": 1}).json()["total"] > 0:
            progress("demo programs already loaded (kept from the last run)")
            return
        eligible = _eligible(urls.get("partners"), partners)
        if not eligible:
            progress("no verified partner with a valid agreement: demo programs skipped")
            return
        progress("loading demo programs: units and programs over all stages")
        units = {
            key: (_unit(api, region, unit), unit.kind)
            for key, unit in demo_units(places(region)).items()
        }
        wait = {"X-Partners-Position": str(max(int(p["position"]) for p in partners.values()))}
        for number, spec in enumerate(PROGRAMS):
            _program(api, wait, units, eligible, number, spec)


def _eligible(
    partners_url: str | None, partners: dict[str, dict[str, Any]]
) -> dict[str, tuple[str, date]]:
    """key -> (partner id, first day of its agreement) for verified partners under agreement."""
    today = date.today()
    if partners_url is None:
        return {key: (p["id"], today) for key, p in partners.items()}
    found = {}
    with httpx.Client(base_url=partners_url, timeout=30) as api:
        for key, p in partners.items():
            status = api.get(f"/partners/{p['id']}").json().get("state", {}).get("status")
            active = api.get("/agreements", params={"partner_id": p["id"], "status": "active"})
            starts = [
                date.fromisoformat(a["starts_on"])
                for a in active.json()["items"]
                if a["starts_on"] <= today.isoformat() <= a["ends_on"]
            ]
            if status == "verified" and starts:
                found[key] = (p["id"], min(starts))
    return found


def _post(
    api: httpx.Client,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    return post(api, path, body, headers, loader=LOADER)


def _unit(api: httpx.Client, region: str, unit: DemoUnit) -> str:
    """The unit's id, registered if new."""
    known = api.get("/units", params={"code": unit.code}).json()["items"]
    if known:
        return str(known[0]["unit_id"])
    body = {"code": unit.code, "name": unit.name, "type": unit.kind, "region": region}
    return str(post(api, "/units", body, loader=LOADER)["id"])


def _pick(eligible: dict[str, tuple[str, date]], key: str, number: int) -> tuple[str, date]:
    return eligible.get(key) or list(eligible.values())[number % len(eligible)]


def _program(
    api: httpx.Client,
    wait: dict[str, str],
    units: dict[str, tuple[str, str]],
    eligible: dict[str, tuple[str, date]],
    number: int,
    spec: tuple[Any, ...],
) -> None:
    title, unit, track, lead_key, co_keys, group, funding, last, end, ago = spec
    today = date.today()
    lead, floor = _pick(eligible, lead_key, number)
    co = [eligible[k][0] for k in co_keys if k in eligible and eligible[k][0] != lead]
    proposed = max(today - timedelta(days=ago), floor)
    moves = last + (1 if end else 0)
    step = max((today - proposed).days // (moves + 1), 0)
    dates = [proposed + timedelta(days=step * i) for i in range(moves + 2)]
    starts = dates[1] if moves else proposed + timedelta(days=14)
    unit_id, kind = units[unit]
    body = {
        "title": title,
        "unit_id": unit_id,
        "lead_partner_id": lead,
        "co_partner_ids": co,
        "track": track,
        "target_group": group,
        "planned_participants": 20,
        "planned_sessions": 12,
        "starts_on": starts.isoformat(),
        "ends_on": max(starts + timedelta(days=180), today + timedelta(days=30)).isoformat(),
        "funding_source": funding,
        "proposed_on": proposed.isoformat(),
    }
    pid = _post(api, "/programs", body, wait)["id"]
    for i in range(1, last + 1):
        stage, phase = STEPS[i]
        evidence = [f"Berita Acara Rapat Koordinasi No. {number + 1:02d}/{i}/{today.year}"]
        _post(
            api,
            f"/programs/{pid}/advance",
            {
                "to_stage": stage,
                "to_phase": phase,
                "reason": REASONS[i],
                "evidence": evidence if i > 1 else [],
                "on": dates[i].isoformat(),
            },
            wait,
        )
    if last >= 1:
        _activities(api, pid, kind, starts, dates[moves] if end else today)
    if last == 6:
        _evaluate(api, pid)
    if end == "completed":
        _post(
            api,
            f"/programs/{pid}/complete",
            {
                "summary": "Program selesai sesuai rencana; peserta menerima sertifikat",
                "completed_on": dates[moves].isoformat(),
            },
        )
        if last < 6:
            _evaluate(api, pid)
    elif end == "discontinued":
        _post(
            api,
            f"/programs/{pid}/discontinue",
            {
                "reason": "Instruktur mitra tidak lagi tersedia; peserta dialihkan ke program lain",
                "discontinued_on": dates[moves].isoformat(),
            },
        )


def _activities(api: httpx.Client, pid: str, kind: str, first: date, last: date) -> None:
    span = max((min(last, date.today()) - first).days, 0)
    for n in range(3):
        held = first + timedelta(days=span * n // 3)
        _post(
            api,
            f"/programs/{pid}/activities",
            {
                "held_on": held.isoformat(),
                "sessions": 2 + n,
                "participants": PEOPLE[kind],
                "volunteer_hours": 8 * (n + 1),
                "note": f"Pertemuan ke-{n + 1}",
            },
        )
    _post(
        api,
        f"/programs/{pid}/monitoring",
        {
            "visited_on": min(last, date.today()).isoformat(),
            "rating": 4,
            "findings": "Peserta aktif; perlu tambahan alat praktik",
        },
    )


def _evaluate(api: httpx.Client, pid: str) -> None:
    _post(
        api,
        f"/programs/{pid}/evaluation",
        {
            "scores": {"individual": 4, "institutional": 4, "policy": 3},
            "participants_completed": 17,
            "recommendations": (
                "Lanjutkan angkatan berikutnya; hubungkan lulusan dengan pemberi kerja"
            ),
        },
    )
