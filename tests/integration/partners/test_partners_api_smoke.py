"""The partners API in-process against real NATS and PostgreSQL: register, list, duplicate."""

import pytest

from services.partners.app import create
from tests.conftest import running_app

pytestmark = pytest.mark.integration

HEADERS = {"X-Actor": "budi@kanwil-jatim"}


async def test_register_then_list_and_duplicate(service_settings):
    app = create(service_settings("partners"))
    async with running_app(app) as client:
        body = {
            "kind": "religious_organization",
            "name": "Yayasan Al-Hikmah Sidoarjo",
            "contact": {"person_name": "Ahmad", "email": "ahmad@example.org"},
            "interests": ["personality_development"],
        }
        created = await client.post("/partners", json=body, headers=HEADERS)
        assert created.status_code == 201, created.text
        partner_id = created.json()["id"]
        listed = (await client.get("/partners", params={"status": "registered"})).json()
        assert [p["partner_id"] for p in listed["items"]] == [partner_id]
        again = await client.post(
            "/partners", json=body | {"name": "AL HIKMAH Sidoarjo"}, headers=HEADERS
        )
        assert again.status_code == 409
        assert again.json()["existing_partner_id"] == partner_id
        assert again.headers["content-type"] == "application/problem+json"
