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
    demo.add_argument("--region", default="jatim", help="Kanwil code the services serve")
    demo.add_argument(
        "--no-wait", action="store_true", help="load the data, print, then stop (for scripts)"
    )

    stack = verbs.add_parser("stack", help="the dev stack: NATS and PostgreSQL")
    stack.add_argument("action", choices=["up", "down", "status"])

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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.verb == "demo":
        from sahabat.demo import run_demo

        return run_demo(args.state, region=args.region, wait=not args.no_wait)
    if args.verb == "stack":
        from sahabat import cli_stack

        action = {
            "up": cli_stack.stack_up,
            "down": cli_stack.stack_down,
            "status": cli_stack.stack_status,
        }[args.action]
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
