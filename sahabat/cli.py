"""The `sahabat` command: demo, dev stack, schemas and the admin verbs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_STATE = Path(".sahabat")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sahabat", description=__doc__)
    parser.add_argument(
        "--state",
        type=Path,
        default=DEFAULT_STATE,
        help="state folder of the dev stack (default .sahabat)",
    )
    verbs = parser.add_subparsers(dest="verb", required=True)

    demo = verbs.add_parser("demo", help="start everything, load demo data, print where to look")
    demo.add_argument(
        "--regions",
        type=_regions,
        default=None,
        help="regions, each with its own NATS server and services (default jatim,jabar)",
    )
    demo.add_argument("--region", help="one region only (same as --regions REGION)")
    demo.add_argument(
        "--no-wait", action="store_true", help="load the data, print, then stop (for scripts)"
    )

    stack = verbs.add_parser("stack", help="the dev stack: NATS (hub and regions) and PostgreSQL")
    stack.add_argument("action", choices=["up", "down", "status"])
    stack.add_argument(
        "--regions",
        type=_regions,
        default=None,
        help="regions, each with its own NATS server (default jatim,jabar)",
    )

    verify = verbs.add_parser("verify", help="check one log's hash chain in PostgreSQL")
    verify.add_argument("--region", required=True)
    verify.add_argument("--service", required=True)
    verify.add_argument("--database-url", help="that service's database (default: from the stack)")

    events = verbs.add_parser("events", help="print the CloudEvents on NATS")
    events.add_argument(
        "--subject",
        default="pas.events.>",
        help="NATS subject filter, e.g. pas.events.jatim.partners.>",
    )
    events.add_argument("--last", type=int, default=5, help="how many of the latest to show")
    events.add_argument("--follow", action="store_true", help="keep printing new events")

    schemas = verbs.add_parser("schemas", help="write a JSON Schema per event type")
    schemas.add_argument("--out", type=Path, default=Path("docs/events"))

    rebuild = verbs.add_parser("rebuild", help="empty a service's views and replay its log")
    rebuild.add_argument("--region", required=True)
    rebuild.add_argument("--service", required=True)
    rebuild.add_argument("--database-url")
    return parser


def _regions(text: str) -> list[str]:
    from shared.regions import validate_region

    try:
        return [validate_region(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    from shared.devstack.topology import DEFAULT_REGIONS

    args = _parser().parse_args(argv)
    if args.verb == "demo":
        from sahabat.demo import run_demo

        regions = [args.region] if args.region else args.regions or DEFAULT_REGIONS
        return run_demo(args.state, regions=regions, wait=not args.no_wait)
    if args.verb == "stack":
        from sahabat import cli_stack

        if args.action == "up":
            return cli_stack.stack_up(args.state, args.regions or list(DEFAULT_REGIONS))
        action = {"down": cli_stack.stack_down, "status": cli_stack.stack_status}[args.action]
        return action(args.state)
    if args.verb == "verify":
        from sahabat.admin import verify

        return verify(
            args.state, region=args.region, service=args.service, database_url=args.database_url
        )
    if args.verb == "rebuild":
        from sahabat.admin import rebuild

        return rebuild(
            args.state, region=args.region, service=args.service, database_url=args.database_url
        )
    if args.verb == "events":
        from sahabat.events_tail import show_events

        return show_events(args.state, subject=args.subject, last=args.last, follow=args.follow)
    if args.verb == "schemas":
        from sahabat.schemas import write_schemas

        return write_schemas(args.out)
    return 2


if __name__ == "__main__":
    sys.exit(main())
