"""`sahabat rebuild reporting`: rebuild the reporting projections without downtime.

Asks the running reporting service (its URL from `--url`, else from the
demo's stack.json) to build a new generation from the first event while the
current one keeps answering, then follows its progress until it switches.
When the service has an admin token, the same `PAS_ADMIN_TOKEN` in this
command's environment is sent as `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import httpx


def reporting_url(state: Path, explicit: str | None) -> str:
    if explicit:
        return explicit.rstrip("/")
    try:
        document = json.loads((state / "stack.json").read_text())
    except (OSError, ValueError):
        raise SystemExit(
            f"no {state / 'stack.json'}: pass --url of the reporting service, or run "
            "`sahabat demo` first"
        ) from None
    for services in (document.get("hub", {}).get("services", {}), document.get("services", {})):
        if "reporting" in services:
            return str(services["reporting"]).rstrip("/")
    raise SystemExit("the stack file names no reporting service: pass --url")


def admin_headers(env: dict[str, str] | None = None) -> dict[str, str]:
    """`Authorization` for the service's admin calls, from PAS_ADMIN_TOKEN (none if unset)."""
    token = (os.environ if env is None else env).get("PAS_ADMIN_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else {}


def rebuild_reporting(state: Path, *, url: str | None, wait: bool = True) -> int:
    base = reporting_url(state, url)
    with httpx.Client(base_url=base, timeout=30, headers=admin_headers()) as client:
        answer = client.post("/admin/rebuild")
        if answer.status_code != 202:
            print(f"rebuild refused ({answer.status_code}): {answer.text}", file=sys.stderr)
            if answer.status_code == 401:
                print(
                    "the reporting service has an admin token: set PAS_ADMIN_TOKEN to it",
                    file=sys.stderr,
                )
            return 1
        generation = answer.json()["generation"]
        print(f"building generation {generation} at {base} (the current one keeps answering)")
        if not wait:
            return 0
        while True:
            progress = client.get("/admin/rebuild").json()["rebuild"]
            if progress["state"] != "building":
                break
            time.sleep(0.5)
    if progress["state"] == "switched":
        print(
            f"switched to generation {generation}: {progress['applied']:,} events in "
            f"{progress['seconds']:.1f} s"
        )
        return 0
    print(f"rebuild failed: {progress.get('error')}", file=sys.stderr)
    return 1
