"""The event registry: wire types to models, upcasters step by step, personal-data marks."""

from __future__ import annotations

from typing import Any

import pytest

from shared.events import (
    PERSONAL,
    SENSITIVE,
    Event,
    EventDataInvalid,
    EventRegistry,
    UnknownEventType,
    parse_type,
    personal,
    personal_fields,
)


class ThingHappened(Event):
    TYPE = "pas.testing.thing_happened.v3"
    AGGREGATE = "thing"

    name: str
    size: int
    colour: str


class OtherThing(Event):
    TYPE = "pas.testing.other_thing.v1"
    AGGREGATE = "thing"

    note: str = ""


class Person(Event):
    TYPE = "pas.testing.person_noted.v1"
    AGGREGATE = "person"

    name: str = personal()
    religion: str | None = personal(sensitive=True, default=None)
    city: str


def registry_with_upcasters() -> EventRegistry:
    registry = EventRegistry([ThingHappened, OtherThing])

    @registry.upcaster("pas.testing.thing_happened.v1", "pas.testing.thing_happened.v2")
    def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
        return {"name": data["title"], "size": data.get("size", 0)}

    @registry.upcaster("pas.testing.thing_happened.v2", "pas.testing.thing_happened.v3")
    def v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "colour": "grey"}

    return registry


def test_register_and_load() -> None:
    registry = EventRegistry()
    assert registry.register(ThingHappened) is ThingHappened
    assert ThingHappened.TYPE in registry
    assert registry.model_for(ThingHappened.TYPE) is ThingHappened
    assert registry.models() == [ThingHappened]
    event = registry.load(ThingHappened.TYPE, {"name": "a", "size": 1, "colour": "red"})
    assert event == ThingHappened(name="a", size=1, colour="red")
    assert registry.load_json(ThingHappened.TYPE, '{"name":"a","size":1,"colour":"red"}') == event
    assert ThingHappened.event_name() == "thing_happened"


def test_duplicate_registration_is_refused() -> None:
    registry = EventRegistry([ThingHappened])
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(ThingHappened)

    class Impostor(Event):
        TYPE = ThingHappened.TYPE
        AGGREGATE = "thing"

    with pytest.raises(ValueError):
        registry.register(Impostor)
    assert registry.model_for(ThingHappened.TYPE) is ThingHappened


def test_a_malformed_type_is_refused() -> None:
    class Bad(Event):
        TYPE = "partners.PartnerRegistered"
        AGGREGATE = "partner"

    with pytest.raises(ValueError, match="not an event type"):
        EventRegistry([Bad])
    with pytest.raises(ValueError):
        parse_type("pas.partners.partner_registered.v0")
    assert parse_type("pas.partners.partner_registered.v12") == (
        "partners",
        "partner_registered",
        12,
    )


def test_upcaster_chain_v1_to_v3() -> None:
    registry = registry_with_upcasters()
    assert "pas.testing.thing_happened.v1" in registry
    old = {"title": "first", "size": 5}
    assert registry.upcast("pas.testing.thing_happened.v1", old) == (
        ThingHappened.TYPE,
        {"name": "first", "size": 5, "colour": "grey"},
    )
    assert registry.load("pas.testing.thing_happened.v1", old) == ThingHappened(
        name="first", size=5, colour="grey"
    )
    assert registry.load_json("pas.testing.thing_happened.v2", '{"name":"second","size":2}') == (
        ThingHappened(name="second", size=2, colour="grey")
    )
    # the current version is not upcast
    assert registry.upcast(ThingHappened.TYPE, {"x": 1}) == (ThingHappened.TYPE, {"x": 1})


def test_unknown_type_raises() -> None:
    registry = registry_with_upcasters()
    for load in (registry.load, registry.load_json):
        with pytest.raises(UnknownEventType):
            load("pas.testing.never_heard.v1", {} if load is registry.load else "{}")  # type: ignore[operator]
    with pytest.raises(UnknownEventType):
        registry.model_for("pas.testing.thing_happened.v1")  # only an upcaster, no model


def test_an_upcaster_cycle_raises_instead_of_looping() -> None:
    registry = EventRegistry()

    @registry.upcaster("pas.testing.loop.v1", "pas.testing.loop.v2")
    def forward(data: dict[str, Any]) -> dict[str, Any]:
        return data

    @registry.upcaster("pas.testing.loop.v2", "pas.testing.loop.v1")
    def back(data: dict[str, Any]) -> dict[str, Any]:
        return data

    with pytest.raises(UnknownEventType):
        registry.load("pas.testing.loop.v1", {})


@pytest.mark.parametrize(
    "data",
    [
        {"name": "a"},
        {"name": "a", "size": "big", "colour": "red"},
        {"name": "a", "size": 1, "colour": "red", "extra": True},
    ],
)
def test_invalid_data_raises(data: dict[str, Any]) -> None:
    import json

    registry = EventRegistry([ThingHappened])
    with pytest.raises(EventDataInvalid):
        registry.load(ThingHappened.TYPE, data)
    with pytest.raises(EventDataInvalid):
        registry.load_json(ThingHappened.TYPE, json.dumps(data))


def test_invalid_data_after_an_upcast_raises() -> None:
    registry = registry_with_upcasters()
    with pytest.raises(EventDataInvalid):
        registry.load("pas.testing.thing_happened.v2", {"name": "x", "size": "huge"})


def test_events_are_frozen() -> None:
    event = ThingHappened(name="a", size=1, colour="red")
    with pytest.raises(ValueError):
        event.name = "b"  # type: ignore[misc]


def test_personal_fields_are_marked() -> None:
    assert personal_fields(Person) == {"name", "religion"}
    assert personal_fields(ThingHappened) == set()
    schema = Person.model_json_schema()["properties"]
    assert schema["name"][PERSONAL] is True and SENSITIVE not in schema["name"]
    assert schema["religion"][PERSONAL] is True and schema["religion"][SENSITIVE] is True
    assert PERSONAL not in schema["city"]
    assert Person(name="Siti", city="Surabaya").religion is None


def test_a_failing_upcaster_raises_event_data_invalid() -> None:
    registry = registry_with_upcasters()
    with pytest.raises(EventDataInvalid, match="upcast failed"):
        registry.load("pas.testing.thing_happened.v1", {"no_title": 1})  # KeyError inside
    with pytest.raises(EventDataInvalid):
        registry.load_json("pas.testing.thing_happened.v1", "[1, 2]")  # TypeError inside
