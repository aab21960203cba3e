"""`sahabat verify`'s auditor checks of one log: PostgreSQL, NATS and the signed checkpoints.

A chain that verifies can still have been rewritten by someone able to
recompute every hash after a change; a checkpoint signed before the change,
kept in the checkpoint stream, cannot be recomputed. So the log is read from
PostgreSQL and from the events stream (what auditors see), each chain is
verified, each checkpoint's signature is checked (when keys are given) and its
hash is compared with both chains, and the two chains are compared position by
position: the first position where they differ is where the rewrite begins.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from nats.js import JetStreamContext

from shared.audit.checkpoint import checkpoint_signature_ok, checkpoint_subject
from shared.audit.natsread import read_subject
from shared.canonical import ZERO_HASH
from shared.envelope import EnvelopeInvalid, RecordedEvent, log_subjects
from shared.envelope_parse import parse_cloudevent
from shared.verify import VerifyReport, check_batch, verify_log


@dataclass
class ChainView:
    """One reading of a log: its verification and the hashes by position."""

    where: str
    report: VerifyReport
    hashes: dict[int, str] = field(default_factory=dict)


@dataclass
class LogCheck:
    log: str
    chains: list[ChainView] = field(default_factory=list)
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(view.report.ok for view in self.chains)


async def _recording(
    batches: AsyncIterator[list[RecordedEvent]], hashes: dict[int, str]
) -> AsyncIterator[list[RecordedEvent]]:
    async for batch in batches:
        for event in batch:
            hashes[event.position] = event.hash
        yield batch


async def chain_from_postgres(
    batches: AsyncIterator[list[RecordedEvent]], progress: Callable[[int], None] | None = None
) -> ChainView:
    hashes: dict[int, str] = {}
    report = await verify_log(_recording(batches, hashes), progress)
    return ChainView("PostgreSQL", report, hashes)


async def chain_from_stream(
    js: JetStreamContext, stream: str, region: str, service: str
) -> ChainView:
    """The log as the events stream holds it, de-duplicated by id, in position order."""
    by_id: dict[str, RecordedEvent] = {}
    async for batch in read_subject(js, stream, log_subjects(region, service)):
        for payload in batch:
            try:
                event = parse_cloudevent(payload)
            except EnvelopeInvalid as exc:
                report = VerifyReport(0, 0, len(by_id) + 1, f"a message is no event: {exc}")
                return ChainView(f"NATS ({stream})", report)
            by_id.setdefault(event.id, event)
    events = sorted(by_id.values(), key=lambda e: e.position)
    last_hash, position, checked, failure = check_batch(events, ZERO_HASH, 1)
    report = VerifyReport(checked, position - 1, position if failure else None, failure)
    return ChainView(f"NATS ({stream})", report, {e.position: e.hash for e in events[:checked]})


async def checkpoints_of(
    js: JetStreamContext, stream: str, region: str, service: str
) -> list[dict[str, Any]]:
    """The checkpoint CloudEvents of one log, as published."""
    return [
        json.loads(payload)
        async for batch in read_subject(js, stream, checkpoint_subject(region, service))
        for payload in batch
    ]


def compare(check: LogCheck, keys: dict[str, dict[str, str]] | None) -> None:
    """Judge the checkpoints against the chains and the chains against each other."""
    signed = 0
    for event in check.checkpoints:
        data = event.get("data", {})
        label = (
            f"checkpoint {event.get('id')} (position {data.get('position')}, signed "
            f"{data.get('signed_at')}, key {data.get('key_id')})"
        )
        if keys is not None:
            key = keys.get(str(data.get("key_id")))
            if key is None:
                check.problems.append(f"UNKNOWN KEY {check.log}: {label}")
                continue
            if not checkpoint_signature_ok(data, key["public_key"]):
                check.problems.append(f"BAD SIGNATURE {check.log}: {label}")
                continue
            signed += 1
        position = data.get("position")
        for view in check.chains:
            if not view.report.ok:
                continue  # a broken chain is reported as such
            if position in view.hashes:
                if view.hashes[position] != data.get("hash"):
                    check.problems.append(
                        f"REWRITTEN {check.log} in {view.where}: the chain is consistent but "
                        f"position {position} disagrees with {label}"
                    )
            elif isinstance(position, int) and position > view.report.last_position:
                check.problems.append(
                    f"MISSING {check.log} in {view.where}: {label} names a position after "
                    f"the log's end ({view.report.last_position})"
                )
    if keys is None:
        check.notes.append("signatures not checked: no public keys (see --keys)")
    elif check.checkpoints:
        check.notes.append(f"{signed} checkpoint signatures valid")
    _compare_chains(check)


def _compare_chains(check: LogCheck) -> None:
    if len(check.chains) < 2:
        return
    first, second = check.chains[0], check.chains[1]
    for position in sorted(set(first.hashes) & set(second.hashes)):
        if first.hashes[position] != second.hashes[position]:
            check.problems.append(
                f"DIFFERENT {check.log}: {first.where} and {second.where} differ from "
                f"position {position} on"
            )
            return
