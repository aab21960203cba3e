"""Given/when/then tests of the ambassador decider: appointment and the end of a term."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.partners.commands import AppointAmbassador, EndAmbassadorTerm
from services.partners.domain.ambassador import AmbassadorContext, decider, is_serving_on
from services.partners.events import AmbassadorAppointed, AmbassadorTermEnded
from services.partners.values import Person, TermEndReason
from tests.unit.partners.given import bound

STARTS, ENDS = date(2026, 1, 1), date(2027, 12, 31)
CTX = AmbassadorContext(today=date(2026, 6, 1), region="jatim")
PERSON = Person(name="Dewi Lestari", email="dewi@example.id")
APPOINT = AppointAmbassador(person=PERSON, term_starts_on=STARTS, term_ends_on=ENDS)
APPOINTED = AmbassadorAppointed(
    person=PERSON, region="jatim", term_starts_on=STARTS, term_ends_on=ENDS
)
COMPLETED = AmbassadorTermEnded(ended_on=ENDS, reason=TermEndReason.TERM_COMPLETED)
AFTER_TERM = AmbassadorContext(today=ENDS + timedelta(days=3), region="jatim")


then, refused = bound(decider, CTX)


def test_appointing_an_ambassador_of_the_region_addressed() -> None:
    then(given=[], when=APPOINT, expect=[APPOINTED])


def test_appointing_twice_conflicts() -> None:
    refused(given=[APPOINTED], when=APPOINT, code="ambassador_exists", status=409)


def test_appointing_in_an_unknown_region_is_invalid() -> None:
    context = AmbassadorContext(today=CTX.today, region="atlantis")
    refused(
        given=[], when=APPOINT, code="unknown_region", status=422, field="region", context=context
    )


@pytest.mark.parametrize("term_ends_on", [STARTS, STARTS - timedelta(days=1)])
def test_a_term_ends_after_it_starts(term_ends_on: date) -> None:
    command = APPOINT.model_copy(update={"term_ends_on": term_ends_on})
    refused(given=[], when=command, code="invalid_term", field="term_ends_on")


def test_an_ambassador_is_reachable() -> None:
    with pytest.raises(ValueError):
        Person(name="Dewi Lestari")


def test_ending_an_unknown_ambassador_s_term_is_not_found() -> None:
    refused(
        given=[],
        when=EndAmbassadorTerm(reason=TermEndReason.EARLY),
        code="ambassador_not_found",
        status=404,
    )


def test_a_completed_term_ends_on_its_last_day() -> None:
    command = EndAmbassadorTerm(reason=TermEndReason.TERM_COMPLETED)
    then(given=[APPOINTED], when=command, expect=[COMPLETED], context=AFTER_TERM)
    on_last_day = AmbassadorContext(today=ENDS, region="jatim")
    then(
        given=[APPOINTED],
        when=command.model_copy(update={"ended_on": ENDS}),
        expect=[COMPLETED],
        context=on_last_day,
    )


def test_a_term_not_over_cannot_be_completed() -> None:
    command = EndAmbassadorTerm(reason=TermEndReason.TERM_COMPLETED)
    refused(given=[APPOINTED], when=command, code="term_not_over", field="reason")
    wrong_day = EndAmbassadorTerm(
        reason=TermEndReason.TERM_COMPLETED, ended_on=ENDS + timedelta(days=1)
    )
    refused(
        given=[APPOINTED],
        when=wrong_day,
        code="invalid_ended_on",
        field="ended_on",
        context=AFTER_TERM,
    )


def test_ending_early_on_today_or_a_given_day() -> None:
    early = EndAmbassadorTerm(reason=TermEndReason.EARLY)
    then(
        given=[APPOINTED],
        when=early,
        expect=[AmbassadorTermEnded(ended_on=CTX.today, reason=TermEndReason.EARLY)],
    )
    on_start = early.model_copy(update={"ended_on": STARTS})
    then(
        given=[APPOINTED],
        when=on_start,
        expect=[AmbassadorTermEnded(ended_on=STARTS, reason=TermEndReason.EARLY)],
    )


@pytest.mark.parametrize("ended_on", [STARTS - timedelta(days=1), ENDS, ENDS + timedelta(days=1)])
def test_an_early_end_falls_inside_the_term(ended_on: date) -> None:
    command = EndAmbassadorTerm(reason=TermEndReason.EARLY, ended_on=ended_on)
    refused(given=[APPOINTED], when=command, code="invalid_ended_on", field="ended_on")


@pytest.mark.parametrize("reason", list(TermEndReason))
def test_a_term_ends_only_once(reason: TermEndReason) -> None:
    refused(
        given=[APPOINTED, COMPLETED],
        when=EndAmbassadorTerm(reason=reason),
        code="term_already_ended",
        status=409,
        context=AFTER_TERM,
    )


def test_serving_and_versions() -> None:
    early = AmbassadorTermEnded(ended_on=date(2026, 6, 1), reason=TermEndReason.EARLY)
    state = decider.fold([APPOINTED, early])
    assert (state.version, state.exists, state.end_reason) == (2, True, TermEndReason.EARLY)
    assert [
        is_serving_on(state, d)
        for d in (STARTS - timedelta(days=1), STARTS, date(2026, 6, 1), date(2026, 6, 2))
    ] == [False, True, True, False]
    assert is_serving_on(decider.fold([APPOINTED]), ENDS) and not is_serving_on(
        decider.initial(), ENDS
    )
