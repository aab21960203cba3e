"""Search on 100,000 partners: `GET /partners?name=` as the service runs it, with and without
its trigram index.

The partners service's own view (`PartnersViews` schema, `shared.search.normalize` for the
search column) is filled with 100,000 partners by COPY: names built from words officers use
("Yayasan", "Pokmas Lipas", towns), some with accents. The figure is the time of the list
query the route runs (`query_page`: the count and the first page of 50, through
`with_contains`) for a rare name, a common word and a name that does not exist; the raw limit
beside it is the same query with index scans switched off (the sequential scan the index
spares), so the ratio is how many times faster the index answers. Target: 100 ms, the
time under which an answer feels immediate to the person typing.
"""

from __future__ import annotations

import random
import uuid
from typing import TYPE_CHECKING

import asyncpg

from bench.common import Row, Target, now, percentile
from services.partners.views import PartnersViews
from shared.http.documents import query_page
from shared.search import normalize, with_contains

if TYPE_CHECKING:
    from bench.sections import Context

PARTNERS = 100_000
QUERIES = {"rare name": "amanah kediri", "common word": "yayasan", "no match": "zzqxw"}
KINDS = ("Yayasan", "Pokmas Lipas", "PT", "CV", "Koperasi", "Pesantren", "Lembaga", "Paguyuban")
WORDS = [
    "Bina",
    "Insani",
    "Sejahtera",
    "Mandiri",
    "Harapan",
    "Peduli",
    "Cahaya",
    "Nusantara",
    "Karya",
    "Abadi",
    "Maju",
    "Jaya",
    "Sentosa",
    "Amanah",
    "Berkah",
    "Mulia",
    "Lestari",
    "Bhakti",
    "Darma",
    "Sahabat",
    "Pelita",
    "Mentari",
    "Gemilang",
    "Sakinah",
    "Insan",
    "Kamil",
    "Rahmat",
    "Hidayah",
    "Barokah",
    "Tunas",
    "Bangsa",
    "Swadaya",
    "Makmur",
    "Sehati",
    "Kasih",
    "Bunda",
    "Fajar",
]
TOWNS = [
    "Surabaya",
    "Malang",
    "Kediri",
    "Madiun",
    "Blitar",
    "Jember",
    "Banyuwangi",
    "Sidoarjo",
    "Kenjeran",
    "Probolinggo",
    "Pasuruan",
    "Mojokerto",
    "Tulungagung",
    "Lamongan",
    "Gresik",
    "Bojonegoro",
    "Ngawi",
    "Magetan",
    "Pacitan",
    "Sumenep",
]
ACCENTED = {"Cahaya": "Çahaya", "Lipas": "Lipás", "Sakinah": "Sakínah"}
BASE_WHERE = (
    "($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR kind = $2)"
    " AND ($3::text IS NULL OR status = $3)"
)
COLUMNS = (
    "partner_id, region, kind, status, display_name, interests, registered_at, updated_at, version"
)


def names(count: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(count):
        words = [rng.choice(KINDS), *rng.sample(WORDS, rng.randint(1, 2)), rng.choice(TOWNS)]
        name = " ".join(words)
        if rng.random() < 0.1:
            for plain, accented in ACCENTED.items():
                name = name.replace(plain, accented)
        out.append(name)
    return out


async def fill(conn: asyncpg.Connection, count: int) -> None:
    rng = random.Random(7)
    rows = [
        (
            uuid.uuid4(),
            "jatim",
            "community_organization",
            "verified",
            name,
            [],
            f"2026-01-01T00:00:{i % 60:02d}.{i:06d}Z",
            "2026",
            1,
            normalize(name),
        )
        for i, name in enumerate(names(count, rng))
    ]
    await conn.copy_records_to_table(
        "partners_view",
        records=rows,
        columns=[
            "partner_id",
            "region",
            "kind",
            "status",
            "display_name",
            "interests",
            "registered_at",
            "updated_at",
            "version",
            "name_search",
        ],
    )
    await conn.execute("VACUUM ANALYZE partners_view")


async def time_query(pool: asyncpg.Pool, query: str, times: int) -> list[float]:
    where, args = with_contains(BASE_WHERE, ("jatim", None, None), "name_search", query)
    out = []
    for _ in range(times):
        began = now()
        await query_page(
            pool,
            columns=COLUMNS,
            source="partners_view",
            where=where,
            args=args,
            order_by="registered_at, partner_id",
            limit=50,
            offset=0,
        )
        out.append((now() - began) * 1000)
    return out


async def plan_uses_index(pool: asyncpg.Pool, query: str) -> bool:
    where, args = with_contains(BASE_WHERE, ("jatim", None, None), "name_search", query)
    rows = await pool.fetch(f"EXPLAIN SELECT count(*) FROM partners_view WHERE {where}", *args)
    return any("partners_view_name_search" in row[0] for row in rows)


async def section(ctx: Context) -> list[Row]:
    url = await ctx.database("search")
    async with asyncpg.create_pool(url, min_size=1, max_size=2) as pool:
        async with pool.acquire() as conn:
            await PartnersViews().setup(conn)
            began = now()
            await fill(conn, PARTNERS)
            ctx.say(f"search: {PARTNERS:,} partners in partners_view in {now() - began:.1f} s")
        rows = []
        # Startup settings, not SET: the pool's RESET ALL on release would undo a SET.
        no_index = {"enable_bitmapscan": "off", "enable_indexscan": "off"}
        async with asyncpg.create_pool(
            url, min_size=1, max_size=1, server_settings=no_index
        ) as scan:
            for label, query in QUERIES.items():
                indexed = await plan_uses_index(pool, query)
                row = Row(
                    "search",
                    f"GET /partners?name= ({label}) on {PARTNERS:,} partners, p50",
                    "ms",
                    limit_name="same query, sequential scan",
                    higher_is_better=False,
                    target=Target(100, lower_is_better=True),
                    note=f"'{query}': count + first page of 50; "
                    + ("trigram index used" if indexed else "NO INDEX IN THE PLAN"),
                )
                for _ in range(ctx.args.repeat):
                    row.runs.append(percentile(await time_query(pool, query, 20), 50) or 0.0)
                    row.limit_runs.append(percentile(await time_query(scan, query, 5), 50) or 0.0)
                ctx.say(f"search {label}: {row.value:.1f} ms (scan {row.limit:.1f} ms)")
                rows.append(row)
        return rows
