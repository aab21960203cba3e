"""The demo outreach's plan: ambassadors, twelve events, their audiences, coverage and prospects.

Places are the region's own: an event's regency is an index into its cities
(sahabat/demo_places.py), and a prospect may name a kelurahan of the region.
"""

from __future__ import annotations

from sahabat.demo_places import Places

# event index, kind, name, interests, fate: "partner" (registers with referral), "declined", ""
ProspectSpec = tuple[int, str, str, list[str], str]

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


def demo_prospects(places: Places) -> list[ProspectSpec]:
    """The prospects met at the events; the first is a Pokmas of a kelurahan of the region."""
    return [
        (
            0,
            "community_organization",
            f"Pokmas Lipas Kelurahan {places.kelurahan}",
            ["reintegration"],
            "partner",
        ),
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
