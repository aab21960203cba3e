"""Provisioning of the JetStream streams Sahabat publishes to (never FastStream's auto-declare).

Events are kept for good (file storage, no age or count limit). The demo and
tests use one stream for all regions; production gives each region its own
stream (`stream_for_region`) and sources them into the hub.
"""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from shared.envelope import DEADLETTER_ROOT, SUBJECT_ROOT

ALL_EVENTS_STREAM = "PAS_EVENTS"
DEADLETTER_STREAM = "PAS_DEADLETTER"
DUPLICATE_WINDOW_SECONDS = 120.0


def stream_for_region(region: str) -> str:
    return f"PAS_EVENTS_{region.upper()}"


def events_stream_config(name: str, subjects: list[str]) -> StreamConfig:
    return StreamConfig(
        name=name,
        subjects=subjects,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        max_age=0,
        max_msgs=-1,
        max_bytes=-1,
        discard=DiscardPolicy.OLD,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        num_replicas=1,
    )


async def ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    """Create the stream if missing; an existing stream's config is left as the operator set it."""
    try:
        await js.stream_info(config.name)  # type: ignore[arg-type]
    except NotFoundError:
        try:
            await js.add_stream(config)
        except Exception:
            # Another process may have created it in between; that is fine if it now exists.
            await js.stream_info(config.name)  # type: ignore[arg-type]


async def ensure_event_streams(js: JetStreamContext, stream: str = ALL_EVENTS_STREAM) -> str:
    """Provision the events stream (all regions) and the dead-letter stream; return the name."""
    await ensure_stream(js, events_stream_config(stream, [f"{SUBJECT_ROOT}.>"]))
    await ensure_stream(js, events_stream_config(DEADLETTER_STREAM, [f"{DEADLETTER_ROOT}.>"]))
    return stream
