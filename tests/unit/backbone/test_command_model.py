"""Commands refuse text PostgreSQL cannot store (NUL), naming the field; events do not check it."""

import pytest
from pydantic import ValidationError

from services.programs.commands import RecordMonitoring
from shared.events import CommandModel


class Note(CommandModel):
    text: str
    tags: tuple[str, ...] = ()


def test_nul_in_a_field_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError) as raised:
        Note(text="ok", tags=("a", "b\x00"))
    assert raised.value.errors()[0]["loc"] == ("tags",)


def test_plain_text_passes() -> None:
    assert Note(text="Pelatihan barista").text == "Pelatihan barista"


def test_programs_commands_use_it() -> None:
    with pytest.raises(ValidationError):
        RecordMonitoring(visited_on="2026-01-05", findings="baik\x00", rating=4)
