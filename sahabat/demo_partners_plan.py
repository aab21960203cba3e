"""The demo's partners, agreements and ambassadors of one region, named after its own places."""

from __future__ import annotations

from sahabat.demo_places import Places
from sahabat.demo_units import demo_units

# key -> (kind, name or None, nik or None, contact, interests)
PartnerSpec = tuple[str, str | None, str | None, dict[str, str], list[str]]
# key -> (instrument, signed_level, unit_code, years, scope)
AgreementSpec = tuple[str, str, str | None, int, str]

AMBASSADORS = [
    ("Dewi Lestari", "+62 812-1111-2222"),
    ("Muhammad Rizky", "+62 813-3333-4444"),
]


def demo_partners(places: Places) -> dict[str, PartnerSpec]:
    """key -> the partner to register; "baru" stays unverified, "media" gets suspended."""
    first, second, third, _, fifth = places.cities
    return {
        "pokmas": (
            "community_organization",
            f"Pokmas Lipas Kampung Tangguh {first.name}",
            None,
            {"person_name": "Siti Aminah", "phone": "+62 812-3300-1122"},
            ["reintegration"],
        ),
        "pesantren": (
            "religious_organization",
            f"Pondok Pesantren Nurul Huda {third.name}",
            None,
            {"person_name": "KH. Abdul Karim", "phone": "+62 813-5500-2211"},
            ["personality_development"],
        ),
        "kampus": (
            "educational_institution",
            places.university,
            None,
            {
                "person_name": "Dr. Ratna Dewi",
                "email": f"kerjasama@{places.university_domain}.example.ac.id",
            },
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
            f"Radio Suara {first.name}",
            None,
            {"person_name": "Dian Puspita", "phone": places.phone(0, "567-8900")},
            ["reintegration"],
        ),
        "pemkot": (
            "local_government",
            f"Dinas Tenaga Kerja {first.regency}",
            None,
            {"person_name": "Bambang Sutrisno", "phone": places.phone(0, "534-1234")},
            ["independence"],
        ),
        "gereja": (
            "religious_organization",
            f"{places.church} {second.name}",
            None,
            {"person_name": "Pdt. Yohanes Santoso", "phone": places.phone(1, "362-777")},
            ["personality_development"],
        ),
        "relawan": (
            "individual",
            None,
            places.nik("014506870002"),
            {"person_name": "Rina Marlina", "phone": "+62 857-3312-4455"},
            ["personality_development", "reintegration"],
        ),
        "baru": (
            "community_organization",
            f"Komunitas Sahabat Warga Binaan {fifth.name}",
            None,
            {"person_name": "Agus Salim", "phone": "+62 821-4411-9988"},
            ["reintegration"],
        ),
    }


def demo_agreements(places: Places) -> dict[str, AgreementSpec]:
    """partner key -> its agreement; UPT-level ones name this region's units."""
    units = demo_units(places)
    women = places.cities[1].name  # where the Lapas Perempuan is
    return {
        "kampus": ("mou", "kanwil", None, 5, "Penelitian dan pendidikan bagi Warga Binaan"),
        "pokmas": ("pks", "upt", units["bapas"].code, 5, "Pendampingan reintegrasi Klien Bapas"),
        "pesantren": ("pks", "upt", units["lapas"].code, 3, "Pembinaan kepribadian dan keagamaan"),
        "kopi": ("pks", "upt", units["lapas"].code, 2, "Pelatihan barista dan penempatan kerja"),
        "pemkot": ("mou", "kanwil", None, 5, "Pelatihan kerja dan sertifikasi keterampilan"),
        "gereja": (
            "pks",
            "upt",
            units["lpp"].code,
            1,
            f"Pembinaan rohani di Lapas Perempuan {women}",
        ),
        "relawan": ("pks", "upt", units["lpka"].code, 0, "Pendampingan belajar Anak Binaan"),
    }
