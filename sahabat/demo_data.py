"""Demo data for `sahabat demo`, loaded through the services' own HTTP APIs on first start.

A small, realistic picture of one Kanwil: partners of every kind, MoU and PKS
agreements (one about to expire), a suspended partner, cooperation ambassadors,
then units and programs over all stages (sahabat/demo_programs.py), and outreach
events, media coverage and prospects who become partners (sahabat/demo_outreach.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx

ACTOR = "demo@kanwil"

# key -> (kind, name or None, nik or None, contact, interests)
PARTNERS: dict[str, tuple[str, str | None, str | None, dict[str, str], list[str]]] = {
    "pokmas": (
        "community_organization",
        "Pokmas Lipas Kampung Tangguh Surabaya",
        None,
        {"person_name": "Siti Aminah", "phone": "+62 812-3300-1122"},
        ["reintegration"],
    ),
    "pesantren": (
        "religious_organization",
        "Pondok Pesantren Nurul Huda Sidoarjo",
        None,
        {"person_name": "KH. Abdul Karim", "phone": "+62 813-5500-2211"},
        ["personality_development"],
    ),
    "unair": (
        "educational_institution",
        "Universitas Airlangga",
        None,
        {"person_name": "Dr. Ratna Dewi", "email": "kerjasama@unair.example.ac.id"},
        ["independence", "personality_development"],
    ),
    "kopi": (
        "business",
        "PT Kopi Nusantara Jaya",
        None,
        {"person_name": "Hendra Wijaya", "email": "csr@kopinusantara.example.co.id"},
        ["independence"],
    ),
    "media": (
        "media",
        "Radio Suara Surabaya",
        None,
        {"person_name": "Dian Puspita", "phone": "+62 31-567-8900"},
        ["reintegration"],
    ),
    "pemkot": (
        "local_government",
        "Dinas Tenaga Kerja Kota Surabaya",
        None,
        {"person_name": "Bambang Sutrisno", "phone": "+62 31-534-1234"},
        ["independence"],
    ),
    "gereja": (
        "religious_organization",
        "Gereja Kristen Jawi Wetan Malang",
        None,
        {"person_name": "Pdt. Yohanes Santoso", "phone": "+62 341-362-777"},
        ["personality_development"],
    ),
    "relawan": (
        "individual",
        None,
        "3578014506870002",
        {"person_name": "Rina Marlina", "phone": "+62 857-3312-4455"},
        ["personality_development", "reintegration"],
    ),
    "baru": (
        "community_organization",
        "Komunitas Sahabat Warga Binaan Jember",
        None,
        {"person_name": "Agus Salim", "phone": "+62 821-4411-9988"},
        ["reintegration"],
    ),
}
# key -> (instrument, signed_level, unit_code, years, scope)
AGREEMENTS = {
    "unair": ("mou", "kanwil", None, 5, "Penelitian dan pendidikan bagi Warga Binaan"),
    "pokmas": ("pks", "upt", "BAPAS-SBY", 5, "Pendampingan reintegrasi Klien Bapas"),
    "pesantren": ("pks", "upt", "LAPAS-SBY", 3, "Pembinaan kepribadian dan keagamaan"),
    "kopi": ("pks", "upt", "LAPAS-SBY", 2, "Pelatihan barista dan penempatan kerja"),
    "pemkot": ("mou", "kanwil", None, 5, "Pelatihan kerja dan sertifikasi keterampilan"),
    "gereja": ("pks", "upt", "LPP-MLG", 1, "Pembinaan rohani di Lapas Perempuan Malang"),
    "relawan": ("pks", "upt", "LPKA-BLT", 0, "Pendampingan belajar Anak Binaan"),
}
AMBASSADORS = [
    ("Dewi Lestari", "+62 812-1111-2222"),
    ("Muhammad Rizky", "+62 813-3333-4444"),
]


def load_demo_data(urls: dict[str, str], *, region: str, progress: Callable[[str], None]) -> None:
    """Load the demo data set unless the partners service already holds partners."""
    with httpx.Client(base_url=urls["partners"], headers={"X-Actor": ACTOR}, timeout=30) as api:
        if api.get("/partners", params={"limit": 1}).json()["total"] > 0:
            progress("demo data already loaded (kept from the last run)")
            return
        progress("loading demo data: partners, agreements, ambassadors")
        partners = _partners(api)
        if "programs" in urls:
            from sahabat.demo_programs import load_programs

            load_programs(urls, partners, region, progress)
        if "outreach" in urls:
            from sahabat.demo_outreach import load_outreach

            load_outreach(urls, region, progress)
    progress("demo data loaded")


def _post(api: httpx.Client, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post(path, json=body or {})
    if response.status_code >= 400:
        raise RuntimeError(f"demo data: POST {path} -> {response.status_code}: {response.text}")
    return response.json()  # type: ignore[no-any-return]


def _partners(api: httpx.Client) -> dict[str, dict[str, Any]]:
    today = date.today()
    created: dict[str, dict[str, Any]] = {}
    for key, (kind, name, nik, contact, interests) in PARTNERS.items():
        body: dict[str, Any] = {"kind": kind, "contact": contact, "interests": interests}
        if name:
            body["name"] = name
        if nik:
            body["nik"] = nik
        answer = _post(api, "/partners", body)
        created[key] = {"id": answer["id"], "position": answer["position"]}
        if key != "baru":
            created[key]["position"] = _post(api, f"/partners/{answer['id']}/verify")["position"]
    for number, (key, (instrument, level, unit, years, scope)) in enumerate(
        AGREEMENTS.items(), start=1
    ):
        ends = today + (timedelta(days=25) if years == 0 else timedelta(days=365 * years))
        body = {
            "partner_id": created[key]["id"],
            "instrument": instrument,
            "signed_level": level,
            "number": f"W15.{'PK' if instrument == 'pks' else 'MOU'}.{number:02d}/{today.year}",
            "scope": scope,
            "starts_on": (today - timedelta(days=200)).isoformat(),
            "ends_on": ends.isoformat(),
        }
        if unit:
            body["unit_code"] = unit
        answer = _post(api, "/agreements", body)
        created[key]["agreement_id"] = answer["id"]
        created[key]["position"] = answer["position"]
    media = created["media"]["id"]
    created["media"]["position"] = _post(
        api,
        f"/partners/{media}/suspend",
        {"reason": "Menunggu klarifikasi pemberitaan yang menyebut identitas Warga Binaan"},
    )["position"]
    for name, phone in AMBASSADORS:
        _post(
            api,
            "/ambassadors",
            {
                "person": {"name": name, "phone": phone},
                "term_starts_on": (today - timedelta(days=90)).isoformat(),
                "term_ends_on": (today + timedelta(days=640)).isoformat(),
            },
        )
    return created
