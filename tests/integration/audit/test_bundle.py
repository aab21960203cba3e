"""Evidence bundles: exported from NATS, verified offline by Sahabat and by the standalone verifier.

Each kind of damage is detected and named (file, log, position) by both.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from shared.audit import bundle
from shared.audit.bundle_verify import verify_bundle
from tests.integration.audit.kit import SignedLog, rehash_lines, rewrite_zip

pytestmark = pytest.mark.integration

STANDALONE = Path(__file__).parents[3] / "docs" / "audit" / "verify_bundle.py"


def standalone(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(STANDALONE), str(path)], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
async def exported(signed: SignedLog, tmp_path: Path) -> Path:
    out = tmp_path / "bundle.zip"
    await signed.export(out)
    return out


async def test_an_exported_bundle_verifies(signed: SignedLog, exported: Path) -> None:
    with zipfile.ZipFile(exported) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read(bundle.MANIFEST))
        lines = zf.read(bundle.events_file("jatim", signed.kit.service)).splitlines()
        readme = zf.read(bundle.README).decode()
    assert names == {
        "README.md",
        "manifest.json",
        "keys.json",
        f"logs/jatim/{signed.kit.service}/events.jsonl",
        f"logs/jatim/{signed.kit.service}/checkpoints.jsonl",
    }
    assert set(manifest["files"]) == names - {"manifest.json"}
    [entry] = manifest["logs"]
    head = await signed.kit.store.head()
    assert (entry["first_position"], entry["last_position"], entry["head_hash"]) == (1, *head)
    assert entry["checkpoints"] == 3 and entry["last_checkpoint"]["position"] == 260
    assert manifest["created_by"] == "auditor@test" and manifest["created_at"].endswith("Z")
    assert [json.loads(line)["position"] for line in lines] == list(range(1, 261))
    assert "Cara memeriksa" in readme and "To check it" in readme

    report = verify_bundle(exported)
    assert report.ok, [str(f) for f in report.findings]
    assert report.events == 260 and report.logs[0].last_signed == 260
    result = standalone(exported)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "260 events checked" in result.stdout


async def test_as_of_keeps_what_was_recorded_by_then(signed: SignedLog, tmp_path: Path) -> None:
    events = [e async for batch in signed.kit.store.read_log() for e in batch]
    moment = datetime.fromisoformat(events[149].time.replace("Z", "+00:00"))
    manifest = await signed.export(tmp_path / "asof.zip", as_of=moment)
    [entry] = manifest["logs"]
    assert entry["last_position"] >= 150
    assert all(e.time <= events[149].time for e in events[: entry["last_position"]])
    assert entry["last_checkpoint"]["position"] <= entry["last_position"]
    assert verify_bundle(tmp_path / "asof.zip").ok


def _set_data(event: dict[str, Any]) -> None:
    event["data"]["name"] = "dipalsukan"


def _tamper(lines: list[bytes]) -> None:
    event = json.loads(lines[99])
    _set_data(event)
    lines[99] = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


def _remove(lines: list[bytes]) -> None:
    del lines[99]


def _reorder(lines: list[bytes]) -> None:
    lines[99], lines[100] = lines[100], lines[99]


def _rehash(lines: list[bytes]) -> None:
    rehash_lines(lines, 99, _set_data)


def _bad_signature(lines: list[bytes]) -> None:
    event = json.loads(lines[1])
    signature = event["data"]["signature"]
    event["data"]["signature"] = ("A" if signature[0] != "A" else "B") + signature[1:]
    lines[1] = json.dumps(event).encode()


EVENTS, CHECKPOINTS = "events.jsonl", "checkpoints.jsonl"

DAMAGE: dict[str, tuple[str, Callable[[list[bytes]], None], bool, int, str, str]] = {
    # name: (file, change, update manifest digest, position named, our words, standalone words)
    "tampered event": (
        EVENTS,
        _tamper,
        True,
        100,
        "stored hash does not match its content",
        "hash does not match",
    ),
    "removed event": (
        EVENTS,
        _remove,
        True,
        100,
        "position 100 expected, found 101",
        "position 100 expected, found 101",
    ),
    "reordered pair": (
        EVENTS,
        _reorder,
        True,
        100,
        "position 100 expected, found 101",
        "position 100 expected, found 101",
    ),
    "rewritten and rehashed": (
        EVENTS,
        _rehash,
        True,
        120,
        "history rewritten",
        "history rewritten",
    ),
    "bad signature": (CHECKPOINTS, _bad_signature, True, 250, "bad signature", "bad signature"),
    "changed file": (
        EVENTS,
        _tamper,
        False,
        -1,
        "SHA-256 differs from the manifest's",
        "SHA-256 differs from manifest.json",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
async def test_damage_is_detected_and_named(
    signed: SignedLog, exported: Path, tmp_path: Path, damage: str
) -> None:
    file, change, update, position, ours, theirs = DAMAGE[damage]
    path = f"logs/jatim/{signed.kit.service}/{file}"
    damaged = tmp_path / "damaged.zip"
    rewrite_zip(exported, damaged, file=path, change=change, update_manifest=update)

    report = verify_bundle(damaged)
    assert not report.ok
    named = [f for f in report.findings if ours in f.problem]
    assert named, [str(f) for f in report.findings]
    finding = named[0]
    if position > 0:
        assert finding.log == signed.log and finding.position == position, str(finding)
    else:
        assert finding.file == path and finding.log == signed.log, str(finding)

    result = standalone(damaged)
    assert result.returncode == 1, result.stdout
    fails = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert any(theirs in line and path.rsplit("/", 1)[0] in line for line in fails), fails
    if position > 0:
        assert any(
            f"[{signed.log}] position {position}:" in line and theirs in line for line in fails
        ), fails


async def test_a_rotated_key_verifies_only_with_its_announcement(
    signed: SignedLog, tmp_path: Path
) -> None:
    old = signed.keys.current
    new = signed.keys.rotate()
    await signed.add(5)
    signer = signed.new_signer(every_events=100, every_seconds=3600)
    await signer.start()  # the announcement (old key), then the new key's first checkpoint
    await signed.add(100)
    assert (await signer.tick() or {}).get("key_id") == new.key_id
    out = tmp_path / "rotated.zip"
    await signed.export(out)
    report = verify_bundle(out)
    assert report.ok, [str(f) for f in report.findings]
    assert report.logs[0].keys == {old.key_id, new.key_id}
    assert report.logs[0].last_signed == 365
    assert standalone(out).returncode == 0

    # without the announcement the new key is not trusted, whatever keys.json says
    path = f"logs/jatim/{signed.kit.service}/checkpoints.jsonl"

    def drop_announcement(lines: list[bytes]) -> None:
        lines[:] = [line for line in lines if b'"nextkeyid"' not in line]

    unannounced = tmp_path / "unannounced.zip"
    rewrite_zip(out, unannounced, file=path, change=drop_announcement)
    findings = [f for f in verify_bundle(unannounced).findings if "never announced" in f.problem]
    assert findings and findings[0].position == 265, findings
    result = standalone(unannounced)
    assert result.returncode == 1
    assert "position 265" in result.stdout and "not announced" in result.stdout
