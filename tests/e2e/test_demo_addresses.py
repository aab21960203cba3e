"""`sahabat demo` keeps its addresses and cleans up its map.

One demo run (`--no-wait`: load, print, stop) on a fresh state folder: every
service listened on the port remembered for it in `ports.json` (so a second run
gets the same one while it is free, see tests/unit/test_ports.py and the dev
stack's test), and `stack.json` is gone once the demo has stopped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_the_demo_remembers_its_ports_and_removes_its_map(tmp_path: Path) -> None:
    state = tmp_path / "state"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sahabat.cli",
            "--state",
            str(state),
            "demo",
            "--region",
            "ntb",
            "--no-wait",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        # the demo's own servers, also when the suite runs against servers of your own
        env={k: v for k, v in os.environ.items() if k not in ("PAS_NATS_URL", "PAS_DATABASE_URL")},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ready = dict(re.findall(r"• (\w+) \(ntb\) ready at http://127\.0\.0\.1:(\d+)", done.stdout))
    assert {"partners", "programs"} <= set(ready), done.stdout[-2000:]
    ports = json.loads((state / "ports.json").read_text())
    for name, port in ready.items():
        assert ports[f"{name}-ntb"] == int(port), name
    assert {"nats-hub.client", "nats-ntb.client", "postgres"} <= set(ports)
    assert not (state / "stack.json").exists()
    assert "everything stopped" in done.stdout
