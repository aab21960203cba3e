"""Every service serves its public keys at GET /audit/keys and signs its head when it stops."""

from __future__ import annotations

import json
import stat
import uuid
from collections.abc import Callable

import pytest
from nats.aio.client import Client as NATS

from services.partners.app import create
from shared.audit.checkpoint import checkpoint_signature_ok
from shared.settings import Settings
from tests.conftest import running_app
from tests.integration.audit.kit import CHECKPOINTS
from tests.integration.support import stream_messages

pytestmark = pytest.mark.integration


async def test_a_service_serves_its_keys_and_signs_its_head_at_stop(
    service_settings: Callable[..., Settings], nc: NATS
) -> None:
    settings = service_settings("partners")
    async with running_app(create(settings)) as client:
        served = (await client.get("/audit/keys")).json()
        created = await client.post(
            "/partners",
            headers={"X-Actor": "budi@kanwil-jatim"},
            json={
                "kind": "community_organization",
                "name": f"Pokmas {uuid.uuid4().hex[:8]}",
                "contact": {"person_name": "Siti Aminah", "phone": "+62 812-3456-7890"},
                "interests": ["reintegration"],
            },
        )
        assert created.status_code == 201, created.text
    [key] = served["keys"]
    assert set(key) == {"key_id", "region", "service", "public_key", "valid_from"}
    assert (key["region"], key["service"]) == ("jatim", "partners")
    assert stat.S_IMODE(settings.signing_key_path.stat().st_mode) == 0o600

    msgs = await stream_messages(nc, CHECKPOINTS, "pas.checkpoints.jatim.partners")
    mine = [json.loads(m.data)["data"] for m in msgs]
    mine = [data for data in mine if data["key_id"] == key["key_id"]]
    assert mine, "no checkpoint signed at stop"
    assert mine[-1]["position"] == created.json()["position"]
    assert checkpoint_signature_ok(mine[-1], key["public_key"])
