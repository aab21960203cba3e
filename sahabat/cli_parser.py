"""The argument tree of the `sahabat` command: its verbs, their options and help texts."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_STATE = Path(".sahabat")


def build_parser(description: str) -> argparse.ArgumentParser:
    """Every verb of `sahabat` and its options (checked further by `sahabat.cli`)."""
    parser = argparse.ArgumentParser(prog="sahabat", description=description)
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
        type=region_list,
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
        type=region_list,
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
        help="`reporting`: ask the running reporting service to rebuild (sending "
        "PAS_ADMIN_TOKEN from the environment, when set, as its bearer token)",
    )
    rebuild.add_argument("--region")
    rebuild.add_argument("--service")
    rebuild.add_argument("--database-url")
    rebuild.add_argument("--url", help="the reporting service (default: from stack.json)")
    rebuild.add_argument("--no-wait", action="store_true", help="start it, do not follow it")
    return parser


def region_list(text: str) -> list[str]:
    """A comma-separated list of regions (checked, with the others, by `sahabat.cli`)."""
    return [part.strip() for part in text.split(",") if part.strip()]
