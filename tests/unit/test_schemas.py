"""docs/events/ holds one JSON Schema per event type, up to date with the models."""

import json
from pathlib import Path

from sahabat.schemas import write_schemas

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"


def test_committed_schemas_match_the_models(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    generated = {p.name: p.read_text() for p in tmp_path.glob("*.json")}
    committed = {p.name: p.read_text() for p in DOCS.glob("*.json")}
    assert generated == committed, "run `make schemas` and commit docs/events/"


def test_personal_data_is_marked_in_the_schema() -> None:
    schema = json.loads((DOCS / "pas.partners.partner_registered.v1.json").read_text())
    assert schema["properties"]["contact"]["x-personal-data"] is True
    assert schema["properties"]["nik"]["x-personal-data"] is True


def test_outreach_personal_data_is_marked_in_the_schema() -> None:
    schema = json.loads((DOCS / "pas.outreach.prospect_identified.v1.json").read_text())
    assert schema["properties"]["name"]["x-personal-data"] is True
    assert schema["properties"]["contact"]["x-personal-data"] is True
    assert schema["x-aggregate"] == "prospect"
