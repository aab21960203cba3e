"""What the programs service keeps from other services' events: partners and their agreements.

Learned from the partners service's events on NATS only (never its tables or
its code), kept by the shared projection runner in the programs database.
"""

from services.programs.readmodels.facts import partner_facts
from services.programs.readmodels.partners import PARTNERS_SOURCE_SERVICE, PartnersReadModel

__all__ = ["PARTNERS_SOURCE_SERVICE", "PartnersReadModel", "partner_facts"]
