"""The `sahabat` command speaks like the API: an unknown region or service is one clear line
naming the valid ones (never a traceback), and a closed pipe ends it quietly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sahabat.cli import service_names


def _sahabat(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sahabat.cli", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "wrong", "valid"),
    [
        (
            ["verify", "--region", "jatimm", "--service", "partners"],
            "region 'jatimm'",
            "jatim, kalbar",
        ),
        (["verify", "--region", "jatim", "--service", "partner"], "service 'partner'", "partners"),
        (["rebuild", "--region", "Jatim", "--service", "programs"], "region 'Jatim'", "aceh"),
        (["rebuild", "--region", "jatim", "--service", "nope"], "service 'nope'", "programs"),
        (["events", "--region", "atlantis"], "region 'atlantis'", "papua"),
        (["events", "--service", "partner"], "service 'partner'", "partners, programs"),
        (["events", "--subject", "pas.events.jatimm.>"], "region 'jatimm'", "jatim"),
        (
            ["events", "--subject", "pas.events.jatim.programmes.>"],
            "service 'programmes'",
            "programs",
        ),
        (["demo", "--region", "jatimm", "--no-wait"], "region 'jatimm'", "jatim"),
        (["demo", "--regions", "jatim,atlantis", "--no-wait"], "region 'atlantis'", "jatim"),
    ],
)
def test_an_unknown_region_or_service_is_one_line(args: list[str], wrong: str, valid: str) -> None:
    answer = _sahabat(*args)
    assert answer.returncode == 2
    assert answer.stdout == ""
    lines = answer.stderr.splitlines()
    assert len(lines) == 1, answer.stderr
    assert f"unknown {wrong}" in lines[0] and valid in lines[0]


def test_the_services_are_found_in_the_repository() -> None:
    assert {"partners", "programs"} <= set(service_names())


def test_a_closed_pipe_ends_quietly() -> None:
    """`sahabat ... | head`: the reader leaves early; no BrokenPipeError is printed."""
    program = (
        "import sys\n"
        "from sahabat import cli\n"
        "def flood(args):\n"
        "    for i in range(200_000):\n"
        "        print('pas.events.jatim.partners.partner_registered', i)\n"
        "    return 0\n"
        "cli._run = flood\n"
        "sys.exit(cli.main(['schemas']))\n"
    )
    flood = subprocess.Popen(
        [sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert flood.stdout is not None and flood.stderr is not None
    head = flood.stdout.readline()  # what `head -1` reads, then it goes away
    flood.stdout.close()
    err = flood.stderr.read().decode()
    flood.wait(30)
    assert head.startswith(b"pas.events.jatim.partners")
    assert "BrokenPipeError" not in err and "Traceback" not in err, err
    assert flood.returncode == 1
