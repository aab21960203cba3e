"""The OpenAPI document lists the real answers, and /docs needs nothing from the internet."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[3]
SERVICES = sorted(path.parent.name for path in ROOT.glob("services/*/app.py"))


def _service(name: str) -> FastAPI:
    app: FastAPI = importlib.import_module(f"services.{name}.app").create()
    return app


def test_every_service_is_found() -> None:
    assert {"partners", "programs"} <= set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_every_list_page_is_bounded(name: str) -> None:
    """A list answers at most 500 items a page, and never an offset PostgreSQL cannot take."""
    document = _service(name).openapi()
    pages = 0
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                schema = (
                    next(iter(schema.get("anyOf", [])), schema) if "anyOf" in schema else schema
                )
                if parameter["in"] == "query" and parameter["name"] == "limit":
                    pages += 1
                    assert 0 < schema.get("maximum", 10**9) <= 500, path
                if parameter["in"] == "query" and parameter["name"] == "offset":
                    assert schema.get("maximum", 10**19) <= 2_000_000_000, path
    if name in ("partners", "programs"):
        assert pages >= 2


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_lists_its_real_answers(name: str) -> None:
    app = _service(name)
    document = app.openapi()
    schemas = document["components"]["schemas"]
    assert {"detail", "detail_en", "code", "status"} <= set(schemas["ProblemDetails"]["properties"])
    assert {"id", "version", "position", "events"} <= set(schemas["CommandResult"]["properties"])
    problem = {"$ref": "#/components/schemas/ProblemDetails"}
    result = {"$ref": "#/components/schemas/CommandResult"}
    commands = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert responses["422"]["content"]["application/problem+json"]["schema"] == problem
            if "{" in path:
                assert "404" in responses, path
            if method == "post" and {"200", "201"} & set(responses):  # a command
                commands += 1
                [ok] = {"200", "201"} & set(responses)
                assert responses[ok]["content"]["application/json"]["schema"] == result
                for status in ("409", "413"):
                    assert responses[status]["content"]["application/problem+json"]
    if name in ("partners", "programs"):
        assert commands >= 8
    assert "HTTPValidationError" not in schemas


def test_registering_answers_201_with_the_command_result() -> None:
    document = _service("partners").openapi()
    responses = document["paths"]["/partners"]["post"]["responses"]
    assert set(responses) >= {"201", "409", "413", "422"} and "200" not in responses


@pytest.mark.parametrize("name", SERVICES)
async def test_docs_page_and_assets_come_from_the_service_itself(name: str) -> None:
    app = _service(name)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert urls and all(url.startswith("/docs/assets/") for url in urls), urls
        assert "cdn" not in page.text.lower() and "http://" not in page.text
        for url in urls:
            asset = await client.get(url)
            assert asset.status_code == 200 and len(asset.content) > 500, url
        openapi: dict[str, Any] = (await client.get("/openapi.json")).json()
        assert "/healthz" in openapi["paths"]
        assert (await client.get("/redoc")).status_code == 404  # ReDoc would load from a CDN
