"""Where one region's demo data lives: its cities, units' codes, NIK area codes and local names.

Each demo region gets places of its own, so a jabar demo does not show
Surabaya. A small table holds five real cities (or regencies) for the regions
the demo starts by default and a few more; any other region falls back to
names made from the province it serves (shared/data/regions.json), with the
province's Kemendagri code for NIKs and the region code in unit codes.
The roles are fixed by position: the first city holds the Lapas, Rutan, Bapas
and Rupbasan, the second the Lapas Perempuan and a second Lapas, the third a
pesantren and a regency for outreach, the fourth the LPKA, the fifth a new
community that has not been verified yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared import regions


@dataclass(frozen=True)
class City:
    """A city or regency: its name, its label as a regency, a short code and its NIK area."""

    name: str  # "Surabaya"
    regency: str  # "Kota Surabaya"
    short: str  # "SBY", used in unit codes
    area: str  # Kemendagri kode wilayah of the kota/kabupaten, the first 4 digits of a NIK
    phone_area: str | None = None  # fixed-line area code, None for mobile numbers only


@dataclass(frozen=True)
class Places:
    """The places and local names one region's demo data uses."""

    region: str
    province: str
    cities: tuple[City, City, City, City, City]
    university: str
    university_domain: str
    church: str
    kelurahan: str
    agreement_prefix: str  # the Kanwil's letter code in agreement numbers

    def phone(self, city: int, local: str) -> str:
        """A fixed-line number in that city, or a mobile number where no area code is known."""
        area = self.cities[city].phone_area
        return f"+62 {area}-{local}" if area else f"+62 811-{local}"

    def nik(self, tail: str) -> str:
        """A 16-digit NIK registered in the first city: its area, then the 12 digits given."""
        return f"{self.cities[0].area}{tail}"


def _kota(name: str, short: str, area: str, phone: str | None = None) -> City:
    return City(name, f"Kota {name}", short, area, phone)


def _kab(name: str, short: str, area: str, phone: str | None = None) -> City:
    return City(name, f"Kabupaten {name}", short, area, phone)


def _jakarta(part: str, short: str, area: str) -> City:
    return City(f"Jakarta {part}", f"Kota Administrasi Jakarta {part}", short, area, "21")


# region -> (cities, university, its mail domain, church, kelurahan, agreement prefix)
_TABLE: dict[str, tuple[tuple[City, City, City, City, City], str, str, str, str, str]] = {
    "jatim": (
        (
            _kota("Surabaya", "SBY", "3578", "31"),
            _kota("Malang", "MLG", "3573", "341"),
            _kab("Sidoarjo", "SDA", "3515", "31"),
            _kota("Blitar", "BLT", "3572", "342"),
            _kab("Jember", "JBR", "3509", "331"),
        ),
        "Universitas Airlangga",
        "unair",
        "Gereja Kristen Jawi Wetan",
        "Sawahan",
        "W15",
    ),
    "jabar": (
        (
            _kota("Bandung", "BDG", "3273", "22"),
            _kota("Bogor", "BGR", "3271", "251"),
            _kota("Bekasi", "BKS", "3275", "21"),
            _kota("Sukabumi", "SMI", "3272", "266"),
            _kota("Cirebon", "CBN", "3274", "231"),
        ),
        "Universitas Padjadjaran",
        "unpad",
        "Gereja Kristen Pasundan",
        "Cibangkong",
        "JABAR",
    ),
    "jateng": (
        (
            _kota("Semarang", "SMG", "3374", "24"),
            _kota("Surakarta", "SKA", "3372", "271"),
            _kab("Kudus", "KDS", "3319", "291"),
            _kab("Purworejo", "PWR", "3306", "275"),
            _kab("Banyumas", "BMS", "3302", "281"),
        ),
        "Universitas Diponegoro",
        "undip",
        "Gereja Kristen Jawa",
        "Bendan Ngisor",
        "JATENG",
    ),
    "dki": (
        (
            _jakarta("Pusat", "JKP", "3173"),
            _jakarta("Timur", "JKT", "3172"),
            _jakarta("Selatan", "JKS", "3171"),
            _jakarta("Barat", "JKB", "3174"),
            _jakarta("Utara", "JKU", "3175"),
        ),
        "Universitas Indonesia",
        "ui",
        "Gereja Kristen Indonesia",
        "Menteng",
        "DKI",
    ),
}


def places(region: str) -> Places:
    """The demo places of `region`: from the table, else made from the province it serves."""
    province = regions.region(region).name.removeprefix("Kanwil Ditjenpas ")
    known = _TABLE.get(region)
    if known is not None:
        cities, university, domain, church, kelurahan, prefix = known
        return Places(region, province, cities, university, domain, church, kelurahan, prefix)
    return _fallback(region, province)


def _fallback(region: str, province: str) -> Places:
    served = regions.provinces_served(region, date.today())
    code = served[0].kemendagri_code if served else "00"
    tag = region.upper()
    cities = (
        City(province, f"Kota {province}", f"{tag}1", f"{code}01"),
        City(province, f"Kabupaten {province}", f"{tag}2", f"{code}02"),
        City(province, f"Kota {province}", f"{tag}3", f"{code}03"),
        City(province, f"Kabupaten {province}", f"{tag}4", f"{code}04"),
        City(province, f"Kabupaten {province}", f"{tag}5", f"{code}05"),
    )
    return Places(
        region=region,
        province=province,
        cities=cities,
        university=f"Universitas {province}",
        university_domain=region,
        church=f"Persekutuan Gereja {province}",
        kelurahan="Kota Baru",
        agreement_prefix=tag,
    )
