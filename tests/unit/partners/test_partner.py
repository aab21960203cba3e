"""Given/when/then tests of the partner decider: registration, status machine, profile, keys."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from hypothesis import given as for_all
from hypothesis import strategies as st
from pydantic import ValidationError

from services.partners.commands import (
    PartnerCommand,
    RegisterPartner,
    ReinstatePartner,
    SuspendPartner,
    UpdatePartnerProfile,
    VerifyPartner,
    WithdrawPartner,
)
from services.partners.domain.partner import (
    PartnerContext,
    decider,
    uniqueness_key,
    uniqueness_key_for_profile,
)
from services.partners.events import (
    PartnerProfileUpdated,
    PartnerRegistered,
    PartnerReinstated,
    PartnerSuspended,
    PartnerVerified,
    PartnerWithdrawn,
)
from services.partners.values import Contact, PartnerKind, PartnerStatus, Track
from shared.decider import DomainError
from shared.events import Event
from tests.unit.partners.given import bound

CTX = PartnerContext(today=date(2026, 1, 24), region="jatim")
NIK = "3578012345678901"
PERSON = Contact(person_name="Siti Rahayu", phone="+62 812-3456-7890")
OFFICE = Contact(person_name="Budi", email="budi@majujaya.co.id", address="Jl. Pemuda 1, Surabaya")
TRACKS = (Track.INDEPENDENCE,)


then, refused = bound(decider, CTX, check_field=False)


def register_org(
    name: str = "PT. Maju Jaya, Tbk", kind: PartnerKind = PartnerKind.BUSINESS
) -> RegisterPartner:
    return RegisterPartner(kind=kind, name=name, contact=OFFICE, interests=TRACKS)


def register_person() -> RegisterPartner:
    return RegisterPartner(kind=PartnerKind.INDIVIDUAL, nik=NIK, contact=PERSON, interests=TRACKS)


ORG = PartnerRegistered(
    kind=PartnerKind.BUSINESS,
    name="PT. Maju Jaya, Tbk",
    region="jatim",
    contact=OFFICE,
    interests=TRACKS,
)
INDIVIDUAL = PartnerRegistered(
    kind=PartnerKind.INDIVIDUAL, nik=NIK, region="jatim", contact=PERSON, interests=TRACKS
)
SUSPENDED = PartnerSuspended(reason="under investigation")
WITHDRAWN = PartnerWithdrawn(reason="moved away")


def test_registering_an_organisation() -> None:
    referral = uuid4()
    command = register_org().model_copy(update={"referral": referral})
    expected = ORG.model_copy(update={"referral": referral})
    then(given=[], when=command, expect=[expected])


def test_registering_an_individual_with_a_nik() -> None:
    then(given=[], when=register_person(), expect=[INDIVIDUAL])


@pytest.mark.parametrize(
    ("command", "code", "field"),
    [
        (
            RegisterPartner(kind=PartnerKind.INDIVIDUAL, contact=PERSON, interests=TRACKS),
            "nik_required",
            "nik",
        ),
        (
            RegisterPartner(
                kind=PartnerKind.INDIVIDUAL, nik=NIK, name="Siti", contact=PERSON, interests=TRACKS
            ),
            "name_not_for_individual",
            "name",
        ),
        (
            RegisterPartner(
                kind=PartnerKind.INDIVIDUAL,
                nik=NIK,
                contact=Contact(phone="0812345678"),
                interests=TRACKS,
            ),
            "person_name_required",
            "contact.person_name",
        ),
        (
            RegisterPartner(kind=PartnerKind.MEDIA, contact=OFFICE, interests=TRACKS),
            "name_required",
            "name",
        ),
        (
            RegisterPartner(
                kind=PartnerKind.MEDIA, name="Radar", nik=NIK, contact=OFFICE, interests=TRACKS
            ),
            "nik_not_for_organisation",
            "nik",
        ),
    ],
)
def test_registration_refuses_identity_that_does_not_fit_the_kind(
    command: RegisterPartner, code: str, field: str
) -> None:
    assert refused(given=[], when=command, code=code, status=422).field == field
    with pytest.raises(DomainError):
        uniqueness_key(command, "jatim")


@pytest.mark.parametrize(
    "changes",
    [
        {"nik": "12345"},
        {"nik": "35780123456789ab"},
        {"interests": []},
        {"kind": "alien"},
        {"contact": {"person_name": "Siti", "email": "not-an-email"}},
        {"region": "jatim"},
    ],
)
def test_register_body_shapes_are_checked(changes: dict[str, object]) -> None:
    body = register_person().model_dump(mode="json") | changes
    with pytest.raises(ValidationError):
        RegisterPartner.model_validate(body)


def test_interests_are_deduplicated_and_sorted() -> None:
    command = UpdatePartnerProfile.model_validate(
        {"interests": ["reintegration", "independence", "reintegration"]}
    )
    assert command.interests == (Track.INDEPENDENCE, Track.REINTEGRATION)


def test_registering_twice_conflicts() -> None:
    refused(given=[ORG], when=register_org(), code="partner_exists", status=409)


def test_registering_in_an_unknown_region_is_invalid() -> None:
    context = PartnerContext(today=CTX.today, region="atlantis")
    refused(given=[], when=register_org(), code="unknown_region", status=422, context=context)


@pytest.mark.parametrize(
    "command",
    [
        VerifyPartner(),
        ReinstatePartner(),
        SuspendPartner(reason="why not"),
        WithdrawPartner(reason="bye now"),
        UpdatePartnerProfile(interests=TRACKS),
    ],
)
def test_commands_on_an_unknown_partner_are_not_found(command: PartnerCommand) -> None:
    refused(given=[], when=command, code="partner_not_found", status=404)


def test_verifying_a_registered_partner() -> None:
    then(given=[ORG], when=VerifyPartner(), expect=[PartnerVerified()])


@pytest.mark.parametrize(
    ("history", "code"),
    [
        ([PartnerVerified()], "already_verified"),
        ([SUSPENDED], "partner_suspended"),
        ([WITHDRAWN], "partner_withdrawn"),
    ],
)
def test_verifying_refused(history: list[Event], code: str) -> None:
    refused(given=[ORG, *history], when=VerifyPartner(), code=code, status=409)


@pytest.mark.parametrize(
    ("history", "before"),
    [([], PartnerStatus.REGISTERED), ([PartnerVerified()], PartnerStatus.VERIFIED)],
)
def test_suspending_and_reinstating_returns_to_the_status_before(
    history: list[Event], before: PartnerStatus
) -> None:
    then(
        given=[ORG, *history], when=SuspendPartner(reason="under investigation"), expect=[SUSPENDED]
    )
    then(
        given=[ORG, *history, SUSPENDED],
        when=ReinstatePartner(),
        expect=[PartnerReinstated(status=before)],
    )
    assert (
        decider.fold([ORG, *history, SUSPENDED, PartnerReinstated(status=before)]).status is before
    )


def test_suspending_twice_conflicts() -> None:
    refused(
        given=[ORG, SUSPENDED],
        when=SuspendPartner(reason="again"),
        code="already_suspended",
        status=409,
    )


def test_suspension_needs_a_reason() -> None:
    with pytest.raises(ValueError):
        SuspendPartner(reason="  ")


def test_reinstating_a_partner_not_suspended_conflicts() -> None:
    refused(given=[ORG], when=ReinstatePartner(), code="not_suspended", status=409)


@pytest.mark.parametrize("history", [[], [PartnerVerified()], [SUSPENDED]])
def test_withdrawing_from_any_status(history: list[Event]) -> None:
    then(given=[ORG, *history], when=WithdrawPartner(reason="moved away"), expect=[WITHDRAWN])


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (WithdrawPartner(reason="again"), "already_withdrawn"),
        (ReinstatePartner(), "partner_withdrawn"),
        (SuspendPartner(reason="late"), "partner_withdrawn"),
        (UpdatePartnerProfile(interests=TRACKS), "partner_withdrawn"),
    ],
)
def test_withdrawn_is_final(command: PartnerCommand, code: str) -> None:
    refused(given=[ORG, SUSPENDED, WITHDRAWN], when=command, code=code, status=409)


def test_profile_update_records_only_what_changed() -> None:
    command = UpdatePartnerProfile(
        name="PT Maju Jaya Sejahtera", contact=OFFICE, interests=(Track.REINTEGRATION,)
    )
    expect = PartnerProfileUpdated(name="PT Maju Jaya Sejahtera", interests=(Track.REINTEGRATION,))
    then(given=[ORG], when=command, expect=[expect])
    state = decider.fold([ORG, expect])
    assert (state.name, state.contact, state.interests) == (
        "PT Maju Jaya Sejahtera",
        OFFICE,
        (Track.REINTEGRATION,),
    )


def test_profile_update_changing_nothing_is_a_no_op() -> None:
    then(given=[ORG], when=UpdatePartnerProfile(contact=OFFICE, interests=TRACKS), expect=[])


def test_profile_update_of_a_suspended_partner_is_allowed() -> None:
    then(
        given=[ORG, SUSPENDED],
        when=UpdatePartnerProfile(contact=PERSON),
        expect=[PartnerProfileUpdated(contact=PERSON)],
    )


def test_empty_profile_update_is_refused() -> None:
    refused(given=[ORG], when=UpdatePartnerProfile(), code="empty_update", status=422)


def test_profile_update_keeps_an_individual_s_name_in_the_contact() -> None:
    refused(
        given=[INDIVIDUAL],
        when=UpdatePartnerProfile(name="Siti"),
        code="name_not_for_individual",
        status=422,
    )
    no_name = UpdatePartnerProfile(contact=Contact(email="siti@example.id"))
    refused(given=[INDIVIDUAL], when=no_name, code="person_name_required", status=422)


def test_every_event_counts_one_version() -> None:
    state = decider.fold(
        [ORG, PartnerVerified(), SUSPENDED, PartnerReinstated(status=PartnerStatus.VERIFIED)]
    )
    assert (state.version, state.status, state.exists) == (4, PartnerStatus.VERIFIED, True)
    assert decider.fold([]).exists is False


def test_uniqueness_keys() -> None:
    assert uniqueness_key(register_person(), "jatim") == f"nik:{NIK}"
    assert uniqueness_key(register_org(), "jatim") == "org:jatim:business:maju jaya"
    assert uniqueness_key(register_org("pt maju  jaya"), "jatim") == uniqueness_key(
        register_org(), "jatim"
    )
    assert uniqueness_key(register_org("Maju Jaya"), "jabar") != uniqueness_key(
        register_org(), "jatim"
    )
    media = register_org("Maju Jaya", PartnerKind.MEDIA)
    assert uniqueness_key(media, "jatim") != uniqueness_key(register_org(), "jatim")
    assert (
        uniqueness_key(register_org("Yayasan Mañana Ceria"), "jatim")
        == "org:jatim:business:manana ceria"
    )


def test_uniqueness_key_for_profile_moves_only_on_an_organisation_s_rename() -> None:
    org, person = decider.fold([ORG]), decider.fold([INDIVIDUAL])
    assert uniqueness_key_for_profile(org, UpdatePartnerProfile(name="Maju Baru")) == (
        "org:jatim:business:maju jaya",
        "org:jatim:business:maju baru",
    )
    assert uniqueness_key_for_profile(org, UpdatePartnerProfile(name="MAJU JAYA")) is None
    assert uniqueness_key_for_profile(org, UpdatePartnerProfile(contact=PERSON)) is None
    assert uniqueness_key_for_profile(person, UpdatePartnerProfile(contact=PERSON)) is None


@for_all(words=st.text(alphabet="abcdefgptv ,.-", max_size=30))
def test_names_collide_regardless_of_case_spacing_and_legal_form(words: str) -> None:
    plain = uniqueness_key(register_org(f"Sinar {words}"), "jatim")
    assert uniqueness_key(register_org(f"PT.  SINAR {words.upper()} , Tbk"), "jatim") == plain
