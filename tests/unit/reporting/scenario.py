"""A known history across two regions (jatim WIB, ntt WITA) and every service, including
corrections, a void, status changes and dates near midnight; the figures expected of it are
counted by hand in test_report.py."""

from __future__ import annotations

import uuid

from tests.unit.reporting.history import History

J, N = "jatim", "ntt"


def _adv(
    h: History,
    g: str,
    region: str,
    frm: str,
    to: str,
    on: str,
    frm_phase: str | None = None,
    to_phase: str | None = None,
) -> None:
    h.add(
        "programs",
        "program_stage_advanced",
        g,
        region=region,
        from_stage=frm,
        from_phase=frm_phase,
        to_stage=to,
        to_phase=to_phase,
        reason="r",
        evidence=[],
        advanced_by="u",
        on=on,
    )


def build() -> History:
    h = History()
    # partners: P1 registered 18:00 UTC on 31 Jan = 1 Feb 01:00 WIB; P3 16:30 UTC = 00:30 WITA
    p1 = str(uuid.uuid4())
    h.add(
        "partners",
        "partner_registered",
        p1,
        time="2026-01-31T18:00:00.000000Z",
        kind="community_organization",
        name="Pokmas",
        region=J,
        contact={},
        interests=[],
    )
    h.add("partners", "partner_verified", p1, time="2026-02-02T03:00:00.000000Z")
    p2 = str(uuid.uuid4())
    h.add(
        "partners",
        "partner_registered",
        p2,
        time="2026-01-15T03:00:00.000000Z",
        kind="individual",
        region=J,
        contact={"person_name": "Siti"},
    )
    h.add("partners", "partner_suspended", p2, reason="x")
    h.add("partners", "partner_reinstated", p2, status="registered")
    h.add("partners", "partner_withdrawn", p2, reason="y")
    p3 = str(uuid.uuid4())
    h.add(
        "partners",
        "partner_registered",
        p3,
        region=N,
        time="2026-02-10T16:30:00.000000Z",
        kind="business",
        name="CV Maju",
    )

    # agreements
    def sign(region: str, instrument: str, time: str) -> str:
        a = str(uuid.uuid4())
        h.add(
            "partners",
            "agreement_signed",
            a,
            region=region,
            time=time,
            partner_id=p1,
            instrument=instrument,
            number="N/1",
            scope="s",
            signed_level="kanwil",
            starts_on="2026-01-01",
            ends_on="2030-12-31",
        )
        return a

    sign(J, "mou", "2026-02-05T03:00:00.000000Z")
    a2 = sign(J, "pks", "2026-02-06T03:00:00.000000Z")
    h.add(
        "partners", "agreement_terminated", a2, partner_id=p1, reason="x", effective_on="2026-03-01"
    )
    a3 = sign(N, "pks", "2026-02-20T03:00:00.000000Z")
    h.add("partners", "agreement_expired", a3, region=N, partner_id=p1, ends_on="2026-03-01")
    # ambassadors
    m1, m2 = str(uuid.uuid4()), str(uuid.uuid4())
    h.add(
        "partners",
        "ambassador_appointed",
        m1,
        time="2026-01-02T03:00:00.000000Z",
        person={"name": "A"},
        region=J,
        term_starts_on="2026-01-01",
        term_ends_on="2027-12-31",
    )
    h.add(
        "partners",
        "ambassador_appointed",
        m2,
        region=N,
        time="2026-02-03T03:00:00.000000Z",
        person={"name": "B"},
        term_starts_on="2026-01-01",
        term_ends_on="2027-12-31",
    )
    h.add("partners", "ambassador_term_ended", m2, region=N, ended_on="2026-03-01", reason="early")
    # programs
    g1, g2 = str(uuid.uuid4()), str(uuid.uuid4())
    h.add(
        "programs",
        "program_proposed",
        g1,
        title="Kelas",
        unit_id=str(uuid.uuid4()),
        unit_code="LAPAS-SBY",
        region=J,
        lead_partner_id=p1,
        track="independence",
        target_group="t",
        planned_participants=10,
        planned_sessions=5,
        starts_on="2026-02-01",
        ends_on="2026-12-31",
        funding_source="partner",
        proposed_on="2026-02-01",
        proposed_by="u",
    )
    h.add(
        "programs",
        "program_proposed",
        g2,
        region=N,
        title="Reintegrasi",
        unit_id=str(uuid.uuid4()),
        unit_code="LAPAS-KPG",
        lead_partner_id=p1,
        track="reintegration",
        target_group="t",
        planned_participants=10,
        planned_sessions=5,
        starts_on="2026-01-20",
        ends_on="2026-12-31",
        funding_source="apbn",
        proposed_on="2026-01-20",
        proposed_by="u",
    )
    _adv(h, g1, J, "initial_approach", "continued_collaboration", "2026-02-11")
    _adv(h, g2, N, "initial_approach", "continued_collaboration", "2026-02-15")
    x1 = h.add(
        "programs",
        "activity_held",
        g1,
        held_on="2026-02-12",
        sessions=2,
        participants={"male_adult": 10, "female_adult": 5},
        volunteer_hours=6,
        recorded_by="u",
    )
    assert x1
    x2 = h.add(
        "programs",
        "activity_held",
        g1,
        held_on="2026-03-02",
        sessions=1,
        participants={"male_child": 3},
        volunteer_hours=2,
        recorded_by="u",
    )
    h.add(
        "programs",
        "activity_corrected",
        g1,
        activity_event_id=x2,
        held_on="2026-02-28",
        sessions=1,
        participants={"male_child": 4},
        volunteer_hours=2,
        reason="typo",
        corrected_by="u",
    )
    h.add(
        "programs",
        "activity_corrected",
        g1,
        activity_event_id=x2,
        held_on="2026-02-28",
        sessions=1,
        participants={"male_child": 6},
        volunteer_hours=3,
        reason="again",
        corrected_by="u",
    )
    x3 = h.add(
        "programs",
        "activity_held",
        g2,
        region=N,
        held_on="2026-02-16",
        sessions=3,
        participants={"female_adult": 7},
        volunteer_hours=4,
        recorded_by="u",
    )
    h.add(
        "programs",
        "activity_voided",
        g2,
        region=N,
        activity_event_id=x3,
        reason="double",
        voided_by="u",
    )
    h.add(
        "programs",
        "activity_corrected",
        g2,
        region=N,
        activity_event_id=x3,
        held_on="2026-02-16",
        sessions=3,
        participants={"female_adult": 70},
        volunteer_hours=4,
        reason="after void: changes nothing",
        corrected_by="u",
    )
    _adv(
        h, g1, J, "continued_collaboration", "independent_program", "2026-03-01", to_phase="design"
    )
    for frm, to, on in (
        ("design", "formulation", "2026-03-05"),
        ("formulation", "planning", "2026-03-07"),
        ("planning", "implementation", "2026-03-08"),
        ("implementation", "evaluation", "2026-03-09"),
    ):
        _adv(h, g1, J, "independent_program", "independent_program", on, frm, to)
    scores = {"individual": 4, "institutional": 3, "policy": 2}
    h.add(
        "programs",
        "program_evaluated",
        g1,
        scores=scores,
        participants_completed=9,
        recommendations="r",
        evaluated_on="2026-03-20",
        evaluated_by="u",
    )
    h.add(
        "programs",
        "program_evaluated",
        g1,
        scores={"individual": 5, "institutional": 4, "policy": 3},
        participants_completed=9,
        recommendations="r",
        evaluated_on="2026-03-10",
        evaluated_by="u",
    )  # recorded later, dated earlier
    e3 = h.add(
        "programs",
        "program_evaluated",
        g2,
        region=N,
        scores=scores,
        participants_completed=5,
        recommendations="r",
        evaluated_on="2026-02-20",
        evaluated_by="u",
    )
    h.add(
        "programs",
        "evaluation_corrected",
        g2,
        region=N,
        evaluation_event_id=e3,
        scores={"individual": 2, "institutional": 3, "policy": 4},
        participants_completed=5,
        recommendations="r",
        evaluated_on="2026-02-20",
        reason="x",
        corrected_by="u",
    )
    _adv(h, g1, J, "independent_program", "completed", "2026-03-25", "evaluation")
    h.add("programs", "program_completed", g1, completed_on="2026-03-25", summary="ok")
    _adv(h, g2, N, "continued_collaboration", "discontinued", "2026-03-01")
    h.add(
        "programs", "program_discontinued", g2, region=N, discontinued_on="2026-03-01", reason="x"
    )
    h.add(
        "programs",
        "monitoring_recorded",
        g2,
        region=N,
        visited_on="2026-02-25",
        findings="f",
        rating=4,
        recorded_by="u",
    )
    # outreach
    o1, o2, o3 = (str(uuid.uuid4()) for _ in range(3))
    common = {
        "title": "t",
        "co_ambassador_ids": [],
        "place": {"name": "p", "regency": "r", "unit_code": None},
        "topics": [],
    }
    h.add(
        "outreach",
        "outreach_planned",
        o1,
        region=J,
        lead_ambassador_id=m1,
        channel="seminar",
        planned_on="2026-02-01",
        expected_audience=50,
        planned_by="u",
        **common,
    )
    h.add(
        "outreach",
        "outreach_held",
        o1,
        region=J,
        lead_ambassador_id=m1,
        channel="seminar",
        held_on="2026-02-03",
        audience={"students": 40, "general_public": 20},
        was_planned=True,
        recorded_by="u",
        **common,
    )
    h.add(
        "outreach",
        "media_coverage_recorded",
        o1,
        region=J,
        outreach_id=o1,
        outlet="Jawa Pos",
        medium="online",
        title="t",
        link="https://x",
        published_on="2026-02-04",
        estimated_reach=1000,
        recorded_by="u",
    )
    h.add(
        "outreach",
        "outreach_held",
        o2,
        region=N,
        lead_ambassador_id=m2,
        channel="socialization",
        held_on="2026-03-01",
        audience={"religious_community": 30},
        was_planned=False,
        recorded_by="u",
        **common,
    )
    h.add(
        "outreach",
        "outreach_planned",
        o3,
        region=J,
        lead_ambassador_id=m1,
        channel="workshop",
        planned_on="2026-03-01",
        expected_audience=None,
        planned_by="u",
        **common,
    )
    h.add(
        "outreach",
        "outreach_cancelled",
        o3,
        region=J,
        reason="rain",
        cancelled_on="2026-02-27",
        cancelled_by="u",
    )
    h.add(
        "outreach",
        "media_coverage_recorded",
        region=J,
        outreach_id=None,
        outlet="TVRI",
        medium="tv",
        title="t",
        link="https://y",
        published_on="2026-03-05",
        estimated_reach=500,
        recorded_by="u",
    )
    r1, r2, r3 = (str(uuid.uuid4()) for _ in range(3))
    for r, region, amb, out, on in (
        (r1, J, m1, o1, "2026-02-03"),
        (r2, J, m1, o1, "2026-02-03"),
        (r3, N, m2, o2, "2026-03-01"),
    ):
        h.add(
            "outreach",
            "prospect_identified",
            r,
            region=region,
            outreach_id=out,
            ambassador_id=amb,
            kind="individual",
            name="n",
            contact={},
            interests=[],
            identified_on=on,
            note=None,
            identified_by="u",
        )
    h.add(
        "outreach",
        "prospect_converted",
        r1,
        region=J,
        partner_id=p1,
        partner_event_id=str(uuid.uuid4()),
        converted_on="2026-02-10",
    )
    h.add(
        "outreach",
        "prospect_declined",
        r2,
        region=J,
        reason="busy",
        declined_on="2026-02-12",
        recorded_by="u",
    )
    return h
