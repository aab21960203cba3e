"""Given/when/then for the partners deciders: one helper bound to a decider and its usual context.

then(given=[...events], when=command, expect=[...events])
refused(given=[...events], when=command, code="...", status=409, field="...")
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import pytest

from shared.decider import Decider, DomainError
from shared.events import Event

C = TypeVar("C")
S = TypeVar("S")
X = TypeVar("X")


class Given(Generic[C, S, X]):
    """The given/when/then of one decider; `context` is used unless a test passes its own.

    With `check_field`, a refusal's field is checked too (None unless the test names one).
    """

    def __init__(self, decider: Decider[C, S, X], context: X, *, check_field: bool = True):
        self.decider = decider
        self.context = context
        self.check_field = check_field

    def then(
        self, *, given: list[Event], when: C, expect: list[Event], context: X | None = None
    ) -> list[Event]:
        """Given past events, when the command is decided, then exactly these events (which
        must fold)."""
        state = self.decider.fold(given)
        events = self.decider.decide(when, state, self.context if context is None else context)
        assert events == expect
        self.decider.fold(events, state)
        return events

    def refused(
        self,
        *,
        given: list[Event],
        when: C,
        code: str,
        status: int = 422,
        field: str | None = None,
        context: X | None = None,
    ) -> DomainError:
        """Given past events, when the command is decided, then refused with this code and
        status (and field)."""
        with pytest.raises(DomainError) as caught:
            self.decider.decide(
                when, self.decider.fold(given), self.context if context is None else context
            )
        error = caught.value
        assert (error.code, error.status) == (code, status), error.message
        if self.check_field:
            assert error.field == field, error.field
        return error


def bound(decider: Decider[C, S, X], context: X, *, check_field: bool = True) -> tuple[Any, Any]:
    """(then, refused) of `decider` with `context` as the default."""
    given = Given(decider, context, check_field=check_field)
    return given.then, given.refused
