"""A realistic mixed history of every service, generated from a seed: for the browser test,
the screenshot and `make bench` (which scales it up)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from tests.unit.reporting.history import History

KINDS = (
    "individual",
    "community_organization",
    "religious_organization",
    "educational_institution",
    "business",
    "media",
    "local_government",
)
TRACKS = ("personality_development", "independence", "reintegration")
CHANNELS = (
    "socialization",
    "seminar",
    "workshop",
    "media_campaign",
    "social_media",
    "community_visit",
    "exhibition",
)
SEGMENTS = (
    "general_public",
    "students",
    "religious_community",
    "business",
    "government",
    "families_of_inmates",
    "media",
)
GROUPS = (
    "male_child",
    "male_adult",
    "male_elderly",
    "female_child",
    "female_adult",
    "female_elderly",
)
PHASES = ("design", "formulation", "planning", "implementation", "evaluation")


def _time(day: date, rng: random.Random) -> str:
    return f"{day.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00.000000Z"


class Generator:
    """Adds one region's partners, programs and outreach to a History.

    With a `clock`, every event is stamped with the time it was recorded: on the day it
    happened or up to two days later (00:00-09:59 UTC, office hours in all three Indonesian
    zones, so the local date stays the UTC date), and always after the previous event of its
    aggregate (and of the aggregate it follows, for a prospect), so each aggregate's events
    keep their order and a correction comes after the activity it corrects. The clock has a
    random source of its own: the same seed makes the same partners, programs and outreach
    with or without it. Without a clock, events that carry a date of their own keep the
    History's fixed default time (what the unit and browser tests were written against).
    """

    def __init__(
        self,
        history: History,
        rng: random.Random,
        first: date,
        last: date,
        clock: random.Random | None = None,
    ) -> None:
        self.h, self.rng, self.first, self.last = history, rng, first, last
        self.clock = clock
        self.recorded: dict[str, datetime] = {}

    def at(
        self, subject: str, day: date, *, late: int = 2, after: str | None = None
    ) -> dict[str, str]:
        """`time=` for an event of `subject` that happened on `day` (nothing without a clock)."""
        if self.clock is None:
            return {}
        clock = self.clock
        day = min(day + timedelta(days=clock.randint(0, late)), self.last)
        moment = datetime(day.year, day.month, day.day, clock.randint(0, 9), clock.randint(0, 59))
        moment += timedelta(seconds=clock.randint(0, 59), microseconds=clock.randint(0, 999_999))
        for earlier in (self.recorded.get(subject), self.recorded.get(after or "")):
            if earlier is not None and moment <= earlier:
                moment = earlier + timedelta(minutes=clock.randint(1, 120))
        self.recorded[subject] = moment
        return {"time": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}

    def explicit(self, subject: str, day: date) -> str:
        """The time of an event the untimed history already dates: the same random draws
        either way, the clock's time when there is one."""
        fixed = _time(day, self.rng)
        return self.at(subject, day, late=0).get("time", fixed)

    def day(self, after: date | None = None, within: int | None = None) -> date:
        lo = after or self.first
        span = (self.last - lo).days
        if within is not None:
            span = min(span, within)
        return lo + timedelta(days=self.rng.randint(0, max(span, 0)))

    def region(self, region: str, programs: int) -> None:
        rng, h = self.rng, self.h
        ambassadors = [str(uuid.uuid4()) for _ in range(3)]
        for m in ambassadors:
            h.add(
                "partners",
                "ambassador_appointed",
                m,
                region=region,
                time=self.explicit(m, self.day(within=90)),
                person={"name": "Duta"},
                term_starts_on="2025-01-01",
                term_ends_on="2027-12-31",
            )
        partners = []
        for _ in range(max(2, programs // 2)):
            p = str(uuid.uuid4())
            registered = self.day(within=400)
            h.add(
                "partners",
                "partner_registered",
                p,
                region=region,
                time=self.explicit(p, registered),
                kind=rng.choice(KINDS),
                name="Mitra",
                contact={},
                interests=[rng.choice(TRACKS)],
            )
            if rng.random() < 0.8:
                h.add(
                    "partners",
                    "partner_verified",
                    p,
                    region=region,
                    time=self.explicit(p, registered + timedelta(days=3)),
                )
                a = str(uuid.uuid4())
                signed = registered + timedelta(days=rng.randint(5, 30))
                ends = signed + timedelta(days=rng.choice((365, 730, 1825)))
                h.add(
                    "partners",
                    "agreement_signed",
                    a,
                    region=region,
                    time=self.explicit(a, signed),
                    partner_id=p,
                    instrument=rng.choice(("mou", "pks")),
                    number=f"W.{rng.randint(1, 999)}/2026",
                    scope="kerja sama",
                    signed_level="kanwil",
                    starts_on=signed.isoformat(),
                    ends_on=ends.isoformat(),
                )
                if rng.random() < 0.1:
                    h.add(
                        "partners",
                        "agreement_terminated",
                        a,
                        region=region,
                        **self.at(a, signed, late=max(0, (min(ends, self.last) - signed).days)),
                        partner_id=p,
                        reason="x",
                        effective_on=ends.isoformat(),
                    )
                partners.append(p)
            elif rng.random() < 0.3:
                h.add(
                    "partners",
                    "partner_withdrawn",
                    p,
                    region=region,
                    reason="x",
                    **self.at(p, registered, late=60),
                )
        for _ in range(programs):
            self.program(region, rng.choice(partners or [str(uuid.uuid4())]))
        for _ in range(max(1, programs // 2)):
            self.outreach(region, rng.choice(ambassadors))
        if rng.random() < 0.5:
            h.add(
                "partners",
                "ambassador_term_ended",
                ambassadors[0],
                region=region,
                ended_on=self.last.isoformat(),
                reason="term_completed",
                **self.at(ambassadors[0], self.last, late=0),
            )

    def program(self, region: str, partner: str) -> None:
        rng, h = self.rng, self.h
        g, day = str(uuid.uuid4()), self.day(within=450)
        h.add(
            "programs",
            "program_proposed",
            g,
            region=region,
            title="Program pembinaan",
            unit_id=str(uuid.uuid4()),
            unit_code=f"LAPAS-{region.upper()}-{rng.randint(1, 4)}",
            lead_partner_id=partner,
            track=rng.choice(TRACKS),
            target_group="Warga Binaan",
            planned_participants=20,
            planned_sessions=10,
            starts_on=day.isoformat(),
            ends_on=(day + timedelta(days=365)).isoformat(),
            funding_source="partner",
            proposed_on=day.isoformat(),
            proposed_by="u",
            **self.at(g, day),
        )
        path = [("continued_collaboration", None)] + [("independent_program", p) for p in PHASES]
        at: tuple[str, str | None] = ("initial_approach", None)
        for to in path[: rng.randint(0, len(path))]:
            nxt = day + timedelta(days=rng.randint(7, 75))
            if nxt > self.last:
                break
            day = nxt
            h.add(
                "programs",
                "program_stage_advanced",
                g,
                region=region,
                from_stage=at[0],
                from_phase=at[1],
                to_stage=to[0],
                to_phase=to[1],
                reason="r",
                evidence=[],
                advanced_by="u",
                on=day.isoformat(),
                **self.at(g, day),
            )
            at = to
            for _ in range(rng.randint(0, 2)):
                self.activity(region, g, day)
        if at == ("independent_program", "evaluation"):
            scores = {d: rng.randint(2, 5) for d in ("individual", "institutional", "policy")}
            h.add(
                "programs",
                "program_evaluated",
                g,
                region=region,
                scores=scores,
                participants_completed=rng.randint(5, 30),
                recommendations="r",
                evaluated_on=day.isoformat(),
                evaluated_by="u",
                **self.at(g, day),
            )
            if rng.random() < 0.7 and day < self.last:
                end = day + timedelta(days=1)
                h.add(
                    "programs",
                    "program_stage_advanced",
                    g,
                    region=region,
                    from_stage=at[0],
                    from_phase=at[1],
                    to_stage="completed",
                    to_phase=None,
                    reason="r",
                    evidence=[],
                    advanced_by="u",
                    on=end.isoformat(),
                    **self.at(g, end, late=0),
                )
                h.add(
                    "programs",
                    "program_completed",
                    g,
                    region=region,
                    completed_on=end.isoformat(),
                    summary="ok",
                    **self.at(g, end, late=0),
                )
        elif rng.random() < 0.12 and day < self.last:
            end = day + timedelta(days=1)
            h.add(
                "programs",
                "program_stage_advanced",
                g,
                region=region,
                from_stage=at[0],
                from_phase=at[1],
                to_stage="discontinued",
                to_phase=None,
                reason="r",
                evidence=[],
                advanced_by="u",
                on=end.isoformat(),
                **self.at(g, end, late=0),
            )
            h.add(
                "programs",
                "program_discontinued",
                g,
                region=region,
                discontinued_on=end.isoformat(),
                reason="x",
                **self.at(g, end, late=0),
            )

    def activity(self, region: str, g: str, after: date) -> None:
        rng, h = self.rng, self.h
        held = self.day(after=after, within=30)
        groups = {k: rng.randint(0, 12) for k in rng.sample(GROUPS, 3)}
        x = h.add(
            "programs",
            "activity_held",
            g,
            region=region,
            held_on=held.isoformat(),
            sessions=rng.randint(1, 4),
            participants=groups,
            volunteer_hours=rng.randint(1, 16),
            recorded_by="u",
            **self.at(g, held),
        )
        chance = rng.random()
        if chance < 0.05:
            groups = {k: v + 1 for k, v in groups.items()}
            h.add(
                "programs",
                "activity_corrected",
                g,
                region=region,
                activity_event_id=x,
                held_on=held.isoformat(),
                sessions=1,
                participants=groups,
                volunteer_hours=2,
                note=None,
                reason="koreksi",
                corrected_by="u",
                **self.at(g, held, late=14),
            )
        elif chance < 0.07:
            h.add(
                "programs",
                "activity_voided",
                g,
                region=region,
                activity_event_id=x,
                reason="ganda",
                voided_by="u",
                **self.at(g, held, late=14),
            )

    def outreach(self, region: str, ambassador: str) -> None:
        rng, h = self.rng, self.h
        o, held = str(uuid.uuid4()), self.day()
        common = {
            "title": "Sosialisasi",
            "co_ambassador_ids": [],
            "topics": ["pembinaan"],
            "place": {"name": "Balai", "regency": "Kota", "unit_code": None},
        }
        audience = {s: rng.randint(0, 60) for s in rng.sample(SEGMENTS, 3)}
        h.add(
            "outreach",
            "outreach_held",
            o,
            region=region,
            lead_ambassador_id=ambassador,
            channel=rng.choice(CHANNELS),
            held_on=held.isoformat(),
            audience=audience,
            was_planned=False,
            recorded_by="u",
            **common,
            **self.at(o, held),
        )
        if rng.random() < 0.4:
            h.add(
                "outreach",
                "media_coverage_recorded",
                o,
                region=region,
                outreach_id=o,
                outlet="Media",
                medium=rng.choice(("print", "online", "tv", "radio", "social")),
                title="t",
                link="https://media.example/x",
                published_on=(held + timedelta(days=1)).isoformat(),
                estimated_reach=rng.randint(100, 20000),
                recorded_by="u",
                **self.at(o, held + timedelta(days=1)),
            )
        for _ in range(rng.randint(0, 2)):
            r = str(uuid.uuid4())
            h.add(
                "outreach",
                "prospect_identified",
                r,
                region=region,
                outreach_id=o,
                ambassador_id=ambassador,
                kind=rng.choice(KINDS),
                name="n",
                contact={},
                interests=[],
                identified_on=held.isoformat(),
                note=None,
                identified_by="u",
                **self.at(r, held, after=o),
            )
            fate = rng.random()
            later_day = held + timedelta(days=rng.randint(3, 40))
            later = later_day.isoformat()
            if fate < 0.3:
                h.add(
                    "outreach",
                    "prospect_converted",
                    r,
                    region=region,
                    partner_id=str(uuid.uuid4()),
                    partner_event_id=str(uuid.uuid4()),
                    converted_on=later,
                    **self.at(r, later_day),
                )
            elif fate < 0.5:
                h.add(
                    "outreach",
                    "prospect_declined",
                    r,
                    region=region,
                    reason="x",
                    declined_on=later,
                    recorded_by="u",
                    **self.at(r, later_day),
                )


def generate(
    regions: Sequence[str],
    programs: int,
    *,
    seed: int = 7,
    first: date = date(2025, 1, 1),
    last: date = date(2026, 11, 30),
    recorded_times: bool = False,
) -> History:
    """A history of `programs` programs per region (and partners and outreach to match);
    `recorded_times`: every event stamped with when it was recorded (see Generator)."""
    history = History()
    clock = random.Random(f"clock {seed}") if recorded_times else None
    generator = Generator(history, random.Random(seed), first, last, clock)
    for region in regions:
        generator.region(region, programs)
    return history
