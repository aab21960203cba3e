"""Demo outreach for `sahabat demo`: ambassadors' outreach events, media coverage and prospects,
some of whom become partners by themselves, all through the HTTP APIs.

Three ambassadors are appointed in the partners service (terms covering the
past year), then twelve outreach events over seven channels and ten months
are recorded in the outreach service (planned then held, held without a plan,
one cancelled, one still planned), with media coverage and one media campaign
of its own. Prospects are identified at held events; some decline, and some
register in the partners service with `referral` = their prospect id: the
outreach service records `prospect_converted` itself (the demo only waits to
see it). Idempotent: it does nothing when outreach events exist.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx

from sahabat.demo_http import post
from sahabat.demo_outreach_plan import AMBASSADORS, AUDIENCES, COVERAGE, EVENTS, demo_prospects
from sahabat.demo_places import Places, places

ACTOR = "demo@kanwil"
LOADER = "demo outreach"


def load_outreach(urls: dict[str, str], region: str, progress: Callable[[str], None]) -> None:
    """Ambassadors, outreach events, coverage and prospects, unless outreach events exist."""
    with (
        httpx.Client(base_url=urls["outreach"], headers={"X-Actor": ACTOR}, timeout=30) as api,
        httpx.Client(base_url=urls["partners"], headers={"X-Actor": ACTOR}, timeout=30) as partners,
    ):
        if api.get("/outreach", params={"limit": 1}).json()["total"] > 0:
            progress("demo outreach already loaded (kept from the last run)")
            return
        progress("loading demo outreach: ambassadors, 12 outreach events, coverage, prospects")
        ambassadors, position = _ambassadors(partners)
        wait = {"X-Partners-Position": str(position)}
        where = places(region)
        events = [_event(api, wait, where, ambassadors, n, spec) for n, spec in enumerate(EVENTS)]
        for index, outlet, medium, title, reach in COVERAGE:
            published = date.today() - timedelta(days=EVENTS[index][2] - 1)
            body = {
                "outlet": outlet,
                "medium": medium,
                "title": title,
                "estimated_reach": reach,
                "link": f"https://media.example.id/{region}/{index}-{medium}",
                "published_on": published.isoformat(),
            }
            _post(api, f"/outreach/{events[index]}/coverage", body)
        _post(
            api,
            "/media-campaigns",
            {
                "outlet": "Koran Daerah",
                "medium": "print",
                "estimated_reach": 30000,
                "title": "Kanwil ajak masyarakat menjadi Sahabat Pemasyarakatan",
                "link": f"https://media.example.id/{region}/kampanye-sahabat",
                "published_on": (date.today() - timedelta(days=45)).isoformat(),
            },
        )
        converting = _prospects(api, partners, where, events, ambassadors)
        _see_conversions(api, converting, progress)


def _post(
    api: httpx.Client, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return post(api, path, body, headers, loader=LOADER)


def _ambassadors(partners: httpx.Client) -> tuple[list[str], int]:
    today, ids, position = date.today(), [], 0
    for name, phone in AMBASSADORS:
        answer = _post(
            partners,
            "/ambassadors",
            {
                "person": {"name": name, "phone": phone},
                "term_starts_on": (today - timedelta(days=400)).isoformat(),
                "term_ends_on": (today + timedelta(days=700)).isoformat(),
            },
        )
        ids.append(answer["id"])
        position = answer["position"]
    return ids, position


def _place(where: Places, name: str, regency: int) -> dict[str, str]:
    return {"name": name, "regency": where.cities[regency].regency}


def _event(
    api: httpx.Client,
    wait: dict[str, str],
    where: Places,
    ambassadors: list[str],
    number: int,
    spec: tuple[Any, ...],
) -> str:
    title, channel, days_ago, lead, co, place, regency, topics, how = spec
    on = (date.today() - timedelta(days=days_ago)).isoformat()
    team = {
        "title": title,
        "channel": channel,
        "lead_ambassador_id": ambassadors[lead],
        "co_ambassador_ids": [ambassadors[i] for i in co],
        "topics": topics,
        "place": _place(where, place, regency),
    }
    audience = AUDIENCES[number % len(AUDIENCES)]
    if how == "direct":
        body = {**team, "held_on": on, "audience": audience}
        return str(_post(api, "/outreach/held", body, wait)["id"])
    plan = {**team, "planned_on": on, "expected_audience": sum(audience.values())}
    outreach_id = str(_post(api, "/outreach", plan, wait)["id"])
    if how == "held":
        _post(api, f"/outreach/{outreach_id}/hold", {"held_on": on, "audience": audience}, wait)
    elif how == "cancelled":
        _post(
            api,
            f"/outreach/{outreach_id}/cancel",
            {"reason": "Balai desa dipakai untuk posko banjir; dijadwalkan ulang"},
        )
    return outreach_id


def _prospects(
    api: httpx.Client,
    partners: httpx.Client,
    where: Places,
    events: list[str],
    ambassadors: list[str],
) -> list[str]:
    converting = []
    for index, kind, name, interests, fate in demo_prospects(where):
        lead = EVENTS[index][3]
        contact = {
            "person_name": name if kind == "individual" else "Narahubung " + name[:20],
            "phone": f"+62 812-5500-{index:02d}{len(name):02d}",
        }
        body = {
            "outreach_id": events[index],
            "ambassador_id": ambassadors[lead],
            "kind": kind,
            "name": name,
            "contact": contact,
            "interests": interests,
        }
        prospect_id = str(_post(api, "/prospects", body)["id"])
        if fate == "declined":
            _post(
                api,
                f"/prospects/{prospect_id}/decline",
                {"reason": "Belum memiliki waktu dan sumber daya tahun ini"},
            )
        elif fate == "partner":
            registered: dict[str, Any] = {
                "kind": kind,
                "contact": contact,
                "interests": interests,
                "referral": prospect_id,
            }
            if kind == "individual":
                registered["nik"] = where.nik(f"0145068{len(name):05d}")
            else:
                registered["name"] = name
            _post(partners, "/partners", registered)
            converting.append(prospect_id)
    return converting


def _see_conversions(
    api: httpx.Client, converting: list[str], progress: Callable[[str], None]
) -> None:
    """Wait (a little) to show the outreach service converting the prospects by itself."""
    deadline = time.monotonic() + 20
    waiting = set(converting)
    while waiting and time.monotonic() < deadline:
        waiting = {
            p for p in waiting if api.get(f"/prospects/{p}").json().get("status") != "converted"
        }
        time.sleep(0.2)
    done = len(converting) - len(waiting)
    progress(
        f"{done} of {len(converting)} prospects became partners (recorded by the outreach "
        "service itself)"
    )
