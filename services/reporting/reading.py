"""How reporting reads every service's events: as their JSON `data`, never as another
service's models.

Reporting consumes the wire contract (DOMAIN.md, the event schemas in
docs/events/), not the producers' code: each event is handed over as the
plain `data` object of its CloudEvent. Types reporting does not count are
still received (their positions count for `as_of` and read-your-writes); a
message that is not a Sahabat event, or whose `data` is not an object, goes to
the dead letters.
"""

from __future__ import annotations

import json
from typing import Any

from shared.events import Event, EventDataInvalid, EventRegistry, UnknownEventType, parse_type


class DataRegistry(EventRegistry):
    """A registry that accepts every `pas.<service>.<name>.v<N>` type and returns its `data`."""

    def __contains__(self, event_type: str) -> bool:
        try:
            parse_type(event_type)
        except ValueError:
            return False
        return True

    def load_json(self, event_type: str, data_json: str | bytes) -> Event:  # type: ignore[override]
        """The event's `data` as a dict (typed as Event only to fit the runner's protocol)."""
        if event_type not in self:
            raise UnknownEventType(event_type)
        try:
            data: Any = json.loads(data_json)
        except ValueError as exc:
            raise EventDataInvalid(f"{event_type}: data is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise EventDataInvalid(f"{event_type}: data is not a JSON object")
        return data  # type: ignore[return-value]

    def load(self, event_type: str, data: dict[str, Any]) -> Event:  # type: ignore[override]
        return self.load_json(event_type, json.dumps(data))
