"""A reporting consumer of your own: a durable JetStream consumer of Sahabat's events, each
parsed with the CloudEvents SDK. Here it totals the audience of outreach held per region.

    .venv/bin/python examples/consumer.py               # the demo's hub (.sahabat/stack.json)
    .venv/bin/python examples/consumer.py --subject 'pas.events.jatim.>' --once
    .venv/bin/python examples/consumer.py --nats nats://host:4222 --user U --password P

The consumer is durable (named by `--durable`): the server remembers what it
acknowledged, so a restart goes on where it stopped. Acknowledge only after
your own state is safely stored, and keep your handling idempotent (the event
id is unique forever): a message may come again after a crash.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from pathlib import Path

import nats
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy


def connection(args: argparse.Namespace) -> tuple[str, str, dict[str, str]]:
    """NATS URL, stream and identity: from the arguments, else the demo's hub."""
    if args.nats:
        identity = {"user": args.user, "password": args.password or ""} if args.user else {}
        return args.nats, args.stream, identity
    stack = json.loads(Path(args.state, "stack.json").read_text())
    hub = stack.get("hub", {})
    return (
        hub.get("nats_url", stack["nats_url"]),
        hub.get("stream", args.stream),
        dict(hub.get("credentials", {})),
    )


async def consume(args: argparse.Namespace) -> Counter[str]:
    url, stream, identity = connection(args)
    nc = await nats.connect(url, **identity)
    js = nc.jetstream()
    subscription = await js.pull_subscribe(
        args.subject,
        durable=args.durable,
        stream=stream,
        config=ConsumerConfig(
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            max_deliver=5,
            ack_wait=30,
        ),
    )
    audience: Counter[str] = Counter()
    seen = 0
    try:
        while True:
            try:
                messages = await subscription.fetch(100, timeout=2)
            except (NatsTimeout, TimeoutError):  # nats-py raises either, by where it waited
                if args.once:
                    break
                continue
            for msg in messages:
                # Structured mode: the whole CloudEvent is the body (Content-Type header).
                event = from_http_event(HTTPMessage(headers=dict(msg.headers or {}), body=msg.data))
                seen += 1
                if event.get_type() == "pas.outreach.outreach_held.v1":
                    data = event.get_data()
                    audience[event.get_extension("region")] += sum(data["audience"].values())
                    if args.verbose:
                        print(
                            f"{event.get_time():%Y-%m-%d} {event.get_extension('region')}: "
                            f"{data['title']} ({sum(data['audience'].values())} orang)"
                        )
                await msg.ack()
    finally:
        await nc.close()
    print(json.dumps({"events": seen, "outreach_audience_by_region": dict(audience)}))
    return audience


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", default=".sahabat", help="the demo's state folder")
    parser.add_argument("--nats", help="NATS URL (default: the demo's hub)")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--stream", default="PAS_EVENTS")
    parser.add_argument(
        "--subject",
        default="pas.events.>",
        help="e.g. pas.events.jatim.> or pas.events.*.outreach.>",
    )
    parser.add_argument("--durable", default="example-outreach-audience")
    parser.add_argument("--once", action="store_true", help="stop when caught up")
    parser.add_argument("--verbose", action="store_true")
    asyncio.run(consume(parser.parse_args()))


if __name__ == "__main__":
    main()
