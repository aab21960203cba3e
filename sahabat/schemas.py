"""`sahabat schemas`: one JSON Schema per event type under docs/events/, and the AsyncAPI 3.0
document of them all (docs/events/asyncapi.json)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

SERVICES = ("partners", "programs", "outreach")


def write_schemas(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for service in SERVICES:
        registry = importlib.import_module(f"services.{service}.events").registry
        for model in registry.models():
            schema = model.model_json_schema()
            schema["$id"] = f"https://sahabat.pas.go.id/events/{model.TYPE}.json"
            schema["title"] = model.TYPE
            schema["x-aggregate"] = model.AGGREGATE
            schema["description"] = (model.__doc__ or "").strip().splitlines()[0]
            path = out / f"{model.TYPE}.json"
            path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
            written += 1
    from sahabat.asyncapi import document

    (out / "asyncapi.json").write_text(json.dumps(document(), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {written} event schemas and asyncapi.json (AsyncAPI 3.0) to {out}/")
    return 0
