"""`sahabat events`: print the CloudEvents on NATS (the demo's stream), newest last."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError

from shared.settings import DEFAULT_STREAM


def nats_url_of(state: Path) -> str:
    url = os.environ.get("PAS_NATS_URL")
    if url:
        return url
    stack_file = state / "stack.json"
    if not stack_file.exists():
        raise SystemExit("no NATS: set PAS_NATS_URL or start `sahabat demo` first")
    return json.loads(stack_file.read_text())["nats_url"]  # type: ignore[no-any-return]


def show_events(state: Path, *, subject: str, last: int, follow: bool) -> int:
    return asyncio.run(_show(nats_url_of(state), subject, last, follow))


async def _show(url: str, subject: str, last: int, follow: bool) -> int:
    nc = await nats.connect(url)
    js = nc.jetstream()
    stream = os.environ.get("PAS_STREAM", DEFAULT_STREAM)
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
