"""Demo data for `sahabat demo`, loaded through the services' own HTTP APIs on first start.

A small, realistic picture of one Kanwil, placed in its own cities
(sahabat/demo_places.py): partners of every kind, MoU and PKS agreements (one
about to expire), a suspended partner, cooperation ambassadors
(sahabat/demo_partners_plan.py), then units and programs over all stages
(sahabat/demo_programs.py), and outreach events, media coverage and prospects
who become partners (sahabat/demo_outreach.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx

from sahabat.demo_http import post
from sahabat.demo_partners_plan import AMBASSADORS, demo_agreements, demo_partners
from sahabat.demo_places import Places, places

ACTOR = "demo@kanwil"
LOADER = "demo data"


def load_demo_data(urls: dict[str, str], *, region: str, progress: Callable[[str], None]) -> None:
    """Load the demo data set unless the partners service already holds partners."""
    with httpx.Client(base_url=urls["partners"], headers={"X-Actor": ACTOR}, timeout=30) as api:
        if api.get("/partners", params={"limit": 1}).json()["total"] > 0:
            progress("demo data already loaded (kept from the last run)")
            return
        progress("loading demo data: partners, agreements, ambassadors")
        partners = _partners(api, places(region))
        if "programs" in urls:
            from sahabat.demo_programs import load_programs

            load_programs(urls, partners, region, progress)
        if "outreach" in urls:
            from sahabat.demo_outreach import load_outreach

            load_outreach(urls, region, progress)
    progress("demo data loaded")


def _partners(api: httpx.Client, where: Places) -> dict[str, dict[str, Any]]:
    today = date.today()
    created: dict[str, dict[str, Any]] = {}
    for key, (kind, name, nik, contact, interests) in demo_partners(where).items():
        body: dict[str, Any] = {"kind": kind, "contact": contact, "interests": interests}
        if name:
            body["name"] = name
        if nik:
            body["nik"] = nik
        answer = post(api, "/partners", body, loader=LOADER)
        created[key] = {"id": answer["id"], "position": answer["position"]}
        if key != "baru":
            verified = post(api, f"/partners/{answer['id']}/verify", loader=LOADER)
            created[key]["position"] = verified["position"]
    agreements = demo_agreements(where).items()
    for number, (key, (instrument, level, unit, years, scope)) in enumerate(agreements, start=1):
        ends = today + (timedelta(days=25) if years == 0 else timedelta(days=365 * years))
        kind = "PK" if instrument == "pks" else "MOU"
        body = {
            "partner_id": created[key]["id"],
            "instrument": instrument,
            "signed_level": level,
            "number": f"{where.agreement_prefix}.{kind}.{number:02d}/{today.year}",
            "scope": scope,
            "starts_on": (today - timedelta(days=200)).isoformat(),
            "ends_on": ends.isoformat(),
        }
        if unit:
            body["unit_code"] = unit
        answer = post(api, "/agreements", body, loader=LOADER)
        created[key]["agreement_id"] = answer["id"]
        created[key]["position"] = answer["position"]
    media = created["media"]["id"]
    created["media"]["position"] = post(
        api,
        f"/partners/{media}/suspend",
        {"reason": "Menunggu klarifikasi pemberitaan yang menyebut identitas Warga Binaan"},
        loader=LOADER,
    )["position"]
    for name, phone in AMBASSADORS:
        post(
            api,
            "/ambassadors",
            {
                "person": {"name": name, "phone": phone},
                "term_starts_on": (today - timedelta(days=90)).isoformat(),
                "term_ends_on": (today + timedelta(days=640)).isoformat(),
            },
            loader=LOADER,
        )
    return created
