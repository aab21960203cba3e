"""Each region's demo data is its own: its cities, units, NIK areas and names, never another's."""

from __future__ import annotations

import pytest

from sahabat.demo_outreach_plan import EVENTS, demo_prospects
from sahabat.demo_partners_plan import demo_agreements, demo_partners
from sahabat.demo_places import places
from sahabat.demo_programs_plan import PROGRAMS
from sahabat.demo_units import demo_units
from shared.regions import all_regions

CODES = [r.code for r in all_regions()]


def _texts(region: str) -> str:
    where = places(region)
    partners = demo_partners(where)
    words = [str(spec) for spec in partners.values()]
    words += [str(spec) for spec in demo_agreements(where).values()]
    words += [str(unit) for unit in demo_units(where).values()]
    words += [str(spec) for spec in demo_prospects(where)]
    words += [city.regency for city in where.cities]
    return " ".join(words)


def test_jatim_keeps_its_own_names_and_codes() -> None:
    where = places("jatim")
    units = demo_units(where)
    assert [u.code for u in units.values()] == [
        "LAPAS-SBY",
        "RUTAN-SBY",
        "LPKA-BLT",
        "BAPAS-SBY",
        "LPP-MLG",
        "LAPAS-MLG",
        "RUPBASAN-SBY",
    ]
    assert units["lpp"].name == "Lapas Perempuan Kelas IIA Malang"
    assert demo_partners(where)["relawan"][2] == "3578014506870002"
    assert demo_partners(where)["kampus"][1] == "Universitas Airlangga"


def test_jabar_shows_its_own_cities_and_none_of_jatim() -> None:
    text = _texts("jabar")
    assert "Bandung" in text and "Universitas Padjadjaran" in text
    for jatim in ("Surabaya", "Malang", "Sidoarjo", "Blitar", "Jember", "Airlangga", "SBY"):
        assert jatim not in text
    assert demo_partners(places("jabar"))["relawan"][2].startswith("3273")


@pytest.mark.parametrize("region", CODES)
def test_every_region_gets_a_complete_demo_of_its_own(region: str) -> None:
    where = places(region)
    units = demo_units(where)
    assert len({u.code for u in units.values()}) == len(units) == 7
    assert {code for _, _, code, _, _ in demo_agreements(where).values() if code} <= {
        u.code for u in units.values()
    }
    assert {spec[1] for spec in PROGRAMS} <= set(units)
    assert {spec[3] for spec in PROGRAMS} | {k for spec in PROGRAMS for k in spec[4]} <= set(
        demo_partners(where)
    )
    province = where.province
    assert province in _texts(region) or region in {"jatim", "jabar", "jateng", "dki"}
    niks = [nik for _, _, nik, _, _ in demo_partners(where).values() if nik]
    assert niks and all(len(n) == 16 and n.isdigit() for n in niks)
    names = [name for _, _, name, _, _ in demo_partners(where).values() if name]
    assert len(set(names)) == len(names)
    assert max(regency for *_, regency, _, _ in EVENTS) < len(where.cities)


@pytest.mark.parametrize("region", ["jatim", "jabar", "jateng", "dki"])
def test_no_table_region_borrows_another_ones_cities(region: str) -> None:
    mine = {city.name for city in places(region).cities}
    text = _texts(region)
    for other in {"jatim", "jabar", "jateng", "dki"} - {region}:
        for city in places(other).cities:
            if city.name not in mine:
                assert city.name not in text, (region, city.name)
