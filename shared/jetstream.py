"""Provisioning of the JetStream streams Sahabat publishes to (never FastStream's auto-declare).

Events are kept for good (file storage, no age or count limit). Each region's
server has its own stream of its events (`stream_for_region`) and of its
checkpoints (`checkpoints_stream_for_region`); the hub's streams of all
regions (`hub_events_config`) have no subjects of their own and source each
regional stream through the region's JetStream domain, filtered to that
region's subjects. A single plain server (most tests, servers of your own)
keeps one stream of all regions, `PAS_EVENTS`.
"""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import (
    DiscardPolicy,
    ExternalStream,
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamSource,
)
from nats.js.errors import NotFoundError

from shared.envelope import DEADLETTER_ROOT, SUBJECT_ROOT

ALL_EVENTS_STREAM = "PAS_EVENTS"
ALL_CHECKPOINTS_STREAM = "PAS_CHECKPOINTS"
DEADLETTER_STREAM = "PAS_DEADLETTER"
CHECKPOINT_ROOT = "pas.checkpoints"
DUPLICATE_WINDOW_SECONDS = 120.0


def stream_for_region(region: str) -> str:
    return f"{ALL_EVENTS_STREAM}_{region.upper()}"


def checkpoints_stream_for_region(region: str) -> str:
    return f"{ALL_CHECKPOINTS_STREAM}_{region.upper()}"


def stream_subjects(stream: str) -> list[str]:
    """The subjects of a stream of ours by its name (a region's, or all regions')."""
    roots = ((ALL_EVENTS_STREAM, SUBJECT_ROOT), (ALL_CHECKPOINTS_STREAM, CHECKPOINT_ROOT))
    for name, root in roots:
        if stream == name:
            return [f"{root}.>"]
        if stream.startswith(name + "_"):
            return [f"{root}.{stream[len(name) + 1 :].lower()}.>"]
    if stream == DEADLETTER_STREAM:
        return [f"{DEADLETTER_ROOT}.>"]
    raise ValueError(f"not a stream of ours: {stream}")


def region_stream_configs(region: str) -> list[StreamConfig]:
    """What a region's server keeps: its events, its checkpoints, its dead letters."""
    return [
        events_stream_config(name, stream_subjects(name))
        for name in (
            stream_for_region(region),
            checkpoints_stream_for_region(region),
            DEADLETTER_STREAM,
        )
    ]


def hub_stream_configs(regions: list[str], replicas: int = 1) -> list[StreamConfig]:
    """The hub's streams: all regions' events and checkpoints (sourced), and dead letters."""
    configs = []
    for name, regional in (
        (ALL_EVENTS_STREAM, stream_for_region),
        (ALL_CHECKPOINTS_STREAM, checkpoints_stream_for_region),
    ):
        config = events_stream_config(name, [], replicas)
        config.sources = [region_source(regional(region), region) for region in regions]
        configs.append(config)
    configs.append(
        events_stream_config(DEADLETTER_STREAM, stream_subjects(DEADLETTER_STREAM), replicas)
    )
    return configs


def region_source(stream: str, region: str) -> StreamSource:
    """One regional stream as a source of a hub stream: through the region's domain, and only
    that region's own subjects (whatever else its stream may hold never reaches the hub)."""
    return StreamSource(
        name=stream,
        filter_subject=stream_subjects(stream)[0],
        external=ExternalStream(api=f"$JS.{region}.API"),
    )


def events_stream_config(name: str, subjects: list[str], replicas: int = 1) -> StreamConfig:
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
        num_replicas=replicas,
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


async def ensure_sources(js: JetStreamContext, config: StreamConfig) -> None:
    """Create the stream, or add the sources it lacks (a region that joined); others stay."""
    try:
        info = await js.stream_info(config.name)  # type: ignore[arg-type]
    except NotFoundError:
        await js.add_stream(config)
        return
    have = {source.name for source in info.config.sources or []}
    missing = [source for source in config.sources or [] if source.name not in have]
    if missing:
        info.config.sources = [*(info.config.sources or []), *missing]
        await js.update_stream(info.config)


async def ensure_event_streams(js: JetStreamContext, stream: str = ALL_EVENTS_STREAM) -> str:
    """Provision the events stream (its subjects by its name) and the dead-letter stream."""
    await ensure_stream(js, events_stream_config(stream, stream_subjects(stream)))
    await ensure_stream(js, events_stream_config(DEADLETTER_STREAM, [f"{DEADLETTER_ROOT}.>"]))
    return stream


async def ensure_checkpoint_stream(js: JetStreamContext, stream: str, subjects: list[str]) -> str:
    """Provision the stream of signed checkpoints, kept for good like the events."""
    await ensure_stream(js, events_stream_config(stream, subjects))
    return stream
