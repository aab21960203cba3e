"""The partners service's command handlers: one function a command.

Each takes its `CommandCall` (shared.commands) and the command as keyword
arguments, loads each aggregate it needs once, decides and appends. Routes
(services/partners/api) only translate HTTP to these calls and back.
"""

from services.partners.handlers.agreements import (
    NUMBER_SCOPE,
    expire_agreement,
    renew_agreement,
    sign_agreement,
    terminate_agreement,
)
from services.partners.handlers.ambassadors import appoint_ambassador, end_ambassador_term
from services.partners.handlers.partners import (
    CLAIM_SCOPE,
    register_partner,
    reinstate_partner,
    suspend_partner,
    update_partner_profile,
    verify_partner,
)
from services.partners.handlers.withdrawal import (
    ActiveAgreements,
    sweep_withdrawn,
    withdraw_partner,
)

__all__ = [
    "CLAIM_SCOPE",
    "NUMBER_SCOPE",
    "ActiveAgreements",
    "appoint_ambassador",
    "end_ambassador_term",
    "expire_agreement",
    "register_partner",
    "reinstate_partner",
    "renew_agreement",
    "sign_agreement",
    "suspend_partner",
    "sweep_withdrawn",
    "terminate_agreement",
    "update_partner_profile",
    "verify_partner",
    "withdraw_partner",
]
