"""The partners service's aggregates as deciders: `partner`, `agreement`, `ambassador`.

Each module has `State`, `initial()`, `evolve(state, event)`, `decide(command, state,
context)` and `decider`; all pure. Helpers the three share live here.
"""

from __future__ import annotations

from shared.decider import DomainError


def require_region(code: str) -> None:
    """Refuse a region code the reference data does not know (422: it names no region)."""
    # Imported here, not at module load: the reference data is loaded on first use.
    from shared.regions import is_region

    if not is_region(code):
        raise DomainError("unknown_region", f"no Kanwil region {code!r}", field="region")
