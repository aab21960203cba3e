"""The bench's table on the terminal and its JSON under bench/results/."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import Row, fmt

RESULTS = Path(__file__).parent / "results"


def table(rows: list[Row]) -> str:
    header = ("figure", "median", "unit", "raw limit (median)", "ratio", "target", "ok")
    lines = []
    for row in rows:
        limit = "-" if row.limit_name is None else f"{row.limit_name}: {fmt(row.limit)}"
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        target = "-" if row.target is None else row.target.text()
        met = {True: "yes", False: "NO", None: "-"}[row.met]
        value = "not measured yet" if not row.runs else fmt(row.value)
        lines.append((f"{row.group}: {row.name}", value, row.unit, limit, ratio, target, met))
    widths = [max(len(str(x[i])) for x in [header, *lines]) for i in range(len(header))]
    out = [" | ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    for line in lines:
        out.append(" | ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
    notes = [f"  {r.group}: {r.name}: {r.note}" for r in rows if r.note]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


def machine() -> dict[str, Any]:
    import psutil

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1e9, 1),
        "load_avg": os.getloadavg(),
    }


def write_json(rows: list[Row], meta: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}.json"
    doc = {"when": stamp, "machine": machine(), **meta, "rows": [r.to_json() for r in rows]}
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return path
