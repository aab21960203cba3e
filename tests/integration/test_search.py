"""Search: partners by name (accents and case ignored, any part), agreements by number,
programs by title, beside the existing filters; answered from trigram indexes, not scans.

The EXPLAIN test fills the views with 20,000 rows straight in SQL (the routes' own queries
are what is explained, through the same `with_contains`), so the planner has a real choice.
VACUUM first, as autovacuum would: rows inserted in bulk wait in the GIN index's pending list,
which the planner rightly prices as a scan until it is merged.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.partners.app import create as create_partners
from services.programs.app import create as create_programs
from shared.search import contains_pattern, normalize, with_contains
from tests.conftest import running_app
from tests.integration.programs.kit import (
    ACTOR,
    fresh_region,
    ok,
    position_header,
    proposal,
    ready_partner,
    register_unit,
    services,
)

pytestmark = pytest.mark.integration


def test_one_normal_form_for_stored_text_and_queries() -> None:
    assert normalize("  Pokmas  LIPÁS\tKenjeran ") == "pokmas lipas kenjeran"
    assert normalize("Yayasan Çahaya Ñusantara") == "yayasan cahaya nusantara"
    assert contains_pattern("Lipás") == "%lipas%"
    assert contains_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"  # LIKE's own signs are literal


async def test_partners_agreements_and_programs_are_found_by_part_of_their_text(
    service_settings, nc
):
    region = await fresh_region(nc)
    tag = uuid.uuid4().hex[:6]
    async with services(service_settings, region) as s:
        lead, position = await ready_partner(s.partners, f"Pokmas Lipás {tag} Kenjeran")
        other, _ = await ready_partner(s.partners, f"Yayasan {tag} Bina Insani")

        async def partners(**params: Any) -> list[str]:
            page = await ok(await s.partners.get("/partners", params={"region": region, **params}))
            return [item["partner_id"] for item in page["items"]]

        assert await partners(name="LIPAS") == [lead]
        assert await partners(name=f"lipás {tag} kenj") == [lead]
        assert await partners(name=tag) == [lead, other]
        assert await partners(name=tag, kind="business") == []  # with the existing filters
        assert await partners(name="tidak ada") == []
        short = await s.partners.get("/partners", params={"name": "li"})
        assert short.status_code == 422 and short.json()["errors"][0]["field"] == "name"

        # the kit numbers an agreement MOU/<last six letters of the name>
        agreements = await ok(await s.partners.get("/agreements", params={"number": "mou/NJER"}))
        assert [item["partner_id"] for item in agreements["items"]] == [lead]
        assert agreements["items"][0]["partner_name"] == f"Pokmas Lipás {tag} Kenjeran"
        unit_id = await register_unit(s.programs, region)
        body = proposal(unit_id, lead, title=f"Kelas Menulis Kreatif {tag}")
        created = await s.programs.post("/programs", json=body, headers=position_header(position))
        program_id = (await ok(created, 201))["id"]
        page = await ok(await s.programs.get("/programs", params={"title": "menulis KREATIF"}))
        assert program_id in [item["program_id"] for item in page["items"]]
        assert all("title_search" not in item for item in page["items"])
        page = await ok(
            await s.programs.get("/programs", params={"title": tag, "status": "completed"})
        )
        assert page["items"] == []

        # names beside ids: the unit's and the partners', in the list and the document
        page = await ok(await s.programs.get("/programs", params={"title": tag}))
        item = page["items"][0]
        assert item["lead_partner_name"] == f"Pokmas Lipás {tag} Kenjeran"
        assert item["unit_name"] and item["unit_code"]
        doc = await ok(await s.programs.get(f"/programs/{program_id}", headers=ACTOR))
        assert doc["unit"]["name"] == item["unit_name"]
        assert doc["partners"] == [
            {"id": lead, "role": "lead", "name": f"Pokmas Lipás {tag} Kenjeran"}
        ]


async def _plan(conn: Any, source: str, where: str, args: tuple[object, ...]) -> str:
    rows = await conn.fetch(f"EXPLAIN SELECT * FROM {source} WHERE {where}", *args)
    return "\n".join(row[0] for row in rows)


async def test_searches_use_the_trigram_indexes_not_a_scan(service_settings):
    async with running_app(create_partners(service_settings("partners"))) as partners_client:
        pool = partners_client._transport.app.state.runtime.pool  # type: ignore[attr-defined]
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO partners_view (partner_id, region, kind, status, display_name,"
                " registered_at, updated_at, version, name_search)"
                " SELECT gen_random_uuid(), 'jatim', 'business', 'registered',"
                " 'PT ' || md5(i::text), '2026', '2026', 1, 'pt ' || md5(i::text)"
                " FROM generate_series(1, 20000) i"
            )
            await conn.execute(
                "INSERT INTO agreements_view SELECT gen_random_uuid(), gen_random_uuid(), 'jatim',"
                " 'pks', 'PKS/' || md5(i::text), 'upt', '2026-01-01', '2027-01-01', 'active', 1"
                " FROM generate_series(1, 20000) i"
            )
            await conn.execute("VACUUM ANALYZE partners_view")
            await conn.execute("VACUUM ANALYZE agreements_view")
            where, args = with_contains(
                "($1::text IS NULL OR region = $1)", ("jatim",), "name_search", "a1b2c"
            )
            assert "partners_view_name_search" in await _plan(conn, "partners_view", where, args)
            where, args = with_contains("true", (), "lower(number)", "PKS/a1b2")
            plan = await _plan(conn, "agreements_view", where, args)
            assert "agreements_view_number_search" in plan
    async with running_app(create_programs(service_settings("programs"))) as programs_client:
        pool = programs_client._transport.app.state.runtime.pool  # type: ignore[attr-defined]
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO programs_view (program_id, region, unit_id, unit_code, title, track,"
                " stage, status, lead_partner_id, funding_source, planned_participants,"
                " planned_sessions, starts_on, ends_on, proposed_on, stage_entered_on,"
                " proposed_at, updated_at, version, title_search)"
                " SELECT gen_random_uuid(), 'jatim', gen_random_uuid(), 'LP1', md5(i::text),"
                " 'independence', 'initial_approach', 'active', gen_random_uuid(), 'csr', 10, 10,"
                " '2026-01-01', '2027-01-01', '2026-01-01', '2026-01-01', '2026', '2026', 1,"
                " md5(i::text) FROM generate_series(1, 20000) i"
            )
            await conn.execute("VACUUM ANALYZE programs_view")
            where, args = with_contains("true", (), "title_search", "c0ffee")
            assert "programs_view_title_search" in await _plan(conn, "programs_view", where, args)
