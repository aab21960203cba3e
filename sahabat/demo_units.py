"""The demo's units (UPT) of one region: code, name and kind, placed in the region's cities."""

from __future__ import annotations

from dataclasses import dataclass

from sahabat.demo_places import Places


@dataclass(frozen=True)
class DemoUnit:
    """One UPT the demo registers: its SDP-style code, its name and its kind."""

    code: str
    name: str
    kind: str


# key -> (code prefix, name before the city, kind, index of its city in Places.cities)
_UNITS = {
    "lapas": ("LAPAS", "Lapas Kelas I", "lapas", 0),
    "rutan": ("RUTAN", "Rutan Kelas I", "rutan", 0),
    "lpka": ("LPKA", "LPKA Kelas I", "lpka", 3),
    "bapas": ("BAPAS", "Bapas Kelas I", "bapas", 0),
    "lpp": ("LPP", "Lapas Perempuan Kelas IIA", "lpp", 1),
    "lapas2": ("LAPAS", "Lapas Kelas I", "lapas", 1),
    "rupbasan": ("RUPBASAN", "Rupbasan Kelas I", "rupbasan", 0),
}


def demo_units(places: Places) -> dict[str, DemoUnit]:
    """key -> the unit in this region (jatim: "lapas" is LAPAS-SBY, Lapas Kelas I Surabaya)."""
    units = {}
    for key, (prefix, title, kind, city) in _UNITS.items():
        where = places.cities[city]
        units[key] = DemoUnit(f"{prefix}-{where.short}", f"{title} {where.name}", kind)
    return units
