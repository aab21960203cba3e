"""What the outreach service keeps from other services' events: ambassadors and their terms.

Learned from the partners service's events on NATS only (never its tables or
its code), kept by the shared projection runner in the outreach database.
"""

from services.outreach.readmodels.ambassadors import (
    PARTNERS_SOURCE_SERVICE,
    AmbassadorsReadModel,
    ambassador_facts,
)

__all__ = ["PARTNERS_SOURCE_SERVICE", "AmbassadorsReadModel", "ambassador_facts"]
