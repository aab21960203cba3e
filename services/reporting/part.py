"""`python -m services.reporting.part`: the second process of a split bulk build.

Started by services/reporting/parts.py, which writes its orders as JSON on
standard input (database and NATS addresses, the stream, the generation, the
part's checkpoint name and subjects, the batch size): it folds those
subjects from the first event into the generation in bulk, writes what it
kept in memory, and exits 0; anything else is a failure its parent reports.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
from typing import Any

import asyncpg
import nats

from services.reporting import collecting
from services.reporting.asof import replay_prefixes
from services.reporting.projection import ReportingProjection
from shared.envelope import SUBJECT_ROOT
from shared.projections import ProjectionRunner


async def run(orders: dict[str, Any]) -> int:
    gc.set_threshold(50_000, 20, 50)  # as the service (runtime.start)
    pool = await asyncpg.create_pool(orders["database_url"], min_size=2, max_size=4)
    nc = await nats.connect(orders["nats_url"], **orders.get("nats_options", {}))
    try:
        if orders.get("mode") == "as_of":
            positions = await replay_prefixes(
                pool,
                nc,
                orders["stream"],
                int(orders["generation"]),
                orders["limit"],
                orders["logs"],
                [f"{SUBJECT_ROOT}.>"],
                regions=orders["regions"],
                part_of=1,
            )
            sys.stdout.write(json.dumps(positions))
            return 0
        projection = ReportingProjection(
            int(orders["generation"]), name=orders["name"], regions=orders["regions"]
        )
        runner = ProjectionRunner(
            pool,
            nc,
            projection,
            stream=orders["stream"],
            batch_size=int(orders["batch_size"]),
            deadletter_consumer="reporting",
        )
        await runner.setup()
        projection.bulk = True
        with collecting.building():
            await runner.run(until_caught_up=True)
            await projection.write_carried(pool)
        return 0
    finally:
        await nc.close()
        await pool.close()


def main() -> None:
    orders = json.loads(sys.stdin.read())
    sys.exit(asyncio.run(run(orders)))


if __name__ == "__main__":
    main()
