"""Every outreach operation in its own OpenAPI, fed odd input: never a 5xx, always problem+json.

Not a full fuzzer: for each operation, path ids that are no UUID or no known
id, query values of the wrong type or out of range, odd headers, and bodies
of the wrong shape, with each field of the schema set to values of every
wrong kind (and NUL characters, huge strings and numbers) one at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from nats.aio.client import Client as NATS

from services.outreach.app import create as create_outreach
from shared.settings import Settings
from tests.conftest import running_app

pytestmark = pytest.mark.integration

ODD: list[Any] = [
    None,
    "",
    "x",
    "\x00",
    "a" * 5000,
    -1,
    0,
    10**20,
    1.5,
    True,
    [],
    {},
    ["\x00"],
    {"a": {"b": {"c": []}}},
    "2026-02-30",
    "9999-12-31",
    "../../etc",
    "' OR 1=1 --",
]
PATH_IDS = ["not-a-uuid", str(uuid.uuid4()), "0" * 40, "%00"]
QUERIES = [
    {"limit": "0"},
    {"limit": "-5"},
    {"limit": "x"},
    {"offset": str(10**30)},
    {"region": "Jawa Timur"},
    {"from": "2026-13-01"},
    {"from": "2026-12-01", "to": "2026-01-01"},
    {"status": "deleted"},
    {"channel": "radio_show"},
    {"ambassador_id": "x"},
    {"medium": "x"},
]
HEADERS = [
    {},
    {"X-Actor": ""},
    {"X-Actor": "a b"},
    {"If-Match": "nope"},
    {"If-Match": '"999999999999"'},
    {"Idempotency-Key": "k" * 500},
    {"X-Partners-Position": "-1"},
    {"X-Partners-Position": "99999999999999999999"},
]


def bodies(schema: dict[str, Any], components: dict[str, Any]) -> Iterator[Any]:
    """Odd bodies for a request schema: wrong shapes, then each field set to each odd value."""
    yield from (None, [], "x", 1, {})
    ref = schema.get("$ref", "")
    model = components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
    fields = list(model.get("properties", {}))
    for name in fields:
        for value in ODD:
            yield {name: value}


async def test_no_input_gives_a_5xx(nc: NATS, service_settings: Callable[..., Settings]) -> None:
    async with running_app(create_outreach(service_settings("outreach"))) as api:
        spec = (await api.get("/openapi.json")).json()
        components = spec.get("components", {}).get("schemas", {})
        sent = 0
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                body_schema = (
                    operation.get("requestBody", {})
                    .get("content", {})
                    .get("application/json", {})
                    .get("schema")
                )
                for pid in PATH_IDS:
                    url = path
                    for param in operation.get("parameters", []):
                        if param["in"] == "path":
                            url = url.replace("{" + param["name"] + "}", pid)
                    tries: list[dict[str, Any]] = [{"params": q} for q in QUERIES]
                    tries += [{"headers": {"X-Actor": "fuzz", **h}} for h in HEADERS]
                    if body_schema is not None:
                        tries += [
                            {"json": b, "headers": {"X-Actor": "fuzz"}}
                            for b in bodies(body_schema, components)
                        ]
                    for kwargs in tries:
                        response = await api.request(method.upper(), url, **kwargs)
                        sent += 1
                        assert response.status_code < 500, (method, url, kwargs, response.text)
                        if response.status_code >= 400:
                            assert response.headers["content-type"].startswith(
                                "application/problem+json"
                            ), (method, url, response.text)
        assert sent > 1000
