"""`python -m bench`: every figure in one run, on a fresh dev stack, medians of a few runs.

    python -m bench                    # everything, 3 runs each (a few minutes)
    python -m bench --repeat 5         # more runs, steadier medians
    python -m bench --only raw,http    # some sections: raw store http programs history ...
    python -m bench --events 20000     # fewer events per relay/replay/verify run (quicker)

Servers: a fresh dev stack in a temp folder, stopped at the end, unless
PAS_NATS_URL / PAS_DATABASE_URL name servers of your own. The bench then
works in databases of its own (`bench_<run>_*`, dropped at the end) but
publishes to the PAS_EVENTS stream: never point it at servers whose stream
matters.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import nats
import uvloop

from bench import report
from bench.common import Row, bench_regions, now, token
from bench.sections import SECTIONS, Context, cleanup
from shared.devstack import DevStack
from shared.jetstream import ensure_event_streams


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median reported)")
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="duration of each HTTP load / raw insert run"
    )
    parser.add_argument(
        "--events",
        type=int,
        default=50_000,
        help="events appended per run to the log that is relayed, replayed and "
        "verified (the log grows run by run)",
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections of: {', '.join(SECTIONS)}",
    )
    parser.add_argument(
        "--reporting-events",
        type=int,
        default=1_000_000,
        help="size of the generated history the reporting section rebuilds and replays as of "
        "a moment (issue 9 and 11 ask for 1,000,000; a quick look: 20000)",
    )
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/")
    return parser.parse_args(argv)


# 1-minute load average as each section starts: the machine is shared, and figures move with it.
LOAD: dict[str, float] = {}


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


async def run(
    args: argparse.Namespace, stack_nats: str, stack_db: str, state: Path, state_owned: bool
) -> list[Row]:
    nc = await nats.connect(stack_nats)
    try:
        stream = await ensure_event_streams(nc.jetstream())
        ctx = Context(
            args=args,
            nats_url=stack_nats,
            admin_url=stack_db,
            nc=nc,
            stream=stream,
            log_dir=state / "logs",
            run=token(),
            regions=bench_regions(),
            say=say,
        )
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = set(wanted) - set(SECTIONS)
        if unknown:
            raise SystemExit(f"unknown sections: {', '.join(sorted(unknown))}")
        rows: list[Row] = []
        for name in SECTIONS:
            if name not in wanted:
                continue
            began = now()
            LOAD[name] = round(os.getloadavg()[0], 2)
            say(f"== {name} (machine load average {LOAD[name]:.2f} on {os.cpu_count()} CPUs)")
            try:
                rows += await SECTIONS[name](ctx)
            except Exception as exc:  # noqa: BLE001 - report what failed, keep the others
                traceback.print_exc()
                rows.append(Row(name, "FAILED", "", note=f"{type(exc).__name__}: {exc}"))
            say(f"== {name} took {now() - began:.0f} s")
        if ctx.databases and not state_owned:
            await cleanup(ctx)
        return rows
    finally:
        await nc.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    state = Path(tempfile.mkdtemp(prefix="sahabat-bench-"))
    began = now()
    dev = DevStack(state)
    try:
        info = dev.start(progress=say)
        say(f"stack: nats {info.nats_url}, postgres {info.database_url}")
        rows = uvloop.run(
            run(args, info.nats_url, info.database_url, state, state_owned=bool(info.started))
        )
    finally:
        dev.stop()
        shutil.rmtree(state, ignore_errors=True)
    print()
    print(report.table(rows))
    print(
        "\nload average (1 min) at each section's start: "
        + ", ".join(f"{name} {load:.2f}" for name, load in LOAD.items())
        + f" (on {os.cpu_count()} CPUs; the bench itself accounts for up to ~2)"
    )
    if not args.no_json:
        path = report.write_json(
            rows,
            {
                "args": vars(args),
                "seconds": round(now() - began, 1),
                "load_avg_at_section_start": LOAD,
            },
        )
        print(f"\nwritten: {path}")
    print(f"bench took {now() - began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
