"""One HTTP status per meaning, in every service: the rule, written once.

* 404 — the id **in the path** names no record: `<kind>_not_found`.
* 422 — the input can never succeed as sent: a value breaks a rule
  (`invalid_input` and the rule codes), an id or code **in the body** or a
  query names nothing (`unknown_<kind>`), an unknown query parameter.
* 409 — the current **state** of a record (the one addressed, or one the
  command names) forbids the command now; it may allow it later or after a
  reload: not verified, suspended, closed, not yet in the right stage, a stale
  version (`version_conflict`), a duplicate.
* 413 — the body is larger than shared.http.limits allows: `body_too_large`.
* 503 — a read model has not yet caught up with what the caller waits for.

A service's catalogue (`services/<name>/api/messages.py`) lists its 409 codes in
`CONFLICTS` and its 503 codes in `UNAVAILABLE`; `expected_status` then tells the
status of any code, and tests/unit/test_messages.py checks every raise site of
every service against it.
"""

from __future__ import annotations

from collections.abc import Collection

NOT_FOUND = 404
INVALID = 422
CONFLICT = 409
TOO_LARGE = 413
UNAVAILABLE = 503

SHARED_CONFLICTS = frozenset({"version_conflict", "duplicate"})
"""The 409 codes shared.http itself answers."""

SHARED_STATUSES = {"body_too_large": TOO_LARGE, "read_model_not_caught_up": UNAVAILABLE}


def expected_status(
    code: str, *, conflicts: Collection[str] = (), unavailable: Collection[str] = ()
) -> int:
    """The status the rule gives a problem code (see the module docstring)."""
    if code in SHARED_STATUSES:
        return SHARED_STATUSES[code]
    if code.endswith("_not_found"):
        return NOT_FOUND
    if code in conflicts or code in SHARED_CONFLICTS:
        return CONFLICT
    if code in unavailable:
        return UNAVAILABLE
    return INVALID
