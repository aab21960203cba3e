"""The README stands alone: every link points at a file of this repository that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_PATH_IN_CODE = re.compile(r"`(\.\./[^`]+)`")


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_links_point_at_files_of_the_repository() -> None:
    wrong = []
    for document in _documents():
        text = document.read_text(encoding="utf-8")
        for target in _LINK.findall(text):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or an anchor on the same page
            path = (document.parent / target.split("#", 1)[0]).resolve()
            if not path.is_relative_to(ROOT) or not path.exists():
                wrong.append(f"{document.name}: {target}")
        wrong += [f"{document.name}: {found}" for found in _PATH_IN_CODE.findall(text)]
    assert wrong == []


def test_the_architecture_is_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/architecture.md" in readme
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for must in ("hash chain", "One status per meaning", "Nats-Msg-Id", "stack.json"):
        assert must in architecture, must
