"""The decider shape every aggregate follows, and the one error a decision raises.

    initial() -> state
    decide(command, state, context) -> list[Event]   (raises DomainError)
    evolve(state, event) -> state

All pure: no I/O, no clock. What a decision needs from the world (today's
date, new ids, what a read model knows) the handler passes in through `context`.
A domain module exposes `decider = Decider(initial=..., evolve=..., decide=...)`;
a handler calls `decider.decide(command, state, context)`, so nothing needs a
lambda or a cast to fit a command path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel

from shared.events import Event

C = TypeVar("C")
S = TypeVar("S")
X = TypeVar("X")


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


class Decider(Generic[C, S, X]):
    """An aggregate's rules: its initial state, how an event changes it, what a command causes.

    Generic over the commands it takes (C), its state (S) and the context a decision
    needs (X). `snapshot_version` names the shape of S: bump it when `evolve` or the
    state changes, and stored snapshots of the old shape are rebuilt from the events.
    """

    def __init__(
        self,
        *,
        initial: Callable[[], S],
        evolve: Callable[[S, Event], S],
        decide: Callable[[C, S, X], list[Event]],
        snapshot_version: int = 1,
    ) -> None:
        self.initial = initial
        self.evolve = evolve
        self.decide = decide
        self.snapshot_version = snapshot_version

    def dump(self, state: S) -> str:
        """The state as JSON, for a snapshot (states are pydantic models)."""
        if not isinstance(state, BaseModel):
            raise TypeError(f"cannot snapshot a {type(state).__name__}: not a pydantic model")
        return state.model_dump_json()

    def restore(self, data: str) -> S:
        """A state from the JSON `dump` made of it."""
        kind = type(self.initial())
        if not issubclass(kind, BaseModel):
            raise TypeError(f"cannot restore a {kind.__name__}: not a pydantic model")
        return cast(S, kind.model_validate_json(data))

    def fold(self, events: Iterable[Event], state: S | None = None) -> S:
        """The state after `events`, from `state` (the initial state when None)."""
        current = self.initial() if state is None else state
        for event in events:
            current = self.evolve(current, event)
        return current
