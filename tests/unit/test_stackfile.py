"""stack.json keeps its first keys and adds the hub and the regions (the shape of issue 10)."""

from __future__ import annotations

from sahabat.stackfile import hub_connection, region_connection, stack_document
from shared.devstack.stack import StackInfo
from shared.devstack.topology import Credentials, RegionNats, TopologyInfo


def _info() -> StackInfo:
    regions = {
        name: RegionNats(
            name,
            f"nats://127.0.0.1:{port}",
            Credentials(name, f"pw-{name}"),
            Credentials("admin", "secret"),
            f"PAS_EVENTS_{name.upper()}",
            f"PAS_CHECKPOINTS_{name.upper()}",
        )
        for name, port in (("jatim", 4001), ("jabar", 4002))
    }
    topology = TopologyInfo(
        ("nats://127.0.0.1:4000",),
        Credentials("admin", "hub-secret"),
        Credentials("reporting", "r"),
        Credentials("auditor", "a"),
        "PAS_EVENTS",
        regions,
    )
    return StackInfo("nats://127.0.0.1:4000", "postgresql://x", ("nats",), topology)


def test_stack_json_has_the_old_keys_and_the_topology() -> None:
    services = {
        "jatim": {"partners": "http://p1", "programs": "http://g1"},
        "jabar": {"partners": "http://p2", "programs": "http://g2"},
    }
    doc = stack_document(_info(), ["jatim", "jabar"], services, {"reporting": "http://r"})
    assert doc["nats_url"] == "nats://127.0.0.1:4000" == doc["hub"]["nats_url"]
    assert doc["database_url"] == "postgresql://x" and doc["region"] == "jatim"
    assert doc["services"] == {
        "partners": "http://p1",
        "programs": "http://g1",
        "reporting": "http://r",
    }
    assert doc["hub"]["services"] == {"reporting": "http://r"}
    assert doc["hub"]["credentials"] == {"user": "auditor", "password": "a"}  # read-only
    assert doc["regions"]["jabar"] == {
        "nats_url": "nats://127.0.0.1:4002",
        "stream": "PAS_EVENTS_JABAR",
        "credentials": {"user": "jabar", "password": "pw-jabar"},
        "services": services["jabar"],
    }
    assert "admin" not in str(doc) and "hub-secret" not in str(doc)


def test_services_get_their_regions_server_identity_and_stream() -> None:
    jabar = region_connection(_info(), "jabar")
    assert jabar.nats_url == "nats://127.0.0.1:4002"
    assert jabar.env == {
        "PAS_STREAM": "PAS_EVENTS_JABAR",
        "PAS_NATS_USER": "jabar",
        "PAS_NATS_PASSWORD": "pw-jabar",
    }
    hub = hub_connection(_info())
    assert (hub.nats_url, hub.env["PAS_NATS_USER"], hub.stream) == (
        "nats://127.0.0.1:4000",
        "reporting",
        "PAS_EVENTS",
    )


def test_a_plain_server_serves_every_region_from_one_stream() -> None:
    plain = StackInfo("nats://127.0.0.1:4000", "postgresql://x", ("nats",))
    assert region_connection(plain, "jabar").env == {"PAS_STREAM": "PAS_EVENTS"}
    doc = stack_document(plain, ["jatim"], {"jatim": {"partners": "http://p"}}, {})
    assert doc["regions"]["jatim"]["nats_url"] == doc["nats_url"]
    assert "credentials" not in doc["regions"]["jatim"]
