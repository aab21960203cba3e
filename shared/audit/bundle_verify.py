"""Checking an evidence bundle with no server: digests, positions, hashes, signatures.

Every failure is a `Finding` naming the file, the log and (where there is one)
the position. Checks, per bundle and per log:

* every file's SHA-256 equals the manifest's, no file missing or unlisted;
* each key's `key_id` is the SHA-256 prefix of its public key;
* the events run from position 1 without gaps, each `prevhash` is the hash
  before it and each `hash` is recomputed (shared.verify.check_batch); the
  manifest's first and last position and head hash are the chain's;
* every checkpoint is signed by a key of its log in keys.json, every key
  after the log's first is announced by a checkpoint signed with the key
  before it, and every checkpoint's hash is the chain's at its position
  (one that is not: the history up to there was rewritten); a checkpoint
  beyond the last event means events are missing at the end.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared.audit import bundle
from shared.audit.bundle_checkpoints import check_checkpoints
from shared.audit.bundle_report import BundleReport, Finding, LogResult
from shared.audit.keys import b64url_decode, key_id_of
from shared.canonical import ZERO_HASH
from shared.envelope import EnvelopeInvalid, RecordedEvent
from shared.envelope_parse import parse_cloudevent
from shared.verify import check_batch

__all__ = ["BundleReport", "Finding", "LogResult", "verify_bundle"]


def verify_bundle(path: Path, progress: Callable[[str], None] | None = None) -> BundleReport:
    """Check the bundle at `path`; `progress` hears each log's name as it is checked."""
    report = BundleReport()
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if bundle.MANIFEST not in names:
            report.findings.append(Finding(bundle.MANIFEST, None, None, "missing"))
            return report
        manifest = json.loads(zf.read(bundle.MANIFEST))
        _check_digests(zf, names, manifest, report)
        keys = _load_keys(zf, names, report)
        for entry in manifest.get("logs", []):
            if progress is not None:
                progress(entry["log"])
            report.logs.append(_check_log(zf, names, entry, keys, report))
    return report


def _check_digests(
    zf: zipfile.ZipFile, names: set[str], manifest: dict[str, Any], report: BundleReport
) -> None:
    listed: dict[str, str] = manifest.get("files", {})
    for name, digest in listed.items():
        if name not in names:
            report.findings.append(Finding(name, None, None, "listed in the manifest, missing"))
        elif bundle.sha256_hex(zf.read(name)) != digest:
            report.findings.append(
                Finding(name, _log_of(name), None, "SHA-256 differs from the manifest's")
            )
    for name in sorted(names - set(listed) - {bundle.MANIFEST}):
        report.findings.append(Finding(name, None, None, "not listed in the manifest"))


def _log_of(name: str) -> str | None:
    parts = name.split("/")
    return f"{parts[1]}/{parts[2]}" if len(parts) == 4 and parts[0] == "logs" else None


def _load_keys(
    zf: zipfile.ZipFile, names: set[str], report: BundleReport
) -> dict[str, dict[str, str]]:
    if bundle.KEYS not in names:
        report.findings.append(Finding(bundle.KEYS, None, None, "missing"))
        return {}
    keys = {}
    for key in json.loads(zf.read(bundle.KEYS)).get("keys", []):
        log = f"{key.get('region')}/{key.get('service')}"
        try:
            actual = key_id_of(b64url_decode(key["public_key"]))
        except (KeyError, ValueError):
            actual = None
        if actual != key.get("key_id"):
            report.findings.append(
                Finding(
                    bundle.KEYS, log, None, f"key {key.get('key_id')} is not its public key's id"
                )
            )
            continue
        keys[key["key_id"]] = key
    return keys


def _read_events(
    zf: zipfile.ZipFile, name: str, log: str, report: BundleReport
) -> list[RecordedEvent] | None:
    events = []
    for number, line in enumerate(zf.read(name).splitlines(), start=1):
        try:
            events.append(parse_cloudevent(line))
        except (EnvelopeInvalid, ValueError) as exc:
            position = events[-1].position + 1 if events else 1
            report.findings.append(
                Finding(name, log, position, f"line {number} is no event CloudEvent: {exc}")
            )
            return None
    return events


def _check_log(
    zf: zipfile.ZipFile,
    names: set[str],
    entry: dict[str, Any],
    keys: dict[str, dict[str, str]],
    report: BundleReport,
) -> LogResult:
    log, region, service = entry["log"], entry["region"], entry["service"]
    result = LogResult(log)
    name = entry["events_file"]
    events = _read_events(zf, name, log, report) if name in names else None
    if events is None:
        return result
    source = f"/pas/{region}/{service}"
    for event in events:
        if event.source != source or event.region != region:
            report.findings.append(
                Finding(name, log, event.position, f"event {event.id} belongs to {event.source}")
            )
            return result
    last_hash, next_position, checked, failure = check_batch(events, ZERO_HASH, 1)
    result.events, result.last_position = checked, next_position - 1
    if failure is not None:
        report.findings.append(Finding(name, log, next_position, failure))
    hashes = {event.position: event.hash for event in events[:checked]}
    expected = (1 if checked else 0, result.last_position, last_hash, checked)
    stated = (
        entry.get("first_position"),
        entry.get("last_position"),
        entry.get("head_hash"),
        entry.get("events"),
    )
    if failure is None and expected != stated:
        report.findings.append(
            Finding(
                bundle.MANIFEST,
                log,
                result.last_position,
                f"manifest states first/last/head/events {stated}, the chain has {expected}",
            )
        )
    check_checkpoints(zf, names, entry, keys, hashes, failure is None, result, report)
    return result
