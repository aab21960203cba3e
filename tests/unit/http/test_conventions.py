"""The HTTP conventions every service shares, in process (no servers): query strings, the body
limit, malformed JSON, patterns in words, and the same on the real partners and programs apps."""

from __future__ import annotations

import importlib
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Query
from pydantic import BaseModel

from shared.events import CommandModel
from shared.http.app import create_app
from shared.http.limits import MAX_BODY_BYTES
from shared.regions import KnownRegion
from shared.textrules import MAX_QUERY_TEXT, described_pattern


class _Thing(CommandModel):
    code: Annotated[str, described_pattern(r"^\d{4}$", id="4 angka", en="4 digits")]
    note: str = ""


def _app() -> FastAPI:
    router = APIRouter()

    @router.get("/things")
    async def things(
        region: KnownRegion | None = None,
        code: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        return {"region": region, "code": code, "limit": limit}

    @router.post("/things", status_code=201)
    async def add(thing: _Thing) -> dict[str, Any]:
        return thing.model_dump()

    def no_runtime() -> Any:
        raise AssertionError("the lifespan does not run: no servers")

    return create_app(no_runtime, [router], title="t", description="d")


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with _client(_app()) as client:
        yield client


def _problem(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["code"] == code, body
    assert body["detail"] and body["detail_en"]
    return body


# --- query strings ----------------------------------------------------------------------------


async def test_an_unknown_query_parameter_is_refused_by_name(client: httpx.AsyncClient) -> None:
    problem = _problem(await client.get("/things?name=X&sort=y"), 422, "unknown_query_parameter")
    assert problem["parameters"] == ["name", "sort"]
    assert problem["allowed"] == ["code", "limit", "region"]
    assert "name, sort" in problem["detail"] and "name, sort" in problem["detail_en"]
    assert (await client.get("/things?code=A1&limit=5")).json()["code"] == "A1"


async def test_an_unknown_region_is_refused_naming_it(client: httpx.AsyncClient) -> None:
    problem = _problem(await client.get("/things?region=jatimm"), 422, "invalid_input")
    [error] = problem["errors"]
    assert error["field"] == "region" and error["type"] == "unknown_region"
    assert error["message"].startswith("Kode wilayah (Kanwil) jatimm tidak dikenal; pilih ")
    assert "jatim" in error["message"] and "jatimm" in error["message_en"]
    assert (await client.get("/things?region=jatim")).json()["region"] == "jatim"


@pytest.mark.parametrize("value", ["%00abc", "a%0Ab", "%1B[31m", "x%7F"])
async def test_control_characters_in_a_query_are_refused(
    client: httpx.AsyncClient, value: str
) -> None:
    problem = _problem(await client.get(f"/things?code={value}"), 422, "invalid_input")
    [error] = problem["errors"]
    assert error["field"] == "code" and error["type"] == "text_control_character"
    assert "karakter kontrol" in error["message"] and "U+00" in error["message"]


async def test_an_overlong_query_value_is_refused(client: httpx.AsyncClient) -> None:
    problem = _problem(
        await client.get(f"/things?code={'x' * (MAX_QUERY_TEXT + 1)}"), 422, "invalid_input"
    )
    assert problem["errors"][0]["message"] == (
        f"Terlalu panjang; paling banyak {MAX_QUERY_TEXT} karakter."
    )
    assert (await client.get(f"/things?code={'x' * MAX_QUERY_TEXT}")).status_code == 200


# --- bodies -----------------------------------------------------------------------------------


async def test_a_body_over_the_limit_is_413_before_it_is_parsed(
    client: httpx.AsyncClient,
) -> None:
    big = b'{"code": "1234", "note": "' + b"x" * MAX_BODY_BYTES + b'"}'
    problem = _problem(
        await client.post("/things", content=big, headers={"content-type": "application/json"}),
        413,
        "body_too_large",
    )
    assert problem["max_bytes"] == MAX_BODY_BYTES

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked
        for _ in range(11):
            yield b" " * 100_000

    _problem(
        await client.post(
            "/things", content=chunks(), headers={"content-type": "application/json"}
        ),
        413,
        "body_too_large",
    )
    fits = json.dumps({"code": "1234", "note": "x" * 900_000}).encode()
    assert (
        await client.post("/things", content=fits, headers={"content-type": "application/json"})
    ).status_code == 201


async def test_malformed_json_is_told_by_line_and_column(client: httpx.AsyncClient) -> None:
    body = b'{\n  "code": "1234",\n  "note": oops\n}'
    problem = _problem(
        await client.post("/things", content=body, headers={"content-type": "application/json"}),
        422,
        "invalid_input",
    )
    [error] = problem["errors"]
    assert error["field"] == "body"
    assert error["message"] == (
        "Isi permintaan bukan JSON yang sah: nilai diharapkan pada baris 3, kolom 11; periksa "
        "tanda kutip, koma, dan kurung."
    )
    assert error["message_en"] == (
        "The body is not valid JSON: Expecting value at line 3, column 11"
    )


async def test_a_body_that_is_not_utf8_is_invalid_input_not_a_bare_400(
    client: httpx.AsyncClient,
) -> None:
    """Found by schemathesis: FastAPI answered such a body 400 "error parsing the body"."""
    body = b'{"code": "12\xff4"}'
    problem = _problem(
        await client.post("/things", content=body, headers={"content-type": "application/json"}),
        422,
        "invalid_input",
    )
    [error] = problem["errors"]
    assert error["field"] == "body" and error["type"] == "body_not_utf8"
    assert error["message"] == (
        "Isi permintaan bukan teks UTF-8 yang sah (byte ke-13); kirim JSON dalam UTF-8."
    )
    assert error["message_en"] == (
        "The body is not UTF-8 text (byte 13); send JSON encoded as UTF-8"
    )


async def test_a_pattern_is_told_in_words_never_as_a_regex(client: httpx.AsyncClient) -> None:
    problem = _problem(await client.post("/things", json={"code": "12a"}), 422, "invalid_input")
    [error] = problem["errors"]
    assert error["message"] == "Formatnya tidak sesuai; harus berupa 4 angka."
    assert error["message_en"] == "Must be 4 digits"
    assert "^" not in problem["detail"] and "\\d" not in json.dumps(problem)


async def test_control_characters_in_a_body_are_refused_except_line_breaks(
    client: httpx.AsyncClient,
) -> None:
    problem = _problem(
        await client.post("/things", json={"code": "1234", "note": "a\x07b"}), 422, "invalid_input"
    )
    assert problem["errors"][0]["field"] == "note"
    assert "U+0007" in problem["errors"][0]["message"]
    ok = await client.post("/things", json={"code": "1234", "note": "baris 1\nbaris 2\tok"})
    assert ok.status_code == 201


def test_every_pattern_of_every_command_is_described() -> None:
    """A regex in a command's schema without words would reach an officer as a regex."""
    import services.partners.commands as partners
    import services.programs.commands as programs
    from shared.textrules import PATTERN_WORDS

    def patterns(schema: Any) -> set[str]:
        if isinstance(schema, dict):
            found = {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
            return found.union(*(patterns(v) for v in schema.values()))
        if isinstance(schema, list):
            return set().union(*(patterns(v) for v in schema))
        return set()

    models = [
        m
        for module in (partners, programs)
        for m in vars(module).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m is not BaseModel
    ]
    used = set().union(*(patterns(m.model_json_schema()) for m in models))
    assert used, "the walk found no pattern at all"
    assert used - set(PATTERN_WORDS) == set()


# --- the real services ------------------------------------------------------------------------


def _service(name: str) -> FastAPI:
    from services.partners.app import create as partners
    from services.programs.app import create as programs

    app = partners() if name == "partners" else programs()
    app.state.runtime = object()  # never reached: the requests below are refused before
    return app


@pytest.mark.parametrize(
    ("service", "path", "code"),
    [
        ("partners", "/partners?nama=X", "unknown_query_parameter"),
        ("partners", "/partners?region=jatimm", "invalid_input"),
        ("partners", "/agreements?nomor=W15", "unknown_query_parameter"),
        ("programs", "/units?code=%00abc", "invalid_input"),
        ("programs", "/programs?region=jatimm", "invalid_input"),
        ("programs", "/programs?judul=Kelas", "unknown_query_parameter"),
    ],
)
async def test_the_services_refuse_bad_queries(service: str, path: str, code: str) -> None:
    async with _client(_service(service)) as client:
        _problem(await client.get(path), 422, code)


async def test_the_services_refuse_big_bodies() -> None:
    async with _client(_service("partners")) as client:
        big = b"[" + b"1," * 600_000 + b"1]"
        _problem(
            await client.post(
                "/partners", content=big, headers={"content-type": "application/json"}
            ),
            413,
            "body_too_large",
        )


async def test_a_page_keeps_its_query_for_its_script() -> None:
    """The dashboard reads `?region=…&lang=…` in the browser: pages are not checked."""
    app = importlib.import_module("services.reporting.app").create()
    async with _client(app) as client:
        page = await client.get("/?region=jatim&lang=en&from=2026-01-01")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert (await client.get("/docs?x=1")).status_code == 200
        _problem(
            await client.get("/reports/evaluation?regoin=jatim"), 422, "unknown_query_parameter"
        )
