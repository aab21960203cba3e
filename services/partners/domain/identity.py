"""Who a partner is: the identity rules of registration and the uniqueness keys for duplicates.

The handler claims a partner's key atomically before appending `partner_registered`
(and answers 409 naming the partner that holds it); these functions only compute it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from services.partners.commands import RegisterPartner, UpdatePartnerProfile
from services.partners.values import Contact, PartnerKind
from shared.decider import DomainError

if TYPE_CHECKING:
    from services.partners.domain.partner import State

_LEGAL_FORMS = frozenset(
    [
        "pt",
        "cv",
        "tbk",
        "persero",
        "perum",
        "perumda",
        "ud",
        "fa",
        "firma",
        "yayasan",
        "perkumpulan",
        "koperasi",
        "ltd",
        "inc",
        "llc",
    ]
)


def check_identity(command: RegisterPartner) -> None:
    """Check the identity fields fit the kind (the same refusals as the decider).

    An individual has a NIK and a person's name but no organisation name; an
    organisation has a name and no NIK.
    """
    if command.kind is PartnerKind.INDIVIDUAL:
        if command.nik is None:
            raise DomainError("nik_required", "an individual partner needs a NIK", field="nik")
        check_individual(command.name, command.contact)
    else:
        if command.name is None:
            raise DomainError("name_required", "an organisation needs a name", field="name")
        if command.nik is not None:
            raise DomainError("nik_not_for_organisation", "an organisation has no NIK", field="nik")


def check_individual(name: str | None, contact: Contact | None) -> None:
    """An individual's name lives in the contact (personal data), never in `name`."""
    if name is not None:
        msg = "an individual's name goes in contact.person_name"
        raise DomainError("name_not_for_individual", msg, field="name")
    if contact is not None and contact.person_name is None:
        msg = "an individual's contact needs the person's name"
        raise DomainError("person_name_required", msg, field="contact.person_name")


def normalise_name(name: str) -> str:
    """An organisation's name reduced for duplicate checks (case, accents, punctuation, legal form).

    "PT. Maju Jaya, Tbk" and "pt maju  jaya" both become "maju jaya". A name made
    only of legal-form words keeps them (so "Yayasan" is not the empty name).
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[.'’`]", "", text)  # "P.T." is "pt", "Ma'arif" is "maarif"
    words = re.sub(r"[\W_]+", " ", text).split()
    kept = [word for word in words if word not in _LEGAL_FORMS]
    return " ".join(kept or words)


def uniqueness_key(command: RegisterPartner, region: str) -> str:
    """The key two registrations of one partner share: `nik:<nik>` or `org:<region>:<kind>:<name>`.

    Raises the same DomainError as the decider when the identity fields do not fit the kind.
    """
    check_identity(command)
    if command.nik is not None:
        return f"nik:{command.nik}"
    assert command.name is not None  # check_identity made sure
    return _org_key(region, command.kind, command.name)


def uniqueness_key_for_profile(
    state: State, command: UpdatePartnerProfile
) -> tuple[str, str] | None:
    """(old key, new key) when `command` renames an organisation so that its key moves, else None.

    Kind and NIK cannot change in a profile update (another kind or NIK is another
    partner: withdraw and register), so only an organisation's name moves its key;
    the handler claims the new key and releases the old one.
    """
    kind = state.kind
    if command.name is None or state.name is None or kind is None or kind is PartnerKind.INDIVIDUAL:
        return None
    old, new = _org_key(state.region, kind, state.name), _org_key(state.region, kind, command.name)
    return (old, new) if old != new else None


def _org_key(region: str, kind: PartnerKind, name: str) -> str:
    return f"org:{region}:{kind.value}:{normalise_name(name)}"
