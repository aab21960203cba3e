"""The `sahabat` command: demo, dev stack, schemas and the admin verbs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sahabat.cli_parser import DEFAULT_STATE, build_parser
from shared.regions import REGION_CODES

__all__ = ["DEFAULT_STATE", "main", "service_names"]


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
        return _run(build_parser(__doc__ or "").parse_args(argv))
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
