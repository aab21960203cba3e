"""The dev stack's port book: the same port as last time when it is free, a new one when not."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from shared.devstack.ports import FILE_NAME, is_free, remembered_port


def test_a_free_port_is_given_again(tmp_path: Path) -> None:
    first = remembered_port(tmp_path, "partners-jatim")
    assert is_free(first)
    assert remembered_port(tmp_path, "partners-jatim") == first
    assert json.loads((tmp_path / FILE_NAME).read_text()) == {"partners-jatim": first}


def test_a_taken_port_is_replaced_and_the_new_one_remembered(tmp_path: Path) -> None:
    first = remembered_port(tmp_path, "nats-hub.client")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", first))
        squatter.listen()
        second = remembered_port(tmp_path, "nats-hub.client")
        assert second != first and not is_free(first)
    assert remembered_port(tmp_path, "nats-hub.client") == second


def test_two_names_never_share_a_port(tmp_path: Path) -> None:
    taken = remembered_port(tmp_path, "a")
    (tmp_path / FILE_NAME).write_text(json.dumps({"a": taken, "b": taken}))  # an edited book
    ports = [remembered_port(tmp_path, name) for name in ("a", "b", "c", "d")]
    assert len(set(ports)) == 4 and taken in ports


def test_a_broken_book_is_started_afresh(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("{not json")
    assert remembered_port(tmp_path, "postgres") > 0
