"""The OpenAPI document lists the real answers, and /docs needs nothing from the internet."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI


def _service(name: str) -> FastAPI:
    from services.partners.app import create as partners
    from services.programs.app import create as programs

    return partners() if name == "partners" else programs()


@pytest.mark.parametrize("name", ["partners", "programs"])
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
            if method == "post":
                commands += 1
                [ok] = {"200", "201"} & set(responses)
                assert responses[ok]["content"]["application/json"]["schema"] == result
                for status in ("409", "413"):
                    assert responses[status]["content"]["application/problem+json"]
    assert commands >= 8
    assert "HTTPValidationError" not in schemas


def test_registering_answers_201_with_the_command_result() -> None:
    document = _service("partners").openapi()
    responses = document["paths"]["/partners"]["post"]["responses"]
    assert set(responses) >= {"201", "409", "413", "422"} and "200" not in responses


async def test_docs_page_and_assets_come_from_the_service_itself() -> None:
    app = _service("programs")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert urls and all(url.startswith("/static/swagger-ui/") for url in urls), urls
        assert "cdn" not in page.text.lower() and "http://" not in page.text
        for url in urls:
            asset = await client.get(url)
            assert asset.status_code == 200 and len(asset.content) > 500, url
        openapi: dict[str, Any] = (await client.get("/openapi.json")).json()
        assert "/programs/{program_id}/advance" in openapi["paths"]
        assert (await client.get("/redoc")).status_code == 404  # ReDoc would load from a CDN
