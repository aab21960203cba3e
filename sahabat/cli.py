"""The `sahabat` command: demo, dev stack, schemas and the admin verbs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from shared.regions import REGION_CODES

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

    verify = verbs.add_parser(
        "verify",
        help="check one log's hash chain in PostgreSQL and on NATS against its signed checkpoints",
    )
    verify.add_argument("--region", required=True)
    verify.add_argument("--service", required=True)
    verify.add_argument("--database-url", help="that service's database (default: from the stack)")
    verify.add_argument(
        "--nats-url",
        help="NATS to read the log and checkpoints from (default: PAS_NATS_URL, else the stack's)",
    )
    verify.add_argument(
        "--keys",
        action="append",
        help="public keys: a JSON file or a service "
        "URL serving /audit/keys (default: the stack's services)",
    )
    verify.add_argument("--stream", help="events stream (default PAS_STREAM or PAS_EVENTS)")
    verify.add_argument(
        "--checkpoint-stream",
        help="checkpoint stream (default PAS_CHECKPOINT_STREAM or PAS_CHECKPOINTS)",
    )
    verify.add_argument("--no-nats", action="store_true", help="PostgreSQL only")

    audit = verbs.add_parser("audit", help="evidence bundles for auditors; signing keys")
    audit_verbs = audit.add_subparsers(dest="audit_verb", required=True)
    export = audit_verbs.add_parser(
        "export", help="write a region's logs, checkpoints and keys into a zip anyone can verify"
    )
    export.add_argument("--region", required=True)
    export.add_argument("--service", help="one service only (default: every service's log)")
    export.add_argument("--as-of", help="only what was recorded by then (RFC 3339)")
    export.add_argument("--out", type=Path, required=True)
    export.add_argument(
        "--keys",
        action="append",
        help="public keys: a JSON file or a service "
        "URL (default: the stack's services' /audit/keys)",
    )
    export.add_argument("--by", help="who makes the bundle (default user@host)")
    export.add_argument("--stream", help="events stream (default PAS_STREAM or PAS_EVENTS)")
    export.add_argument(
        "--checkpoint-stream",
        help="checkpoint stream (default PAS_CHECKPOINT_STREAM or PAS_CHECKPOINTS)",
    )
    check = audit_verbs.add_parser("verify", help="check a bundle, no server needed")
    check.add_argument("bundle", type=Path)
    recompute = audit_verbs.add_parser(
        "report", help="the evaluation report recomputed from a bundle alone (throwaway database)"
    )
    recompute.add_argument("bundle", type=Path)
    recompute.add_argument("--region", help="one region (default: the whole bundle)")
    recompute.add_argument("--from", dest="start", help="first day (YYYY-MM-DD)")
    recompute.add_argument("--to", dest="end", help="last day (YYYY-MM-DD)")
    rotate = audit_verbs.add_parser(
        "rotate-key",
        help="give a service a new signing key (service stopped; announced at its next start)",
    )
    rotate.add_argument("--region", required=True)
    rotate.add_argument("--service", required=True)
    rotate.add_argument(
        "--key-file",
        type=Path,
        help="default <state>/services/<region>/<service>/audit-signing-keys.json",
    )

    events = verbs.add_parser("events", help="print the CloudEvents on NATS")
    events.add_argument(
        "--subject",
        default=None,
        help="NATS subject filter, e.g. pas.events.jatim.partners.> "
        "(default: from --region and --service, else every event)",
    )
    events.add_argument("--region", help="only this region's events")
    events.add_argument("--service", help="only this service's events")
    events.add_argument("--last", type=int, default=5, help="how many of the latest to show")
    events.add_argument("--follow", action="store_true", help="keep printing new events")

    deploy = verbs.add_parser(
        "deploy-files", help="write docker-compose.yml and deploy/ from the dev stack's shape"
    )
    deploy.add_argument("--check", action="store_true", help="only say whether they are current")

    schemas = verbs.add_parser("schemas", help="write a JSON Schema per event type")
    schemas.add_argument("--out", type=Path, default=Path("docs/events"))

    rebuild = verbs.add_parser(
        "rebuild",
        help="empty a service's views and replay its log; `rebuild reporting`: a new generation "
        "of the reporting projections, built while the current one answers",
    )
    rebuild.add_argument(
        "target",
        nargs="?",
        choices=["reporting"],
        help="`reporting`: ask the running reporting service to rebuild",
    )
    rebuild.add_argument("--region")
    rebuild.add_argument("--service")
    rebuild.add_argument("--database-url")
    rebuild.add_argument("--url", help="the reporting service (default: from stack.json)")
    rebuild.add_argument("--no-wait", action="store_true", help="start it, do not follow it")
    return parser


def _regions(text: str) -> list[str]:
    """A comma-separated list of regions (checked, with the others, by `_refusal`)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def service_names() -> list[str]:
    """The services of this repository (a package under services/ with an app.py)."""
    import services

    found = []
    for folder in services.__path__:
        found += [path.parent.name for path in Path(folder).glob("*/app.py")]
    return sorted(set(found))


def _refusal(args: argparse.Namespace) -> str | None:
    """One line saying which region or service is unknown and what the valid ones are."""
    region = getattr(args, "region", None)
    service = getattr(args, "service", None)
    subject = getattr(args, "subject", None)
    if subject and subject.startswith("pas.events."):
        tokens = subject.split(".")
        region = region or (tokens[2] if len(tokens) > 2 else None)
        service = service or (tokens[3] if len(tokens) > 3 else None)
    for one in [region, *(getattr(args, "regions", None) or [])]:
        if one not in (None, "*", ">") and one not in REGION_CODES:
            return (
                f"sahabat: unknown region {one!r}; valid regions: {', '.join(sorted(REGION_CODES))}"
            )
    names = service_names()
    if service not in (None, "*", ">") and service not in names:
        return f"sahabat: unknown service {service!r}; valid services: {', '.join(names)}"
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one verb; an unknown region or service is one line, and a closed pipe (`| head`)
    ends quietly."""
    try:
        return _run(_parser().parse_args(argv))
    except BrokenPipeError:
        # The reader went away (`sahabat events | head`): nothing more to say, and Python
        # must not complain while flushing stdout at exit either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _run(args: argparse.Namespace) -> int:
    refusal = _refusal(args)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return 2
    from shared.devstack.topology import DEFAULT_REGIONS

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
        from sahabat.verify_cmd import verify

        return verify(
            args.state,
            region=args.region,
            service=args.service,
            database_url=args.database_url,
            nats_url=args.nats_url,
            keys=args.keys,
            stream=args.stream,
            checkpoint_stream=args.checkpoint_stream,
            no_nats=args.no_nats,
        )
    if args.verb == "audit":
        return _audit(args)
    if args.verb == "rebuild" and args.target == "reporting":
        from sahabat.rebuild_reporting import rebuild_reporting

        return rebuild_reporting(args.state, url=args.url, wait=not args.no_wait)
    if args.verb == "rebuild":
        from sahabat.admin import rebuild

        if not args.region or not args.service:
            print(
                "sahabat rebuild: --region and --service are required (or `rebuild reporting`)",
                file=sys.stderr,
            )
            return 2
        return rebuild(
            args.state, region=args.region, service=args.service, database_url=args.database_url
        )
    if args.verb == "events":
        from sahabat.events_tail import show_events

        subject = args.subject or f"pas.events.{args.region or '*'}.{args.service or '*'}.>"
        if subject == "pas.events.*.*.>":
            subject = "pas.events.>"
        return show_events(args.state, subject=subject, last=args.last, follow=args.follow)
    if args.verb == "deploy-files":
        from sahabat.deployfiles import write_deploy_files

        return write_deploy_files(Path.cwd(), check=args.check)
    if args.verb == "schemas":
        from sahabat.schemas import write_schemas

        return write_schemas(args.out)
    return 2


def _audit(args: argparse.Namespace) -> int:
    from sahabat import audit_cli

    if args.audit_verb == "export":
        return audit_cli.export(
            args.state,
            region=args.region,
            service=args.service,
            as_of=args.as_of,
            out=args.out,
            keys=args.keys,
            by=args.by,
            stream=args.stream,
            checkpoint_stream=args.checkpoint_stream,
        )
    if args.audit_verb == "verify":
        return audit_cli.verify(args.bundle)
    if args.audit_verb == "report":
        from sahabat.audit_report import report

        return report(args.bundle, region=args.region, start=args.start, end=args.end)
    return audit_cli.rotate_key(
        args.state, region=args.region, service=args.service, key_file=args.key_file
    )


if __name__ == "__main__":
    sys.exit(main())
