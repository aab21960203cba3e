"""`sahabat events`: print the CloudEvents on NATS (the hub's stream of all regions)."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError

from sahabat import stackfile
from shared.settings import DEFAULT_STREAM, nats_options


def hub_of(state: Path) -> tuple[str, str, dict[str, str]]:
    """URL, stream and identity to read: PAS_NATS_* if set, else the demo's hub (read-only)."""
    url = os.environ.get("PAS_NATS_URL")
    if url:
        env = os.environ
        options = nats_options(
            env.get("PAS_NATS_USER"), env.get("PAS_NATS_PASSWORD"), env.get("PAS_NATS_CREDS")
        )
        return url, os.environ.get("PAS_STREAM", DEFAULT_STREAM), options
    document = stackfile.read(state)
    if document is None:
        raise SystemExit("no NATS: set PAS_NATS_URL or start `sahabat demo` first")
    hub = document.get("hub") or {}
    credentials = hub.get("credentials") or {}
    return (
        hub.get("nats_url", document["nats_url"]),
        hub.get("stream", DEFAULT_STREAM),
        nats_options(credentials.get("user"), credentials.get("password")),
    )


def show_events(state: Path, *, subject: str, last: int, follow: bool) -> int:
    url, stream, options = hub_of(state)
    return asyncio.run(_show(url, stream, options, subject, last, follow))


async def _show(
    url: str, stream: str, options: dict[str, str], subject: str, last: int, follow: bool
) -> int:
    nc = await nats.connect(url, **options)  # type: ignore[arg-type]
    js = nc.jetstream()
    info = await js.stream_info(stream, subjects_filter=subject)
    total = sum((info.state.subjects or {}).values()) if info.state.subjects else 0
    start = max(total - last, 0)
    sub = await js.pull_subscribe(
        subject,
        stream=stream,
        config=ConsumerConfig(
            ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=10.0
        ),
    )
    seen = 0
    try:
        while True:
            try:
                msgs = await sub.fetch(200, timeout=1.0)
            except (FetchTimeoutError, TimeoutError):
                if follow:
                    continue
                break
            for msg in msgs:
                seen += 1
                if seen > start:
                    msg_id = (msg.headers or {}).get("Nats-Msg-Id")
                    print(f"--- {msg.subject}  Nats-Msg-Id: {msg_id}")
                    print(json.dumps(json.loads(msg.data), indent=2, ensure_ascii=False))
    except KeyboardInterrupt:
        pass
    finally:
        await nc.close()
    return 0
