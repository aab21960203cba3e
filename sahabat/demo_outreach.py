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

from shared import regions

ACTOR = "demo@kanwil"
AMBASSADORS = [
    ("Ayu Kartika Sari", "+62 812-7000-1101"),
    ("Bagus Hermawan", "+62 813-7000-2202"),
    ("Citra Maharani", "+62 857-7000-3303"),
]
# title, channel, days ago (held or planned), lead, co, place, regency key, topics, how
# how: "held" (planned then held), "direct" (held without a plan), "cancelled", "planned"
EVENTS: list[tuple[str, str, int, int, list[int], str, int, list[str], str]] = [
    (
        "Sosialisasi Pokmas Lipas di Kelurahan",
        "socialization",
        300,
        0,
        [1],
        "Balai RW 05",
        0,
        ["pokmas lipas", "reintegrasi sosial"],
        "held",
    ),
    (
        "Seminar Peran Masyarakat dalam Pemasyarakatan",
        "seminar",
        270,
        1,
        [],
        "Aula Kampus",
        1,
        ["peran serta masyarakat"],
        "direct",
    ),
    (
        "Lokakarya Kewirausahaan Mantan Warga Binaan",
        "workshop",
        240,
        2,
        [0],
        "Gedung Koperasi",
        2,
        ["kewirausahaan", "reintegrasi"],
        "held",
    ),
    (
        "Kampanye Media Hari Bakti Pemasyarakatan",
        "media_campaign",
        210,
        0,
        [],
        "Studio Radio",
        0,
        ["hari bakti pemasyarakatan"],
        "direct",
    ),
    (
        "Kunjungan Komunitas ke Lapas",
        "community_visit",
        180,
        1,
        [2],
        "Lapas Kelas I",
        0,
        ["pembinaan kepribadian"],
        "held",
    ),
    (
        "Pameran Produk Karya Warga Binaan",
        "exhibition",
        150,
        2,
        [],
        "Alun-alun Kota",
        1,
        ["produk warga binaan", "kemandirian"],
        "held",
    ),
    (
        "Siaran Langsung Media Sosial: Kembali ke Masyarakat",
        "social_media",
        120,
        0,
        [1],
        "Akun resmi Kanwil",
        0,
        ["stigma", "reintegrasi"],
        "direct",
    ),
    (
        "Sosialisasi di Pondok Pesantren",
        "socialization",
        90,
        1,
        [],
        "Aula Pesantren",
        2,
        ["pembinaan keagamaan"],
        "held",
    ),
    (
        "Seminar Dunia Usaha dan Pemasyarakatan",
        "seminar",
        60,
        2,
        [0, 1],
        "Hotel Kota",
        1,
        ["CSR", "penempatan kerja"],
        "held",
    ),
    (
        "Lokakarya Relawan Pendamping Klien Bapas",
        "workshop",
        30,
        0,
        [],
        "Kantor Bapas",
        0,
        ["pendampingan klien"],
        "direct",
    ),
    (
        "Kunjungan ke Karang Taruna",
        "community_visit",
        20,
        1,
        [],
        "Balai Desa",
        2,
        ["pemuda", "pencegahan"],
        "cancelled",
    ),
    (
        "Pameran UMKM dan Pemasyarakatan",
        "exhibition",
        -14,
        2,
        [0],
        "Gedung Expo",
        1,
        ["kemandirian"],
        "planned",
    ),
]
REGENCIES = {"jatim": ["Kota Surabaya", "Kota Malang", "Kabupaten Sidoarjo"]}
AUDIENCES = [
    {"general_public": 60, "families_of_inmates": 12, "government": 5},
    {"students": 140, "government": 8, "media": 4},
    {"general_public": 25, "business": 18, "families_of_inmates": 9},
    {"general_public": 400, "media": 12},
    {"religious_community": 30, "general_public": 20},
    {"general_public": 350, "business": 40, "students": 60},
    {"general_public": 900, "students": 300},
    {"religious_community": 180, "students": 40},
    {"business": 75, "government": 10, "media": 6},
    {"general_public": 35, "other": 5},
]
# event index, outlet, medium, title, reach
COVERAGE = [
    (0, "Radar Kota", "online", "Warga kelurahan bentuk Pokmas Lipas", 8000),
    (3, "Radio Suara Kota", "radio", "Dialog interaktif Hari Bakti Pemasyarakatan", 25000),
    (3, "Harian Pagi", "print", "Masyarakat diajak peduli Warga Binaan", 40000),
    (5, "TV Lokal", "tv", "Produk karya Warga Binaan dipamerkan", 60000),
    (6, "Instagram Kanwil", "social", "Siaran langsung: kembali ke masyarakat", 12000),
    (8, "Portal Bisnis", "online", "Pengusaha siap rekrut mantan Warga Binaan", 15000),
]
# event index, kind, name, interests, fate: "partner" (registers with referral), "declined", ""
PROSPECTS = [
    (0, "community_organization", "Pokmas Lipas Kelurahan Sawahan", ["reintegration"], "partner"),
    (
        1,
        "educational_institution",
        "Fakultas Hukum Universitas Negeri",
        ["personality_development"],
        "partner",
    ),
    (2, "business", "Koperasi Usaha Bersama Mandiri", ["independence"], "partner"),
    (4, "individual", "Lestari Wulandari", ["personality_development"], "declined"),
    (5, "business", "CV Kriya Nusantara", ["independence"], "partner"),
    (7, "religious_organization", "Majelis Taklim Al-Ikhlas", ["personality_development"], ""),
    (8, "business", "PT Logistik Jaya Abadi", ["independence"], "declined"),
    (9, "individual", "Hadi Prasetyo", ["reintegration"], ""),
]


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
        events = [_event(api, wait, region, ambassadors, n, spec) for n, spec in enumerate(EVENTS)]
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
        converting = _prospects(api, partners, events, ambassadors)
        _see_conversions(api, converting, progress)


def _post(
    api: httpx.Client, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    response = api.post(path, json=body, headers=headers)
    if response.status_code >= 400:
        raise RuntimeError(f"demo outreach: POST {path} -> {response.status_code}: {response.text}")
    return response.json()  # type: ignore[no-any-return]


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


def _place(region: str, name: str, regency: int) -> dict[str, str]:
    names = REGENCIES.get(region)
    if names is None:
        city = regions.region(region).name.removeprefix("Kanwil Ditjenpas ")
        names = [f"Kota {city}", f"Kabupaten {city}", f"Kota {city}"]
    return {"name": name, "regency": names[regency]}


def _event(
    api: httpx.Client,
    wait: dict[str, str],
    region: str,
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
        "place": _place(region, place, regency),
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
    api: httpx.Client, partners: httpx.Client, events: list[str], ambassadors: list[str]
) -> list[str]:
    converting = []
    for index, kind, name, interests, fate in PROSPECTS:
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
                registered["nik"] = f"35780145068{len(name):05d}"
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
