"""Checking one bundled log's checkpoints: signatures, key rotations, and the chain's hashes.

Every checkpoint must be signed by a key of its log that was announced (the
log's first key, or one a rotation signed with the key before it), and its
hash must be the chain's at its position; one beyond the last event means
events are missing at the end.
"""

from __future__ import annotations

import json
import zipfile
from typing import Any

from shared.audit.bundle_report import BundleReport, Finding, LogResult
from shared.audit.checkpoint import (
    CHECKPOINT_TYPE,
    DATA_KEYS,
    checkpoint_signature_ok,
    rotation_of,
    rotation_signature_ok,
)


def check_checkpoints(
    zf: zipfile.ZipFile,
    names: set[str],
    entry: dict[str, Any],
    keys: dict[str, dict[str, str]],
    hashes: dict[int, str],
    complete: bool,
    result: LogResult,
    report: BundleReport,
) -> None:
    """Check one log's signed checkpoints against its chain's hashes and its keys' rotations."""
    log, name = entry["log"], entry["checkpoints_file"]
    if name not in names:
        return
    own = sorted(
        (k for k in keys.values() if f"{k['region']}/{k['service']}" == log),
        key=lambda k: k["valid_from"],
    )
    trusted = {own[0]["key_id"]} if own else set()
    last_position = max(hashes, default=0)
    for number, line in enumerate(zf.read(name).splitlines(), start=1):
        try:
            event = json.loads(line)
            data = event["data"]
            position = int(data["position"])
        except (ValueError, KeyError, TypeError):
            report.findings.append(Finding(name, log, None, f"line {number} is no checkpoint"))
            continue
        label = (
            f"checkpoint {event.get('id')} (signed {data.get('signed_at')}, "
            f"key {data.get('key_id')})"
        )
        key = keys.get(str(data.get("key_id")))
        if (
            event.get("type") != CHECKPOINT_TYPE
            or set(data) != DATA_KEYS
            or f"{data['region']}/{data['service']}" != log
        ):
            report.findings.append(Finding(name, log, position, f"{label} is not of this log"))
            continue
        if key is None or f"{key['region']}/{key['service']}" != log:
            report.findings.append(Finding(name, log, position, f"{label}: key not in keys.json"))
            continue
        if not checkpoint_signature_ok(data, key["public_key"]):
            report.findings.append(Finding(name, log, position, f"{label}: bad signature"))
            continue
        if data["key_id"] not in trusted:
            report.findings.append(
                Finding(
                    name,
                    log,
                    position,
                    f"{label}: key never announced by a checkpoint signed with the key before it",
                )
            )
            continue
        successor = rotation_of(event)
        if successor is not None:
            if rotation_signature_ok(event, key["public_key"]):
                trusted.add(successor["key_id"])
            else:
                report.findings.append(
                    Finding(name, log, position, f"{label}: bad key rotation signature")
                )
        result.checkpoints += 1
        result.keys.add(data["key_id"])
        if position in hashes:
            if hashes[position] != data["hash"]:
                report.findings.append(
                    Finding(
                        entry["events_file"],
                        log,
                        position,
                        f"history rewritten: the chain's hash here differs from {label}",
                    )
                )
            else:
                result.last_signed = max(result.last_signed, position)
        elif complete and position > last_position:
            report.findings.append(
                Finding(
                    entry["events_file"],
                    log,
                    position,
                    f"events missing at the end: {label} names position {position}, "
                    f"the log ends at {last_position}",
                )
            )
    if complete and result.checkpoints == 0 and hashes:
        report.warnings.append(f"{log}: no signed checkpoint: its chain is not anchored")
    elif complete and result.last_signed < last_position:
        report.warnings.append(
            f"{log}: positions {result.last_signed + 1}–{last_position} "
            "come after the last checkpoint (not yet signed)"
        )
