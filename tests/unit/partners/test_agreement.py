"""Given/when/then tests of the agreement decider: signing, renewal, termination, expiry."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.partners.commands import (
    AgreementCommand,
    ExpireAgreement,
    RenewAgreement,
    SignAgreement,
    TerminateAgreement,
)
from services.partners.domain import partner
from services.partners.domain.agreement import AgreementContext, decider, is_valid_on
from services.partners.events import (
    AgreementExpired,
    AgreementRenewed,
    AgreementSigned,
    AgreementTerminated,
    PartnerRegistered,
    PartnerSuspended,
    PartnerVerified,
    PartnerWithdrawn,
)
from services.partners.values import AgreementStatus, Contact, Instrument, PartnerKind, SignedLevel
from shared.events import Event
from tests.unit.partners.given import bound

TODAY = date(2026, 1, 24)
PARTNER_ID = uuid4()
_REGISTERED = PartnerRegistered(
    kind=PartnerKind.RELIGIOUS_ORGANIZATION,
    name="Pesantren Al-Hikmah",
    region="jatim",
    contact=Contact(email="info@alhikmah.or.id"),
)
VERIFIED = partner.decider.fold([_REGISTERED, PartnerVerified()])
CTX = AgreementContext(today=TODAY, partner=VERIFIED)
SIGN = SignAgreement(
    partner_id=PARTNER_ID,
    instrument=Instrument.PKS,
    number="PAS-123/2026",
    scope="vocational training",
    signed_level=SignedLevel.DITJENPAS,
    starts_on=date(2026, 2, 1),
    ends_on=date(2031, 1, 31),
)
SIGNED = AgreementSigned(**SIGN.model_dump())
ENDS = SIGN.ends_on


then, refused = bound(decider, CTX)


def sign(**changes: object) -> SignAgreement:
    return SIGN.model_copy(update=changes)


@pytest.mark.parametrize(
    ("instrument", "level", "unit_code"),
    [
        (Instrument.MOU, SignedLevel.DITJENPAS, None),
        (Instrument.MOU, SignedLevel.KANWIL, None),
        (Instrument.PKS, SignedLevel.DITJENPAS, None),
        (Instrument.PKS, SignedLevel.UPT, "LPJATIM01"),
    ],
)
def test_signing_at_a_level_that_fits_the_instrument(
    instrument: Instrument, level: SignedLevel, unit_code: str | None
) -> None:
    command = sign(instrument=instrument, signed_level=level, unit_code=unit_code)
    then(given=[], when=command, expect=[AgreementSigned(**command.model_dump())])


@pytest.mark.parametrize(
    ("instrument", "level"),
    [(Instrument.MOU, SignedLevel.UPT), (Instrument.PKS, SignedLevel.KANWIL)],
)
def test_signing_at_a_level_that_does_not_fit_is_refused(
    instrument: Instrument, level: SignedLevel
) -> None:
    command = sign(instrument=instrument, signed_level=level)
    refused(given=[], when=command, code="signed_level_mismatch", field="signed_level")


def test_unit_code_names_the_upt_of_an_upt_level_agreement_only() -> None:
    refused(
        given=[],
        when=sign(signed_level=SignedLevel.UPT),
        code="unit_code_required",
        field="unit_code",
    )
    refused(
        given=[], when=sign(unit_code="LPJATIM01"), code="unit_code_not_allowed", field="unit_code"
    )


@pytest.mark.parametrize(
    ("history", "code", "status"),
    [
        (None, "unknown_partner", 422),
        ([], "partner_not_verified", 409),
        ([PartnerVerified(), PartnerSuspended(reason="audit")], "partner_suspended", 409),
        ([PartnerVerified(), PartnerWithdrawn(reason="closed")], "partner_withdrawn", 409),
    ],
)
def test_only_a_partner_in_good_standing_signs(
    history: list[Event] | None, code: str, status: int
) -> None:
    state = None if history is None else partner.decider.fold([_REGISTERED, *history])
    context = AgreementContext(today=TODAY, partner=state)
    refused(given=[], when=SIGN, code=code, status=status, field="partner_id", context=context)
    refused(
        given=[SIGNED],
        when=RenewAgreement(ends_on=date(2035, 1, 1)),
        code=code,
        status=status,
        field="partner_id",
        context=context,
    )


def test_the_period_ends_after_it_starts_and_not_in_the_past() -> None:
    refused(given=[], when=sign(ends_on=SIGN.starts_on), code="invalid_period", field="ends_on")
    past = sign(starts_on=date(2020, 1, 1), ends_on=TODAY - timedelta(days=1))
    refused(given=[], when=past, code="ends_on_in_past", field="ends_on")


def test_signing_twice_conflicts() -> None:
    refused(given=[SIGNED], when=SIGN, code="agreement_exists", status=409)


@pytest.mark.parametrize(
    "command",
    [
        RenewAgreement(ends_on=date(2035, 1, 1)),
        TerminateAgreement(reason="no longer needed"),
        ExpireAgreement(),
    ],
)
def test_commands_on_an_unknown_agreement_are_not_found(command: AgreementCommand) -> None:
    refused(given=[], when=command, code="agreement_not_found", status=404)


def test_renewing_to_a_later_end() -> None:
    expect = AgreementRenewed(
        partner_id=PARTNER_ID, previous_ends_on=ENDS, ends_on=date(2036, 1, 31)
    )
    then(given=[SIGNED], when=RenewAgreement(ends_on=date(2036, 1, 31)), expect=[expect])
    assert decider.fold([SIGNED, expect]).ends_on == date(2036, 1, 31)


def test_renewing_to_an_end_not_later_is_refused() -> None:
    refused(
        given=[SIGNED], when=RenewAgreement(ends_on=ENDS), code="ends_on_not_later", field="ends_on"
    )


TERMINATED = AgreementTerminated(
    partner_id=PARTNER_ID, reason="partner closed", effective_on=date(2027, 1, 1)
)
EXPIRED = AgreementExpired(partner_id=PARTNER_ID, ends_on=ENDS)


@pytest.mark.parametrize("ended", [TERMINATED, EXPIRED])
def test_only_an_active_agreement_renews_or_terminates(ended: Event) -> None:
    refused(
        given=[SIGNED, ended],
        when=RenewAgreement(ends_on=date(2036, 1, 1)),
        code="agreement_not_active",
        status=409,
    )
    refused(
        given=[SIGNED, ended],
        when=TerminateAgreement(reason="again"),
        code="agreement_not_active",
        status=409,
    )


def test_terminating_takes_effect_today_unless_told() -> None:
    context = AgreementContext(today=date(2027, 1, 1))
    then(
        given=[SIGNED],
        when=TerminateAgreement(reason="partner closed"),
        expect=[TERMINATED],
        context=context,
    )
    later = TerminateAgreement(reason="partner closed", effective_on=date(2027, 3, 1))
    then(
        given=[SIGNED],
        when=later,
        expect=[TERMINATED.model_copy(update={"effective_on": date(2027, 3, 1)})],
    )


def test_termination_takes_effect_within_the_period() -> None:
    for day in (SIGN.starts_on - timedelta(days=1), ENDS + timedelta(days=1)):
        command = TerminateAgreement(reason="partner closed", effective_on=day)
        refused(given=[SIGNED], when=command, code="invalid_effective_on", field="effective_on")


def test_termination_needs_a_reason() -> None:
    with pytest.raises(ValueError):
        TerminateAgreement(reason="")


def test_expiry_fires_once_after_the_end() -> None:
    after = AgreementContext(today=ENDS + timedelta(days=1))
    then(given=[SIGNED], when=ExpireAgreement(), expect=[EXPIRED], context=after)
    then(given=[SIGNED, EXPIRED], when=ExpireAgreement(), expect=[], context=after)
    then(given=[SIGNED, TERMINATED], when=ExpireAgreement(), expect=[], context=after)
    then(given=[SIGNED], when=ExpireAgreement(), expect=[], context=AgreementContext(today=ENDS))
    assert decider.fold([SIGNED, EXPIRED]).status is AgreementStatus.EXPIRED


def test_validity_on_a_day() -> None:
    active = decider.fold([SIGNED])
    assert [
        is_valid_on(active, d)
        for d in (
            SIGN.starts_on - timedelta(days=1),
            SIGN.starts_on,
            ENDS,
            ENDS + timedelta(days=1),
        )
    ] == [False, True, True, False]
    terminated = decider.fold([SIGNED, TERMINATED])
    assert is_valid_on(terminated, date(2026, 12, 31)) and not is_valid_on(
        terminated, date(2027, 1, 1)
    )
    assert is_valid_on(decider.fold([SIGNED, EXPIRED]), ENDS)
    assert not is_valid_on(decider.initial(), TODAY)


def test_every_event_counts_one_version() -> None:
    state = decider.fold(
        [
            SIGNED,
            AgreementRenewed(
                partner_id=PARTNER_ID, previous_ends_on=ENDS, ends_on=date(2036, 1, 1)
            ),
            EXPIRED,
        ]
    )
    assert (state.version, state.exists, state.partner_id) == (3, True, PARTNER_ID)
