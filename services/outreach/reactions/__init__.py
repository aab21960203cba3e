"""What the outreach service does by itself when other services' events arrive."""

from services.outreach.reactions.conversion import ProspectConversion

__all__ = ["ProspectConversion"]
