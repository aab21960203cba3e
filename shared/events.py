"""Event and command models, personal-data markers and the type registry.

An event is a frozen pydantic model with an explicit wire type
(`pas.<service>.<event_name>.v<N>`) — never a Python import path — because the
schema is a contract other teams read. Older versions reach the code through
upcasters, one per step.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from shared.textrules import control_character_error

_TYPE = re.compile(r"^pas\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.v([1-9][0-9]*)$")
PERSONAL = "x-personal-data"
SENSITIVE = "x-sensitive-personal-data"


def personal(*, sensitive: bool = False, **field_kwargs: Any) -> Any:
    """Mark a field as personal data (UU 27/2022); `sensitive` for specific personal data.

    The mark shows in the JSON Schema (`x-personal-data: true`) and through
    `personal_fields()`, so erasure and encryption know what to touch.
    """
    extra: dict[str, Any] = {PERSONAL: True}
    if sensitive:
        extra[SENSITIVE] = True
    return Field(json_schema_extra=extra, **field_kwargs)


def personal_fields(model: type[BaseModel]) -> set[str]:
    """Names of the fields of `model` marked personal."""
    found = set()
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(PERSONAL):
            found.add(name)
    return found


class Model(BaseModel):
    """Base of commands and value objects: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _control_character(value: object) -> PydanticCustomError | None:
    """The error of the first refused control character in a value, nested ones included."""
    if isinstance(value, str):
        return control_character_error(value)
    if isinstance(value, BaseModel):
        values: Iterable[object] = (getattr(value, name) for name in type(value).model_fields)
    elif isinstance(value, tuple | list):
        values = value
    elif isinstance(value, dict):
        values = value.values()
    else:
        return None
    for item in values:
        found = _control_character(item)
        if found is not None:
            return found
    return None


class CommandModel(Model):
    """Base of commands (and request bodies): text with a control character is refused.

    PostgreSQL text cannot hold NUL, so it would fail in a view (a 500, not a 422);
    the other control characters (line breaks and tabs excepted) are never meant.
    The rule is shared with the query strings (shared.textrules). Checked on
    commands only, not on events, so no stored history becomes unreadable.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_control_characters(cls, value: object) -> object:
        found = _control_character(value)
        if found is not None:
            raise found
        return value


class Event(Model):
    """A domain event. Subclasses set `TYPE` and `AGGREGATE`."""

    TYPE: ClassVar[str]
    AGGREGATE: ClassVar[str]

    @classmethod
    def event_name(cls) -> str:
        """The firm event name, e.g. `partner_registered` (also the NATS subject's last token)."""
        return parse_type(cls.TYPE)[1]


@functools.lru_cache(maxsize=1024)
def parse_type(event_type: str) -> tuple[str, str, int]:
    """Split `pas.<service>.<name>.v<N>` into its parts (cached: the relay asks per event)."""
    match = _TYPE.match(event_type)
    if not match:
        raise ValueError(f"not an event type: {event_type!r}")
    return match.group(1), match.group(2), int(match.group(3))


class UnknownEventType(LookupError):
    """The registry has no model (and no upcaster path) for a type."""


class EventDataInvalid(ValueError):
    """Stored or received data does not fit the event's model."""


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class EventRegistry:
    """Maps wire types to models; upcasts older versions step by step."""

    def __init__(self, events: Iterable[type[Event]] = ()) -> None:
        self._models: dict[str, type[Event]] = {}
        self._upcasters: dict[str, tuple[str, Upcaster]] = {}
        for event in events:
            self.register(event)

    def register(self, event: type[Event]) -> type[Event]:
        parse_type(event.TYPE)
        if event.TYPE in self._models:
            raise ValueError(f"{event.TYPE} registered twice")
        self._models[event.TYPE] = event
        return event

    def upcaster(self, old_type: str, new_type: str) -> Callable[[Upcaster], Upcaster]:
        """Register `fn(old_data) -> new_data` turning `old_type` into `new_type`."""
        parse_type(old_type)
        parse_type(new_type)

        def register(fn: Upcaster) -> Upcaster:
            self._upcasters[old_type] = (new_type, fn)
            return fn

        return register

    def __contains__(self, event_type: str) -> bool:
        return event_type in self._models or event_type in self._upcasters

    def models(self) -> list[type[Event]]:
        return list(self._models.values())

    def model_for(self, event_type: str) -> type[Event]:
        try:
            return self._models[event_type]
        except KeyError:
            raise UnknownEventType(event_type) from None

    def upcast(self, event_type: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        seen = set()
        while event_type not in self._models:
            if event_type in seen or event_type not in self._upcasters:
                raise UnknownEventType(event_type)
            seen.add(event_type)
            new_type, fn = self._upcasters[event_type]
            try:
                data = fn(data)
            except Exception as exc:  # odd old data must not make a consumer loop on it
                raise EventDataInvalid(
                    f"{event_type} -> {new_type}: upcast failed: {exc!r}"
                ) from exc
            event_type = new_type
        return event_type, data

    def load(self, event_type: str, data: dict[str, Any]) -> Event:
        """The current model instance for stored data of any known version."""
        event_type, data = self.upcast(event_type, data)
        try:
            return self._models[event_type].model_validate(data)
        except ValidationError as exc:
            raise EventDataInvalid(f"{event_type}: {exc}") from exc

    def load_json(self, event_type: str, data_json: str | bytes) -> Event:
        """Like `load`, straight from JSON text (fast path when no upcast is needed)."""
        model = self._models.get(event_type)
        if model is None:
            import json

            return self.load(event_type, json.loads(data_json))
        try:
            return model.model_validate_json(data_json)
        except ValidationError as exc:
            raise EventDataInvalid(f"{event_type}: {exc}") from exc
