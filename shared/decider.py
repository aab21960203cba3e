"""The decider shape every aggregate follows, and the one error a decision raises.

    decide(command, state, context) -> list[Event]   (raises DomainError)
    evolve(state, event) -> state

Both are pure: no I/O, no clock. What a decision needs from the world (today's
date, what a read model knows) the handler passes in through `context`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from shared.events import Event

S = TypeVar("S")


class DomainError(Exception):
    """A command refused by the rules, with a stable machine code.

    `status` is the HTTP status the API answers with: 422 a rule or bad value,
    404 unknown id, 409 conflict or duplicate, 403 not allowed.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 422,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        self.details = details or {}


class Decider(Generic[S]):
    """Bundles an aggregate's initial state and evolve, to fold its history."""

    def __init__(self, initial: Callable[[], S], evolve: Callable[[S, Event], S]) -> None:
        self.initial = initial
        self.evolve = evolve

    def fold(self, events: Iterable[Event], state: S | None = None) -> S:
        current = self.initial() if state is None else state
        for event in events:
            current = self.evolve(current, event)
        return current
