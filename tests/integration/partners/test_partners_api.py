"""The partners API in-process against real NATS and PostgreSQL (issue 2, items 11-13).

Every test gets its own database (the `service_settings` fixture) and a clock it
controls, so dates in the rules ("not in the past", expiry, days_left) are fixed.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from services.partners.expiry import ACTOR as EXPIRY_ACTOR
from services.partners.expiry import expire_due
from shared.settings import Settings
from tests.integration.partners.kit import (
    ACTOR,
    HEADERS,
    PROBLEM,
    TODAY,
    FakeClock,
    assert_problem,
    history,
    individual,
    mou,
    organisation,
    partners_app,
    register,
    verified,
)
from tests.integration.support import eventually

pytestmark = pytest.mark.integration


# --- registration and duplicates ----------------------------------------------------------------


async def test_register_individual_and_organisation(client: httpx.AsyncClient) -> None:
    person = await client.post("/partners", json=individual(), headers=HEADERS)
    assert person.status_code == 201, person.text
    body = person.json()
    assert body["version"] == 1 and body["position"] == 1
    assert [e["type"] for e in body["events"]] == ["pas.partners.partner_registered.v1"]
    assert person.headers["location"] == f"/partners/{body['id']}"
    assert person.headers["etag"] == '"1"'
    uuid.UUID(body["id"])

    org = await client.post("/partners", json=organisation(), headers=HEADERS)
    assert org.status_code == 201, org.text
    assert org.json()["position"] == 2

    shown = (await client.get(f"/partners/{body['id']}")).json()
    assert shown["state"]["kind"] == "individual" and shown["state"]["status"] == "registered"
    assert shown["state"]["contact"]["person_name"] == "Siti Rahayu"


async def test_duplicates_are_refused_naming_the_existing_partner(
    client: httpx.AsyncClient,
) -> None:
    person = await register(client, individual())
    other_contact = {"person_name": "Siti R.", "email": "siti@example.org"}
    again = await client.post("/partners", json=individual(contact=other_contact), headers=HEADERS)
    problem = assert_problem(again, 409, "duplicate_partner")
    assert problem["existing_partner_id"] == person
    assert problem["existing_partner_name"] is None  # a person's name is not told to a NIK

    org = await register(
        client, organisation("Yayasan Al-Hikmah Sidoarjo", kind="religious_organization")
    )
    # Normalised: case, punctuation, spacing and the legal form do not make another partner.
    same = organisation("  YAYASAN al hikmah,  SIDOARJO. ", kind="religious_organization")
    problem = assert_problem(
        await client.post("/partners", json=same, headers=HEADERS), 409, "duplicate_partner"
    )
    assert problem["existing_partner_id"] == org
    assert problem["existing_partner_name"] == "Yayasan Al-Hikmah Sidoarjo"  # beside the id
    assert "sebagai Yayasan Al-Hikmah Sidoarjo" in problem["detail"]

    # The same name as another kind of organisation is another partner.
    other_kind = organisation("Yayasan Al-Hikmah Sidoarjo", kind="educational_institution")
    created = await client.post("/partners", json=other_kind, headers=HEADERS)
    assert created.status_code == 201, created.text
    assert created.json()["id"] not in (person, org)
    listed = (await client.get("/partners")).json()
    assert listed["total"] == 3


async def test_concurrent_duplicate_registrations_one_wins(client: httpx.AsyncClient) -> None:
    body = organisation("Komunitas Sahabat Lapas Malang")
    answers = await asyncio.gather(
        *(client.post("/partners", json=body, headers=HEADERS) for _ in range(5))
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 409, 409, 409, 409], [a.text for a in answers]
    winner = next(a for a in answers if a.status_code == 201).json()["id"]
    for refused in (a for a in answers if a.status_code == 409):
        assert assert_problem(refused, 409, "duplicate_partner")["existing_partner_id"] == winner
    listed = (await client.get("/partners")).json()
    assert listed["total"] == 1 and listed["items"][0]["partner_id"] == winner


# --- idempotency ----------------------------------------------------------------------------------


async def test_idempotency_key_retry_returns_the_first_answer(client: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": f"reg-{uuid.uuid4()}"}
    first = await client.post("/partners", json=individual(), headers=HEADERS | key)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    retry = await client.post("/partners", json=individual(), headers=HEADERS | key)
    assert retry.status_code == 201, retry.text
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    partner_id = first.json()["id"]
    assert len(await history(client, f"/partners/{partner_id}")) == 1

    # The same key for another request is a client error, not a silent replay.
    changed = individual(interests=["independence"])
    reused = await client.post("/partners", json=changed, headers=HEADERS | key)
    assert_problem(reused, 422, "idempotency_key_reused", field="Idempotency-Key")

    # Retried updates are safe too, even if sent at once.
    verify_key = {"Idempotency-Key": f"verify-{uuid.uuid4()}"}
    answers = await asyncio.gather(
        *(
            client.post(f"/partners/{partner_id}/verify", headers=HEADERS | verify_key)
            for _ in range(3)
        )
    )
    assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
    assert len({a.text for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 2
    types = [e["type"] for e in await history(client, f"/partners/{partner_id}")]
    assert types == ["pas.partners.partner_registered.v1", "pas.partners.partner_verified.v1"]


async def test_concurrent_retries_with_one_key_make_one_partner(client: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": f"reg-{uuid.uuid4()}"}
    answers = await asyncio.gather(
        *(
            client.post(
                "/partners",
                json=organisation("Paguyuban Peduli Pemasyarakatan"),
                headers=HEADERS | key,
            )
            for _ in range(4)
        )
    )
    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert (await client.get("/partners")).json()["total"] == 1


# --- status path, expected version, headers -----------------------------------------------------


async def test_verify_suspend_reinstate_withdraw(client: httpx.AsyncClient) -> None:
    partner_id = await register(client, organisation())
    base = f"/partners/{partner_id}"

    verified_ = await client.post(f"{base}/verify", headers=HEADERS)
    assert verified_.status_code == 200 and verified_.json()["version"] == 2
    assert_problem(await client.post(f"{base}/verify", headers=HEADERS), 409, "already_verified")

    suspended = await client.post(
        f"{base}/suspend", json={"reason": "Laporan belum lengkap"}, headers=HEADERS
    )
    assert suspended.status_code == 200, suspended.text
    assert (await client.get(base)).json()["state"]["status"] == "suspended"
    assert_problem(
        await client.post(f"{base}/suspend", json={"reason": "lagi lagi"}, headers=HEADERS),
        409,
        "already_suspended",
    )

    reinstated = await client.post(f"{base}/reinstate", headers=HEADERS)
    assert reinstated.status_code == 200, reinstated.text
    assert (await client.get(base)).json()["state"]["status"] == "verified"  # status before
    assert_problem(await client.post(f"{base}/reinstate", headers=HEADERS), 409, "not_suspended")

    withdrawn = await client.post(
        f"{base}/withdraw", json={"reason": "Organisasi dibubarkan"}, headers=HEADERS
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert (await client.get(base)).json()["state"]["status"] == "withdrawn"
    # A withdrawn partner never comes back.
    assert_problem(
        await client.post(f"{base}/reinstate", headers=HEADERS), 409, "partner_withdrawn"
    )
    assert_problem(
        await client.post(f"{base}/suspend", json={"reason": "apa saja"}, headers=HEADERS),
        409,
        "partner_withdrawn",
    )
    assert_problem(
        await client.post(f"{base}/withdraw", json={"reason": "dua kali"}, headers=HEADERS),
        409,
        "already_withdrawn",
    )

    types = [e["type"].split(".")[2] for e in await history(client, base)]
    assert types == [
        "partner_registered",
        "partner_verified",
        "partner_suspended",
        "partner_reinstated",
        "partner_withdrawn",
    ]


async def test_if_match(client: httpx.AsyncClient) -> None:
    partner_id = await register(client, organisation())
    base = f"/partners/{partner_id}"
    etag = (await client.get(base)).headers["etag"]
    assert etag == '"1"'

    stale = await client.post(f"{base}/verify", headers=HEADERS | {"If-Match": '"7"'})
    problem = assert_problem(stale, 409, "version_conflict")
    assert problem["current_version"] == 1 and problem["expected_version"] == 7

    current = await client.post(f"{base}/verify", headers=HEADERS | {"If-Match": etag})
    assert current.status_code == 200, current.text
    assert current.headers["etag"] == '"2"'

    # The old ETag is stale now: a lost update is refused, nothing is recorded.
    late = await client.post(
        f"{base}/suspend", json={"reason": "Tidak aktif"}, headers=HEADERS | {"If-Match": etag}
    )
    assert_problem(late, 409, "version_conflict")
    weak = await client.post(
        f"{base}/suspend", json={"reason": "Tidak aktif"}, headers=HEADERS | {"If-Match": 'W/"2"'}
    )
    assert weak.status_code == 200, weak.text

    for bad in ("abc", '"1', "1,2", '"-1"'):
        response = await client.post(f"{base}/reinstate", headers=HEADERS | {"If-Match": bad})
        if bad == '"1':
            # a lone quote still names version 1: stale, not malformed
            assert_problem(response, 409, "version_conflict")
            continue
        assert_problem(response, 422, "if_match_invalid", field="If-Match")
    assert len(await history(client, base)) == 3


async def test_actor_is_required_and_recorded(client: httpx.AsyncClient) -> None:
    missing = await client.post("/partners", json=organisation())
    assert_problem(missing, 422, "actor_required", field="X-Actor")
    bad = await client.post("/partners", json=organisation(), headers={"X-Actor": "budi <x>"})
    assert_problem(bad, 422, "actor_invalid", field="X-Actor")
    assert (await client.get("/partners")).json()["total"] == 0

    partner_id = await register(client, organisation())
    await client.post(f"/partners/{partner_id}/verify", headers={"X-Actor": "sari@kanwil-jatim"})
    entries = await history(client, f"/partners/{partner_id}")
    assert [e["actor"] for e in entries] == [ACTOR, "sari@kanwil-jatim"]


async def test_get_partner_shows_state_and_history(client: httpx.AsyncClient) -> None:
    other = await register(client, individual())
    partner_id = await register(client, organisation())
    await client.post(f"/partners/{partner_id}/verify", headers=HEADERS)
    await client.post(
        f"/partners/{partner_id}/profile",
        json={"interests": ["reintegration"]},
        headers={"X-Actor": "sari"},
    )
    response = await client.get(f"/partners/{partner_id}")
    assert response.status_code == 200
    assert response.headers["etag"] == '"3"'
    doc = response.json()
    assert doc["id"] == partner_id and doc["version"] == 3
    state = doc["state"]
    assert state["status"] == "verified" and state["kind"] == "community_organization"
    assert state["name"] == "Pokmas Lipas Surabaya" and state["region"] == "jatim"
    assert state["interests"] == ["reintegration"]
    entries = doc["history"]
    assert [e["type"] for e in entries] == [
        "pas.partners.partner_registered.v1",
        "pas.partners.partner_verified.v1",
        "pas.partners.partner_profile_updated.v1",
    ]
    assert [e["actor"] for e in entries] == [ACTOR, ACTOR, "sari"]
    assert [e["version"] for e in entries] == [1, 2, 3]
    assert [e["position"] for e in entries] == [2, 3, 4]  # the other partner holds position 1
    assert entries[0]["data"]["name"] == "Pokmas Lipas Surabaya"
    assert entries[0]["time"].startswith("2026-03-02T09:30:00")
    assert len({e["id"] for e in entries}) == 3
    assert (await client.get(f"/partners/{other}")).json()["history"][0]["position"] == 1


async def test_list_filters_and_pages(client: httpx.AsyncClient) -> None:
    community = [
        await register(client, organisation(f"Pokmas Lipas {city}"))
        for city in ("Surabaya", "Malang", "Kediri", "Madiun", "Jember")
    ]
    religious = [
        await register(
            client, organisation(f"Majelis Taklim {city}", kind="religious_organization")
        )
        for city in ("Blitar", "Tuban")
    ]
    person = await register(client, individual())
    for partner_id in community[:2]:
        await client.post(f"/partners/{partner_id}/verify", headers=HEADERS)

    first = (
        await client.get("/partners", params={"kind": "community_organization", "limit": 2})
    ).json()
    assert first["total"] == 5 and first["limit"] == 2 and first["offset"] == 0
    assert [p["partner_id"] for p in first["items"]] == community[:2]  # in registration order
    assert first["next_offset"] == 2
    seen = [p["partner_id"] for p in first["items"]]
    offset = first["next_offset"]
    while offset is not None:
        page = (
            await client.get(
                "/partners", params={"kind": "community_organization", "limit": 2, "offset": offset}
            )
        ).json()
        seen += [p["partner_id"] for p in page["items"]]
        offset = page["next_offset"]
    assert seen == community
    last = (
        await client.get(
            "/partners", params={"kind": "community_organization", "limit": 2, "offset": 4}
        )
    ).json()
    assert len(last["items"]) == 1 and last["next_offset"] is None

    both = (
        await client.get(
            "/partners", params={"kind": "community_organization", "status": "verified"}
        )
    ).json()
    assert both["total"] == 2 and {p["partner_id"] for p in both["items"]} == set(community[:2])
    assert all(p["status"] == "verified" for p in both["items"])
    registered = (await client.get("/partners", params={"status": "registered"})).json()
    assert {p["partner_id"] for p in registered["items"]} == set(
        community[2:] + religious + [person]
    )
    individuals = (await client.get("/partners", params={"kind": "individual"})).json()
    assert [p["display_name"] for p in individuals["items"]] == ["Siti Rahayu"]
    assert (await client.get("/partners", params={"region": "jatim"})).json()["total"] == 8
    assert (await client.get("/partners", params={"region": "ntt"})).json()["total"] == 0
    beyond = (await client.get("/partners", params={"offset": 50})).json()
    assert beyond["items"] == [] and beyond["total"] == 8 and beyond["next_offset"] is None


# --- agreements -----------------------------------------------------------------------------------


async def test_sign_agreement_rules(client: httpx.AsyncClient) -> None:
    unverified = await register(client, individual())
    assert_problem(
        await client.post("/agreements", json=mou(unverified), headers=HEADERS),
        409,
        "partner_not_verified",
        field="partner_id",
    )
    assert_problem(
        await client.post("/agreements", json=mou(str(uuid.uuid4())), headers=HEADERS),
        422,
        "unknown_partner",
        field="partner_id",
    )

    partner_id = await verified(client, organisation())
    signed = await client.post("/agreements", json=mou(partner_id), headers=HEADERS)
    assert signed.status_code == 201, signed.text
    agreement_id = signed.json()["id"]
    assert signed.headers["location"] == f"/agreements/{agreement_id}"
    doc = (await client.get(f"/agreements/{agreement_id}")).json()
    assert doc["state"]["status"] == "active" and doc["state"]["partner_id"] == partner_id

    upt_mou = mou(partner_id, signed_level="upt", unit_code="LP-SBY-01")
    assert_problem(
        await client.post("/agreements", json=upt_mou, headers=HEADERS),
        422,
        "signed_level_mismatch",
        field="signed_level",
    )
    assert_problem(
        await client.post(
            "/agreements",
            json=mou(partner_id, instrument="pks", signed_level="kanwil"),
            headers=HEADERS,
        ),
        422,
        "signed_level_mismatch",
        field="signed_level",
    )
    pks = mou(partner_id, instrument="pks", signed_level="upt", unit_code="LP-SBY-01")
    assert (await client.post("/agreements", json=pks, headers=HEADERS)).status_code == 201
    backwards = mou(partner_id, starts_on=date(2026, 6, 1), ends_on=date(2026, 5, 31))
    assert_problem(
        await client.post("/agreements", json=backwards, headers=HEADERS),
        422,
        "invalid_period",
        field="ends_on",
    )
    past = mou(partner_id, starts_on=date(2025, 1, 1), ends_on=date(2026, 3, 1))
    assert_problem(
        await client.post("/agreements", json=past, headers=HEADERS),
        422,
        "ends_on_in_past",
        field="ends_on",
    )
    assert_problem(
        await client.post(
            "/agreements", json=mou(partner_id) | {"ends_on": "soon"}, headers=HEADERS
        ),
        422,
        "invalid_input",
        field="ends_on",
    )

    await client.post(
        f"/partners/{partner_id}/suspend", json={"reason": "Sedang diperiksa"}, headers=HEADERS
    )
    assert_problem(
        await client.post("/agreements", json=mou(partner_id), headers=HEADERS),
        409,
        "partner_suspended",
        field="partner_id",
    )
    listed = (await client.get("/agreements", params={"partner_id": partner_id})).json()
    assert listed["total"] == 2


async def test_agreements_expiring_within_days(client: httpx.AsyncClient) -> None:
    partner_id = await verified(client, organisation())

    async def sign(ends_on: date, number: str) -> str:
        response = await client.post(
            "/agreements", json=mou(partner_id, ends_on=ends_on, number=number), headers=HEADERS
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]  # type: ignore[no-any-return]

    today_ = await sign(TODAY, "A-0")  # last day is today: 0 days left
    soon = await sign(TODAY + timedelta(days=8), "A-8")
    later = await sign(TODAY + timedelta(days=44), "A-44")
    await sign(TODAY + timedelta(days=305), "A-305")
    ended = await sign(TODAY + timedelta(days=10), "A-10")
    await client.post(
        f"/agreements/{ended}/terminate",
        json={"reason": "Mitra mengundurkan diri", "effective_on": "2026-03-02"},
        headers=HEADERS,
    )

    async def expiring(days: int) -> list[tuple[str, int]]:
        response = await client.get("/agreements/expiring", params={"within_days": days})
        assert response.status_code == 200, response.text
        return [(a["agreement_id"], a["days_left"]) for a in response.json()["items"]]

    assert await expiring(30) == [(today_, 0), (soon, 8)]
    assert await expiring(60) == [(today_, 0), (soon, 8), (later, 44)]
    assert await expiring(0) == [(today_, 0)]
    assert len(await expiring(400)) == 4  # the terminated one is not listed
    default = (await client.get("/agreements/expiring")).json()
    assert default["total"] == 3  # 90 days
    assert_problem(
        await client.get("/agreements/expiring", params={"within_days": "x"}),
        422,
        "invalid_input",
        field="within_days",
    )
    assert_problem(
        await client.get("/agreements/expiring", params={"within_days": -1}),
        422,
        "invalid_input",
        field="within_days",
    )


async def test_agreement_expires_exactly_once_across_sweeps_and_restarts(
    settings: Settings,
) -> None:
    clock = FakeClock()
    async with partners_app(settings, clock) as (client, app):
        partner_id = await verified(client, organisation())
        signed = await client.post(
            "/agreements", json=mou(partner_id, ends_on=TODAY + timedelta(days=3)), headers=HEADERS
        )
        assert signed.status_code == 201, signed.text
        agreement_id = signed.json()["id"]
        keeps = await client.post(
            "/agreements", json=mou(partner_id, number="B-2"), headers=HEADERS
        )
        runtime = app.state.runtime

        assert await expire_due(runtime) == 0  # ends_on not yet passed
        clock.advance(3)
        assert await expire_due(runtime) == 0  # the last day is still valid
        clock.advance(1)
        # Two sweeps at once (two processes, say): one event between them.
        assert sum(await asyncio.gather(expire_due(runtime), expire_due(runtime))) == 1
        assert await expire_due(runtime) == 0

        doc = (await client.get(f"/agreements/{agreement_id}")).json()
        assert doc["state"]["status"] == "expired"
        last = doc["history"][-1]
        assert last["type"] == "pas.partners.agreement_expired.v1"
        assert last["actor"] == EXPIRY_ACTOR
        assert last["data"] == {
            "partner_id": partner_id,
            "ends_on": (TODAY + timedelta(days=3)).isoformat(),
        }
        expired = (await client.get("/agreements", params={"status": "expired"})).json()
        assert [a["agreement_id"] for a in expired["items"]] == [agreement_id]
        other = (await client.get(f"/agreements/{keeps.json()['id']}")).json()
        assert other["state"]["status"] == "active"

    clock.advance(30)
    async with partners_app(settings, clock) as (client, app):  # restart; the job runs on start
        runtime = app.state.runtime
        assert await expire_due(runtime) == 0
        entries = await history(client, f"/agreements/{agreement_id}")
        assert [e["type"].split(".")[2] for e in entries] == [
            "agreement_signed",
            "agreement_expired",
        ]
    conn = await asyncpg.connect(settings.database_url)
    try:
        count = await conn.fetchval(
            "SELECT count(*) FROM pas_events WHERE type = 'pas.partners.agreement_expired.v1'"
        )
    finally:
        await conn.close()
    assert count == 1


# --- ambassadors ----------------------------------------------------------------------------------


async def test_ambassador_appoint_and_end_term_once(client: httpx.AsyncClient) -> None:
    body = {
        "person": {"name": "Dewi Lestari", "phone": "0812 3456 7890"},
        "term_starts_on": "2026-01-01",
        "term_ends_on": "2027-12-31",
    }
    appointed = await client.post("/ambassadors", json=body, headers=HEADERS)
    assert appointed.status_code == 201, appointed.text
    ambassador_id = appointed.json()["id"]
    assert appointed.headers["location"] == f"/ambassadors/{ambassador_id}"
    serving = (await client.get("/ambassadors", params={"serving": True})).json()
    assert [a["ambassador_id"] for a in serving["items"]] == [ambassador_id]

    backwards = body | {"term_ends_on": "2025-12-31"}
    assert_problem(
        await client.post("/ambassadors", json=backwards, headers=HEADERS),
        422,
        "invalid_term",
        field="term_ends_on",
    )
    assert_problem(
        await client.post(
            f"/ambassadors/{ambassador_id}/end-term",
            json={"reason": "term_completed"},
            headers=HEADERS,
        ),
        422,
        "term_not_over",
        field="reason",
    )

    end = {"reason": "early"}
    ended = await client.post(f"/ambassadors/{ambassador_id}/end-term", json=end, headers=HEADERS)
    assert ended.status_code == 200, ended.text
    assert_problem(
        await client.post(f"/ambassadors/{ambassador_id}/end-term", json=end, headers=HEADERS),
        409,
        "term_already_ended",
    )
    doc = (await client.get(f"/ambassadors/{ambassador_id}")).json()
    assert doc["state"]["ended_on"] == TODAY.isoformat()
    assert [e["type"].split(".")[2] for e in doc["history"]] == [
        "ambassador_appointed",
        "ambassador_term_ended",
    ]
    assert (await client.get("/ambassadors", params={"serving": True})).json()["total"] == 0
    assert (await client.get("/ambassadors", params={"serving": False})).json()["total"] == 1


# --- errors: unknown ids, bad input ---------------------------------------------------------------


async def test_unknown_ids_are_404_problems(client: httpx.AsyncClient) -> None:
    unknown = uuid.uuid4()
    assert_problem(await client.get(f"/partners/{unknown}"), 404, "partner_not_found")
    assert_problem(await client.get(f"/agreements/{unknown}"), 404, "agreement_not_found")
    assert_problem(await client.get(f"/ambassadors/{unknown}"), 404, "ambassador_not_found")
    assert_problem(
        await client.post(f"/partners/{unknown}/verify", headers=HEADERS), 404, "partner_not_found"
    )
    assert_problem(
        await client.post(
            f"/partners/{unknown}/withdraw", json={"reason": "tidak ada"}, headers=HEADERS
        ),
        404,
        "partner_not_found",
    )
    assert_problem(
        await client.post(
            f"/agreements/{unknown}/terminate", json={"reason": "tidak ada"}, headers=HEADERS
        ),
        404,
        "agreement_not_found",
    )
    assert_problem(
        await client.post(
            f"/ambassadors/{unknown}/end-term", json={"reason": "early"}, headers=HEADERS
        ),
        404,
        "ambassador_not_found",
    )
    assert_problem(await client.get("/nowhere"), 404, "http_404")
    # Not an id at all: the path parameter is named.
    assert_problem(
        await client.get("/partners/not-a-uuid"), 422, "invalid_input", field="partner_id"
    )


async def test_bad_input_is_422_never_500(client: httpx.AsyncClient) -> None:
    json_headers = HEADERS | {"Content-Type": "application/json"}
    for raw in (b'{"kind": ', b"\xff\xfe garbage", b"[1, 2]", b'"text"', b"null", b""):
        response = await client.post("/partners", content=raw, headers=json_headers)
        assert response.status_code == 422, (raw, response.status_code, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
    assert_problem(
        await client.post("/partners", json=individual(nik="123"), headers=HEADERS),
        422,
        "invalid_input",
        field="nik",
    )
    no_contact = organisation(contact={"person_name": "Ahmad"})
    assert_problem(
        await client.post("/partners", json=no_contact, headers=HEADERS),
        422,
        "invalid_input",
        field="contact",
    )
    assert_problem(
        await client.post("/partners", json=organisation(kind="alien"), headers=HEADERS),
        422,
        "invalid_input",
        field="kind",
    )
    assert_problem(
        await client.post("/partners", json=organisation(interests=[]), headers=HEADERS),
        422,
        "invalid_input",
        field="interests",
    )
    assert_problem(
        await client.post("/partners", json=organisation(name=None), headers=HEADERS),
        422,
        "name_required",
        field="name",
    )
    assert_problem(
        await client.post("/partners", json=organisation(nik="3578011203850001"), headers=HEADERS),
        422,
        "nik_not_for_organisation",
        field="nik",
    )
    assert_problem(
        await client.post("/partners", json=organisation() | {"unexpected": 1}, headers=HEADERS),
        422,
        "invalid_input",
    )
    # PostgreSQL text cannot hold NUL: refused up front rather than failing in the views.
    assert_problem(
        await client.post("/partners", json=organisation(name="Pokmas\x00"), headers=HEADERS),
        422,
        "invalid_input",
        field="name",
    )
    nul_contact = organisation(contact={"person_name": "A\x00", "email": "a@example.org"})
    assert_problem(
        await client.post("/partners", json=nul_contact, headers=HEADERS),
        422,
        "invalid_input",
        field="contact",
    )
    partner_id = await register(client, organisation())
    assert_problem(
        await client.post(f"/partners/{partner_id}/suspend", json={"reason": 5}, headers=HEADERS),
        422,
        "invalid_input",
        field="reason",
    )
    assert_problem(
        await client.post(
            f"/partners/{partner_id}/suspend", content=b"{oops", headers=json_headers
        ),
        422,
        "invalid_input",
    )
    assert_problem(
        await client.post(f"/partners/{partner_id}/verify", content=b"{oops", headers=json_headers),
        422,
        "invalid_input",
    )

    for params, field in (
        ({"limit": "abc"}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**19}, "offset"),
        ({"offset": 2**63 - 1}, "offset"),
        ({"region": "\x00"}, "region"),
        ({"region": "Jatim!"}, "region"),
        ({"kind": "alien"}, "kind"),
        ({"status": "gone"}, "status"),
    ):
        assert_problem(
            await client.get("/partners", params=params), 422, "invalid_input", field=field
        )
    assert_problem(
        await client.get("/agreements", params={"partner_id": "x"}),
        422,
        "invalid_input",
        field="partner_id",
    )
    assert_problem(
        await client.get("/agreements", params={"offset": 10**19}),
        422,
        "invalid_input",
        field="offset",
    )
    assert_problem(
        await client.get("/ambassadors", params={"serving": "maybe"}),
        422,
        "invalid_input",
        field="serving",
    )
    # Nothing of the above made an event.
    assert len(await history(client, f"/partners/{partner_id}")) == 1


# --- health ---------------------------------------------------------------------------------------


async def test_health_and_readiness_report_relay_lag(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    for i in range(3):
        await register(client, organisation(f"Lembaga Bantuan {i}"))

    async def relay() -> dict[str, Any]:
        response = await client.get("/readyz")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "ready" and body["region"] == "jatim"
        assert body["service"] == "partners"
        assert body["checks"]["postgres"] == "ok" and body["checks"]["nats"] == "ok"
        return body["checks"]["relay"]  # type: ignore[no-any-return]

    first = await relay()
    assert first["appended"] == 3 and first["lag"] == first["appended"] - first["published"]
    assert first["log"] == "jatim/partners"

    async def caught_up() -> bool:
        return (await relay())["lag"] == 0

    assert await eventually(caught_up, timeout=10)
    assert (await relay())["published"] == 3
    openapi = await client.get("/openapi.json")
    assert openapi.status_code == 200 and "/partners/{partner_id}/verify" in openapi.json()["paths"]
