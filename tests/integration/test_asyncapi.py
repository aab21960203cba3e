"""docs/events/asyncapi.json is valid AsyncAPI 3.0 by the AsyncAPI project's own parser
(@asyncapi/parser, installed from the npm registry into build/node on first use) and covers
every event type."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sahabat.asyncapi import document

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "build" / "node"
PARSER = "@asyncapi/parser@3.6.6"
pytestmark = pytest.mark.integration


def _parser_installed() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run the AsyncAPI parser")
    if not (NODE_DIR / "node_modules" / "@asyncapi" / "parser").exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(NODE_DIR),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                PARSER,
            ],
            check=True,
            timeout=300,
        )
    script = NODE_DIR / "validate_asyncapi.mjs"  # beside node_modules, so the import resolves
    shutil.copyfile(ROOT / "tests" / "tools" / "validate_asyncapi.mjs", script)
    return script


def test_asyncapi_document_is_valid_and_complete(tmp_path: Path) -> None:
    script = _parser_installed()
    committed = json.loads((ROOT / "docs" / "events" / "asyncapi.json").read_text())
    assert committed == document(), "run `make schemas` and commit docs/events/asyncapi.json"
    schemas = {p.name.removesuffix(".json") for p in (ROOT / "docs/events").glob("pas.*.json")}
    assert {m["title"] for m in committed["components"]["messages"].values()} == schemas
    result = subprocess.run(
        ["node", str(script), str(ROOT / "docs/events/asyncapi.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary == {"version": "3.0.0", "channels": len(schemas), "messages": len(schemas)}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({**committed, "channels": {"x": {"address": 5}}}))
    result = subprocess.run(
        ["node", str(script), str(broken)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1  # the parser does refuse a wrong document
