"""The reporting fold: every counted event's handler, registered on import."""

from services.reporting.fold import outreach, partners, programs, records  # noqa: F401
from services.reporting.fold.core import Changes, Fold, State, wanted_ids

__all__ = ["Changes", "Fold", "State", "wanted_ids"]
