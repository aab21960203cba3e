"""The region reference data: 33 Kanwil codes, 38 provinces today, a dated mapping."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared.regions import (
    REGION_CODES,
    all_regions,
    is_region,
    local_date,
    provinces_served,
    region,
    region_serving,
    time_zone,
    validate_region,
)

DOMAIN_LIST = [
    "aceh",
    "sumut",
    "sumbar",
    "riau",
    "jambi",
    "sumsel",
    "bengkulu",
    "lampung",
    "babel",
    "kepri",
    "dki",
    "jabar",
    "jateng",
    "diy",
    "jatim",
    "banten",
    "bali",
    "ntb",
    "ntt",
    "kalbar",
    "kalteng",
    "kalsel",
    "kaltim",
    "sulut",
    "sulteng",
    "sulsel",
    "sultra",
    "gorontalo",
    "sulbar",
    "maluku",
    "malut",
    "papua",
    "papuabarat",
]
TODAY = date.today()


def names(provinces: list) -> set[str]:
    return {province.name for province in provinces}


def test_the_33_kanwil_codes_of_the_domain_list() -> None:
    assert len(REGION_CODES) == 33
    assert set(DOMAIN_LIST) == REGION_CODES
    assert [r.code for r in all_regions()] == DOMAIN_LIST


def test_codes_are_nats_subject_tokens() -> None:
    assert all(re.fullmatch(r"[a-z]+", code) for code in REGION_CODES)


def test_names_are_indonesian() -> None:
    assert region("jatim").name == "Kanwil Ditjenpas Jawa Timur"
    assert region("diy").name == "Kanwil Ditjenpas Daerah Istimewa Yogyakarta"


def test_38_provinces_are_served_today_each_by_one_region() -> None:
    served = [p for code in REGION_CODES for p in provinces_served(code, TODAY)]
    assert len(served) == 38
    assert len({p.kemendagri_code for p in served}) == 38
    assert len({p.bps_code for p in served}) == 38


def test_kaltim_serves_kalimantan_utara_since_2012() -> None:
    assert names(provinces_served("kaltim", TODAY)) == {"Kalimantan Timur", "Kalimantan Utara"}
    assert names(provinces_served("kaltim", date(2011, 12, 31))) == {"Kalimantan Timur"}
    before = [p for code in REGION_CODES for p in provinces_served(code, date(2011, 1, 1))]
    assert "Kalimantan Utara" not in names(before)


def test_the_new_papua_provinces_and_their_two_code_systems() -> None:
    papua = {p.name: p for p in provinces_served("papua", TODAY)}
    assert set(papua) == {"Papua", "Papua Selatan", "Papua Tengah", "Papua Pegunungan"}
    assert (papua["Papua"].kemendagri_code, papua["Papua"].bps_code) == ("91", "94")
    assert names(provinces_served("papuabarat", TODAY)) == {"Papua Barat", "Papua Barat Daya"}
    assert names(provinces_served("papua", date(2021, 1, 1))) == {"Papua"}
    assert region_serving("96", TODAY) == region("papuabarat")
    assert region_serving("96", date(2021, 1, 1)) is None


def test_validation() -> None:
    assert validate_region("jatim") == "jatim"
    assert is_region("dki") and not is_region("Jatim") and not is_region(None)
    with pytest.raises(ValueError, match="one of the 33 Kanwil"):
        validate_region("jawatimur")
    with pytest.raises(ValueError):
        region("nowhere")
    with pytest.raises(ValueError):
        provinces_served("nowhere", TODAY)


def test_every_region_has_the_time_zone_of_its_provinces() -> None:
    zones = {r.code: r.timezone for r in all_regions()}
    assert {code for code, zone in zones.items() if zone == "Asia/Jayapura"} == {
        "maluku",
        "malut",
        "papua",
        "papuabarat",
    }
    wita = {
        "bali",
        "ntb",
        "ntt",
        "kalsel",
        "kaltim",
        "sulut",
        "sulteng",
        "sulsel",
        "sultra",
        "gorontalo",
        "sulbar",
    }
    assert {code for code, zone in zones.items() if zone == "Asia/Makassar"} == wita
    assert {code for code, zone in zones.items() if zone == "Asia/Jakarta"} == (
        set(zones) - wita - {"maluku", "malut", "papua", "papuabarat"}
    )
    assert "kalbar" in zones and zones["kalbar"] == zones["kalteng"] == "Asia/Jakarta"
    assert time_zone("jatim").key == "Asia/Jakarta"


def test_the_local_date_across_midnight_utc() -> None:
    evening = datetime(2026, 3, 2, 16, 59, tzinfo=UTC)
    assert local_date("jatim", evening) == date(2026, 3, 2)  # 23:59 WIB
    late = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)
    assert local_date("jatim", late) == date(2026, 3, 3)  # 00:30 WIB, the next day
    assert local_date("bali", datetime(2026, 3, 2, 15, 59, tzinfo=UTC)) == date(2026, 3, 2)
    assert local_date("bali", datetime(2026, 3, 2, 16, 0, tzinfo=UTC)) == date(2026, 3, 3)
    assert local_date("papua", datetime(2026, 3, 2, 15, 0, tzinfo=UTC)) == date(2026, 3, 3)
    assert local_date("papua", datetime(2026, 3, 2, 14, 59, tzinfo=UTC)) == date(2026, 3, 2)
    wib = timezone(timedelta(hours=7))
    assert local_date("papua", datetime(2026, 3, 2, 22, 0, tzinfo=wib)) == date(2026, 3, 3)
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date("jatim", datetime(2026, 3, 2, 17, 30))
