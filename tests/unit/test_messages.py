"""Every problem a regional officer can get reads in Bahasa Indonesia.

The codes are found in the source (the AST of each service's domain/ and api/
modules), so a new DomainError or Problem without a catalogue entry fails here,
as does a catalogue entry nothing raises any more. Then the sentences are
filled with no, partial and odd values (never raising, never showing a bare
`{placeholder}`), and an app built by create_app answers, in process, a DomainError, a
validation error and an unknown address in Indonesian, with the English kept.
"""

from __future__ import annotations

import ast
import importlib
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, ConfigDict, Field

from services.partners.api import messages as partners_messages
from services.programs.api import messages as programs_messages
from shared.commands import IdempotencyKeyReused
from shared.decider import DomainError
from shared.eventstore import ConcurrencyError, DuplicateKeyError
from shared.http.app import create_app
from shared.http.problems import (
    VALIDATION_MESSAGES,
    domain_detail,
    render,
    validation_message,
)
from shared.http.statuses import expected_status

ROOT = Path(__file__).resolve().parents[2]


def _catalogues() -> dict[str, Any]:
    """Every running service's catalogue (`api/messages.py` beside an `app.py`), found on disk: a
    new service is checked with no change here, from the moment it has an app."""
    names = [
        path.parents[1].name
        for path in sorted(ROOT.glob("services/*/api/messages.py"))
        if (path.parents[1] / "app.py").exists()
    ]
    return {name: importlib.import_module(f"services.{name}.api.messages") for name in names}


CATALOGUES = _catalogues()


# --- the codes in the source ----------------------------------------------------------------


@dataclass
class Raised:
    """The codes one service raises, where, and the values its raise sites pass."""

    codes: dict[str, list[str]] = field(default_factory=dict)
    statuses: dict[str, dict[str, int | None]] = field(default_factory=dict)  # {where: status}
    english: dict[str, dict[str, list[str] | None]] = field(default_factory=dict)  # {where: texts}
    indonesian: dict[str, dict[str, ast.expr]] = field(default_factory=dict)  # Problem's detail
    keys: dict[str, set[str]] = field(default_factory=dict)  # detail/extra keys by code
    open_keys: set[str] = field(default_factory=set)  # codes raised with non-literal details
    unresolved: list[str] = field(default_factory=list)

    def add(
        self,
        code: str,
        where: str,
        keys: set[str] | None,
        status: int | None = 404,
        english: list[str] | None = None,
    ) -> None:
        self.codes.setdefault(code, []).append(where)
        self.statuses.setdefault(code, {})[where] = status
        self.english.setdefault(code, {})[where] = english
        self.keys.setdefault(code, set())
        if keys is None:
            self.open_keys.add(code)
        else:
            self.keys[code] |= keys


def _modules(service: str) -> Iterator[Path]:
    """Every module of the service (domain, handlers, api, ...), or of shared/http."""
    folder = ROOT / "shared" / "http" if service == SHARED else ROOT / "services" / service
    yield from sorted(folder.rglob("*.py"))


SHARED = "shared"


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


class _Scopes:
    """Assignments of one module, to resolve a code passed as a variable."""

    def __init__(self, tree: ast.Module) -> None:
        self.module: dict[str, list[ast.expr]] = {}
        for node in tree.body:
            for target, value in _assignments(node):
                self.module.setdefault(target, []).append(value)
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent

    def function_of(self, node: ast.AST) -> ast.AST | None:
        current = node
        while current in self.parents:
            current = self.parents[current]
            if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
                return current
        return None

    def assigned(self, name: str, near: ast.AST) -> list[ast.expr]:
        function = self.function_of(near)
        found: list[ast.expr] = []
        if function is not None:
            for node in ast.walk(function):
                for target, value in _assignments(node):
                    if target == name:
                        found.append(value)
        return found or self.module.get(name, [])


def _assignments(node: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    """`name = value`, and `name, other = value` as (name, value[0]) for what `_strings` reads."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target.id, node.value
            elif isinstance(target, ast.Tuple):
                for index, element in enumerate(target.elts):
                    if isinstance(element, ast.Name):
                        yield element.id, ast.Subscript(value=node.value, slice=ast.Constant(index))
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        yield node.target.id, node.value


def _strings(expr: ast.expr, scopes: _Scopes, near: ast.AST, depth: int = 0) -> set[str] | None:
    """The literal strings `expr` can be, or None when it cannot be told from the source."""
    if depth > 5:
        return None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        body = _strings(expr.body, scopes, near, depth + 1)
        other = _strings(expr.orelse, scopes, near, depth + 1)
        return None if body is None or other is None else body | other
    if isinstance(expr, ast.Name):
        values = scopes.assigned(expr.id, near)
        out: set[str] = set()
        for value in values:
            found = _strings(value, scopes, near, depth + 1)
            if found is None:
                return None
            out |= found
        return out or None
    if isinstance(expr, ast.Subscript):
        # `table[key][0]` (a tuple unpacked from a dict of tuples) or `table[key]`.
        index = None
        inner: ast.expr = expr
        if isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, int):
            index, inner = expr.slice.value, expr.value
        if isinstance(inner, ast.Subscript):
            inner = inner.value
        tables = (
            [inner]
            if isinstance(inner, ast.Dict)
            else (scopes.assigned(inner.id, near) if isinstance(inner, ast.Name) else [])
        )
        out = set()
        for table in tables:
            if not isinstance(table, ast.Dict):
                return None
            for value in table.values:
                if index is not None and isinstance(value, ast.Tuple):
                    value = value.elts[index]
                found = _strings(value, scopes, near, depth + 1)
                if found is None:
                    return None
                out |= found
        return out or None
    return None


def _detail_keys(call: ast.Call, kind: str) -> set[str] | None:
    """The keys a raise site fills: `details={...}` and `field=` (DomainError), or the
    keyword extras (Problem); None when the details are not a literal dict."""
    keys: set[str] = set()
    for keyword in call.keywords:
        if keyword.arg is None:
            return None
        if keyword.arg == "field":
            keys.add("field")
        elif keyword.arg == "details":
            if not isinstance(keyword.value, ast.Dict):
                return None
            for key in keyword.value.keys:
                if key is None:  # {**other}
                    return None
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    keys.add(key.value)
        elif kind == "Problem":
            keys.add(keyword.arg)
    return keys


def _status(call: ast.Call, kind: str) -> int | None:
    """The status a raise site answers with (DomainError's default is 422); None if not literal."""
    if kind == "Problem":
        expr = (
            call.args[0]
            if call.args
            else next((k.value for k in call.keywords if k.arg == "status"), None)
        )
    else:
        expr = next((k.value for k in call.keywords if k.arg == "status"), ast.Constant(422))
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int):
        return expr.value
    return None


OPAQUE = "(English made at run time)"


def _english(call: ast.Call, kind: str, scopes: _Scopes) -> list[str] | None:
    """The literal English of a raise site (DomainError's message, Problem's `detail_en`), each
    text it can be; None when there is none."""
    position = 1 if kind == "DomainError" else 3
    found = next(
        (
            k.value
            for k in call.keywords
            if k.arg == ("message" if kind == "DomainError" else "detail_en")
        ),
        None,
    )
    if found is None and len(call.args) > position:
        found = call.args[position]
    if found is None:
        return None
    if isinstance(found, ast.Call | ast.Attribute):
        return [OPAQUE]  # English made at run time (`str(exc)`): present, not readable here
    literal = _strings(found, scopes, call)
    if literal is not None:
        return sorted(literal)
    values = scopes.assigned(found.id, call) if isinstance(found, ast.Name) else [found]
    return [_literal_text(value) for value in values] or None


def raised(service: str) -> Raised:
    """Every code the service's domain/ and api/ modules raise, read from their AST."""
    out = Raised()
    for path in _modules(service):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        scopes = _Scopes(tree)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            kind = _name(call.func)
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            if kind == "aggregate_document":
                # shared.http.documents answers 404 `{kind}_not_found` for an unknown id.
                for keyword in call.keywords:
                    if keyword.arg == "kind":
                        kinds = _strings(keyword.value, scopes, call)
                        if kinds is None:
                            out.unresolved.append(where)
                        for name in kinds or ():
                            out.add(
                                f"{name}_not_found", where, set(), 404, [f"no {name} with this id"]
                            )
                continue
            if kind not in ("DomainError", "Problem"):
                continue
            position = 0 if kind == "DomainError" else 1
            code_expr = next((k.value for k in call.keywords if k.arg == "code"), None)
            if code_expr is None and len(call.args) > position:
                code_expr = call.args[position]
            if code_expr is None:
                out.unresolved.append(where)
                continue
            codes = _strings(code_expr, scopes, call)
            if codes is None:
                # Passing on a code raised elsewhere (`exc.code`) is fine; anything else is not.
                if not (isinstance(code_expr, ast.Attribute) and code_expr.attr == "code"):
                    out.unresolved.append(f"{where}: {ast.unparse(code_expr)}")
                continue
            for code in codes:
                out.add(
                    code,
                    where,
                    _detail_keys(call, kind),
                    _status(call, kind),
                    _english(call, kind, scopes),
                )
                if kind == "Problem" and len(call.args) > 2:
                    out.indonesian.setdefault(code, {})[where] = call.args[2]
    return out


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def service(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_source_walk_finds_the_codes_it_should() -> None:
    """Guards the walker itself: literal, conditional, table and aggregate_document codes."""
    partners, programs = raised("partners").codes, raised("programs").codes
    for code in (
        "partner_not_verified",
        "already_withdrawn",
        "unit_code_not_allowed",
        "unit_code_required",
        "partner_suspended",
        "duplicate_partner",
        "agreement_not_found",
        "ambassador_not_found",
        "unknown_region",
    ):
        assert code in partners, code
    for code in (
        "invalid_transition",
        "no_valid_agreement",
        "duplicate_unit",
        "program_not_found",
        "unit_not_found",
    ):
        assert code in programs, code


def test_every_code_resolves(service: str) -> None:
    assert raised(service).unresolved == []


def test_every_raised_code_has_an_indonesian_sentence(service: str) -> None:
    messages = CATALOGUES[service].MESSAGES
    missing = {code: where for code, where in raised(service).codes.items() if code not in messages}
    assert missing == {}, f"add these codes to services/{service}/api/messages.py"


def test_every_sentence_belongs_to_a_raised_code(service: str) -> None:
    stale = set(CATALOGUES[service].MESSAGES) - set(raised(service).codes)
    assert stale == set(), "nothing raises these codes any more"


def _placeholders(template: str) -> set[str]:
    names = set()
    for _, name, _, _ in string.Formatter().parse(template.replace("[", "").replace("]", "")):
        if name:
            names.add(re.split(r"[.\[]", name, maxsplit=1)[0])
    return names


def test_placeholders_name_values_the_raise_sites_pass(service: str) -> None:
    """A `{key}` no raise site passes would never be filled: most likely a typo."""
    found = raised(service)
    wrong = {}
    for code, template in CATALOGUES[service].MESSAGES.items():
        if code in found.open_keys:
            continue
        unknown = _placeholders(template) - found.keys.get(code, set())
        if unknown:
            wrong[code] = unknown
    assert wrong == {}


# --- the sentences ----------------------------------------------------------------------------

_ODD_VALUES: list[dict[str, Any]] = [
    {},
    {"field": "ends_on"},
    {"stage": None, "phase": None, "expected": None, "from": {}, "to": []},
    {"expected": "not-a-dict", "from": 42, "partner_id": {"nested": [1, None]}, "on": "2024-13-45"},
    {"expected": {"stage": "independent_program"}, "role": "", "status": True},
]


def _looks_finished(text: str) -> None:
    assert text and text[0].isupper(), text
    assert text.endswith("."), text
    assert not re.search(r"[{}\[\]\x00]", text), text
    assert "  " not in text and " ;" not in text and " ." not in text, text


def test_every_sentence_fills_with_any_details(service: str) -> None:
    catalogue = CATALOGUES[service]
    for code, template in catalogue.MESSAGES.items():
        for values in _ODD_VALUES:
            _looks_finished(render(template, values, catalogue.TERMS))
        error = DomainError(code, "english", details={})
        assert domain_detail(error, catalogue.MESSAGES, catalogue.TERMS) != "english"


def test_placeholders_are_all_optional(service: str) -> None:
    """With no details at all a sentence is the plain sentence, never a half-filled one."""
    catalogue = CATALOGUES[service]
    for code, template in catalogue.MESSAGES.items():
        plain = render(template, {}, {})
        assert render(template, {"field": None}, catalogue.TERMS) == plain, code


def test_sentences_fill_from_details_and_field() -> None:
    programs = programs_messages
    error = DomainError(
        "invalid_transition",
        "a program moves exactly one step forward",
        status=409,
        field="to_stage",
        details={
            "from": {"stage": "continued_collaboration", "phase": None},
            "to": {"stage": "independent_program", "phase": "planning"},
            "expected": {"stage": "independent_program", "phase": "design"},
        },
    )
    assert domain_detail(error, programs.MESSAGES, programs.TERMS) == (
        "Program hanya dapat maju satu tahap; tahap berikutnya adalah program pembinaan "
        "mandiri, fase perancangan (ide dan strategi)."
    )
    late = DomainError(
        "date_in_future",
        "held_on cannot be in the future",
        field="held_on",
        details={"today": "2024-06-12"},
    )
    assert domain_detail(late, programs.MESSAGES, programs.TERMS) == (
        "Tanggal kegiatan tidak boleh melewati hari ini (12 Juni 2024)."
    )
    bare = DomainError("invalid_transition", "a program moves exactly one step forward")
    assert domain_detail(bare, programs.MESSAGES, programs.TERMS) == (
        "Program hanya dapat maju satu tahap."
    )
    unknown = DomainError("not_in_any_catalogue", "the English message")
    assert domain_detail(unknown, programs.MESSAGES, programs.TERMS) == "the English message"


def test_render_never_raises_on_a_malformed_sentence() -> None:
    for template in ("{", "}", "{x", "[{x}", "a]b[", "{x!z}", "{x:%%}", "[{0}|{}]", "{x.y}"):
        assert isinstance(render(template, {"x": 1}), str)


def test_every_common_pydantic_error_type_has_indonesian() -> None:
    for kind in (
        "missing",
        "string_too_short",
        "string_too_long",
        "string_pattern_mismatch",
        "enum",
        "int_parsing",
        "greater_than_equal",
        "less_than_equal",
        "date_parsing",
        "uuid_parsing",
        "json_invalid",
        "value_error",
        "extra_forbidden",
        "literal_error",
        "date_from_datetime_parsing",
        "bool_parsing",
        "too_short",
    ):
        assert kind in VALIDATION_MESSAGES, kind
        _looks_finished(validation_message({"type": kind, "ctx": {}}))
    assert (
        validation_message({"type": "enum", "ctx": {"expected": "'mou' or 'pks'"}})
        == "Nilai tidak dikenal; pilih salah satu: 'mou' atau 'pks'."
    )
    assert (
        validation_message({"type": "string_too_long", "ctx": {"max_length": 200}})
        == "Terlalu panjang; paling banyak 200 karakter."
    )


def test_validator_texts_translate_through_the_terms() -> None:
    error = {
        "type": "value_error",
        "ctx": {"error": ValueError("give a phone number or an e-mail address")},
    }
    assert validation_message(error, partners_messages.TERMS) == (
        "Isi nomor telepon atau alamat e-mail."
    )
    region = {"type": "unknown_region", "ctx": {"region": "jatimm", "expected": "aceh, jatim"}}
    assert validation_message(region, programs_messages.TERMS) == (
        "Kode wilayah (Kanwil) jatimm tidak dikenal; pilih salah satu: aceh, jatim."
    )
    assert validation_message({"type": "value_error", "ctx": {"error": ValueError("new")}}) == (
        "Nilai tidak valid."
    )


# --- in process: an app built by create_app ---------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=5)
    score: int = Field(ge=1, le=5)


def _app() -> FastAPI:
    router = APIRouter()

    @router.post("/refuse")
    async def refuse() -> None:
        raise DomainError(
            "partner_not_verified", "verify the partner first", status=409, field="partner_id"
        )

    @router.post("/stray")
    async def stray() -> None:
        raise DomainError("no_sentence_for_this", "plain English")

    @router.post("/body")
    async def body(payload: _Body) -> dict[str, str]:
        return {"name": payload.name}

    def no_runtime() -> Any:
        raise AssertionError("the lifespan does not run: no servers")

    return create_app(
        no_runtime,
        [router],
        title="t",
        description="d",
        messages=partners_messages.MESSAGES,
        terms=partners_messages.TERMS,
    )


def _client(app: FastAPI) -> httpx.AsyncClient:
    """In process, no lifespan: the app's runtime (servers) is never made."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_a_domain_error_answers_in_indonesian_with_the_english_kept() -> None:
    app = _app()
    assert app.state.messages == partners_messages.MESSAGES
    async with _client(app) as client:
        answer = await client.post("/refuse")
        stray = (await client.post("/stray")).json()
    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["code"] == "partner_not_verified"
    assert problem["detail"] == (
        "Mitra belum diverifikasi; perjanjian hanya dapat ditandatangani oleh mitra yang sudah "
        "diverifikasi."
    )
    assert problem["detail_en"] == "verify the partner first"
    assert problem["field"] == "partner_id"
    assert stray["detail"] == stray["detail_en"] == "plain English"


async def test_validation_errors_carry_indonesian_and_english_messages() -> None:
    async with _client(_app()) as client:
        sent = {"name": "too long", "score": 9, "extra": 1}
        problem = (await client.post("/body", json=sent)).json()
        missing = (await client.post("/body", json={})).json()["errors"]
        broken = (
            await client.post(
                "/body", content=b"{bad", headers={"content-type": "application/json"}
            )
        ).json()["errors"]
    assert problem["code"] == "invalid_input"
    by_field = {error["field"]: error for error in problem["errors"]}
    assert set(by_field) == {"name", "score", "extra"}
    assert problem["detail"].startswith("Data tidak valid pada: ")
    assert by_field["name"]["message"] == "Terlalu panjang; paling banyak 5 karakter."
    assert by_field["name"]["message_en"].startswith("String should have at most 5")
    assert by_field["score"]["message"] == "Nilai paling tinggi 5."
    assert by_field["extra"]["type"] == "extra_forbidden"
    assert {e["message"] for e in missing} == {"Wajib diisi."}
    assert broken[0]["type"] == "json_invalid"
    assert broken[0]["message"].startswith("Isi permintaan bukan JSON yang sah")


async def test_an_unknown_address_answers_in_indonesian() -> None:
    async with _client(_app()) as client:
        problem = (await client.get("/nowhere")).json()
    assert problem["code"] == "http_404"
    assert problem["detail"] == "Alamat yang diminta tidak ditemukan."
    assert problem["detail_en"] == "Not Found"


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_the_service_apps_carry_their_catalogue(name: str) -> None:
    """Building the app needs no servers: the runtime is made in the lifespan only."""
    app = importlib.import_module(f"services.{name}.app").create()
    assert app.state.messages == CATALOGUES[name].MESSAGES
    assert app.state.terms == CATALOGUES[name].TERMS


# --- one status per meaning (shared.http.statuses) --------------------------------------------


def _rule(service: str, code: str) -> int:
    catalogue = CATALOGUES.get(service)
    return expected_status(
        code,
        conflicts=getattr(catalogue, "CONFLICTS", ()),
        unavailable=getattr(catalogue, "UNAVAILABLE", ()),
    )


@pytest.mark.parametrize("scope", [*sorted(CATALOGUES), SHARED])
def test_every_raise_site_answers_the_status_of_the_rule(scope: str) -> None:
    """404 only for `<kind>_not_found` (the path's id), 409 for the catalogue's CONFLICTS
    (a state that forbids the command), 503 for UNAVAILABLE, 422 for everything else."""
    found = raised(scope)
    wrong = {
        f"{code} at {where}": f"{status}, the rule says {_rule(scope, code)}"
        for code, sites in found.statuses.items()
        for where, status in sites.items()
        if status != _rule(scope, code)
    }
    assert wrong == {}, "fix the status, or the code's place in CONFLICTS / UNAVAILABLE"


def test_a_code_has_one_status_in_every_service() -> None:
    statuses: dict[str, set[int | None]] = {}
    for scope in [*CATALOGUES, SHARED]:
        for code, sites in raised(scope).statuses.items():
            statuses.setdefault(code, set()).update(sites.values())
    assert {code: found for code, found in statuses.items() if len(found) > 1} == {}


def test_the_rule_reads_as_written() -> None:
    assert expected_status("partner_not_found") == 404
    assert expected_status("unknown_partner") == 422
    assert expected_status("partner_suspended", conflicts={"partner_suspended"}) == 409
    assert expected_status("version_conflict") == 409
    assert expected_status("body_too_large") == 413
    assert expected_status("invalid_input") == 422


def test_conflicts_name_raised_codes(service: str) -> None:
    catalogue = CATALOGUES[service]
    listed = set(getattr(catalogue, "CONFLICTS", ())) | set(getattr(catalogue, "UNAVAILABLE", ()))
    assert listed - set(raised(service).codes) == set()


# --- every problem in both languages ----------------------------------------------------------

_ENGLISH_ONLY = {
    "the",
    "is",
    "are",
    "not",
    "must",
    "has",
    "have",
    "yet",
    "retry",
    "this",
    "that",
    "with",
    "of",
    "and",
    "or",
    "to",
    "be",
    "try",
    "again",
    "already",
    "cannot",
    "only",
    "no",
    "was",
    "were",
    "its",
    "from",
    "check",
    "a",
    "an",
    "never",
    "needs",
    "need",
    "for",
    "by",
    "at",
    "on",
    "in",
    "after",
    "before",
}
_INDONESIAN_ONLY = {
    "yang",
    "tidak",
    "dan",
    "atau",
    "sudah",
    "belum",
    "harus",
    "dengan",
    "untuk",
    "dari",
    "ini",
    "wajib",
    "pada",
    "hanya",
    "dapat",
    "coba",
    "lagi",
    "mitra",
    "sebagai",
    "berupa",
    "paling",
}


def _literal_text(expr: ast.expr | None) -> str:
    """The literal words of a str or f-string expression (what is filled in left out)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ast.JoinedStr):
        return " ".join(_literal_text(v) for v in expr.values if isinstance(v, ast.Constant))
    if isinstance(expr, ast.BinOp):
        return f"{_literal_text(expr.left)} {_literal_text(expr.right)}"
    return ""


def _words(text: str) -> set[str]:
    """Lower-case words outside brackets, backticks and placeholders (codes and field names)."""
    text = re.sub(r"\([^()]*\)|`[^`]*`|\{[^{}]*\}", " ", text)
    tokens = re.findall(r"[\w-]+", text.lower())
    return {token for token in tokens if token.isalpha()}  # ids and numbers are no words


def _is_english(text: str) -> bool:
    words = _words(text)
    return bool(words & _ENGLISH_ONLY) and not words & _INDONESIAN_ONLY


def _is_indonesian(text: str) -> bool:
    return not _words(text) & _ENGLISH_ONLY


@pytest.mark.parametrize("scope", [*sorted(CATALOGUES), SHARED])
def test_every_raise_site_has_english_for_detail_en(scope: str) -> None:
    """DomainError's message and Problem's `detail_en` are the English the answer carries."""
    found = raised(scope)
    wrong = {
        f"{code} at {where}": texts
        for code, sites in found.english.items()
        for where, texts in sites.items()
        if not texts or not all(_is_english(text) for text in texts if text != OPAQUE)
    }
    assert wrong == {}


@pytest.mark.parametrize("scope", [*sorted(CATALOGUES), SHARED])
def test_every_indonesian_text_is_indonesian(scope: str) -> None:
    texts = {
        f"{code} at {where}": _literal_text(text)
        for code, sites in raised(scope).indonesian.items()
        for where, text in sites.items()
    }
    if scope in CATALOGUES:
        texts |= {
            f"{code} in the catalogue": text for code, text in CATALOGUES[scope].MESSAGES.items()
        }
    assert texts
    assert {key: text for key, text in texts.items() if not _is_indonesian(text)} == {}


def test_the_language_checks_tell_the_languages_apart() -> None:
    assert _is_english("the partner is suspended")
    assert not _is_english("Mitra sedang ditangguhkan.")
    assert _is_indonesian("Mitra sedang ditangguhkan (partner_suspended).")
    assert _is_indonesian("Mitra belum dikenal (The programs service has it not yet).") is not False
    assert not _is_indonesian("Coba lagi. The partner is not known yet; retry.")


def _shared_app() -> FastAPI:
    router = APIRouter()

    @router.post("/stale")
    async def stale() -> None:
        raise ConcurrencyError(uuid4(), 2, 3)

    @router.post("/twice")
    async def twice() -> None:
        raise DuplicateKeyError("partner", "key", uuid4())

    @router.post("/reused")
    async def reused() -> None:
        raise IdempotencyKeyReused("k")

    @router.post("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    @router.get("/search")
    async def search(q: str | None = None) -> dict[str, str | None]:
        return {"q": q}

    def no_runtime() -> Any:
        raise AssertionError("the lifespan does not run: no servers")

    return create_app(no_runtime, [router], title="t", description="d")


async def test_every_shared_problem_answers_in_both_languages() -> None:
    transport = httpx.ASGITransport(app=_shared_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = {
            "version_conflict": await client.post("/stale"),
            "duplicate": await client.post("/twice"),
            "idempotency_key_reused": await client.post("/reused"),
            "internal_error": await client.post("/boom"),
            "actor_required": await client.get("/healthz", headers={}),
            "http_404": await client.get("/nowhere"),
            "http_405": await client.delete("/healthz"),
            "unknown_query_parameter": await client.get("/healthz?name=X"),
            "invalid_input": await client.get("/search?q=%00abc"),
        }
    answers.pop("actor_required")  # a GET sends no actor: shown through the catalogue walk
    for code, answer in answers.items():
        problem = answer.json()
        assert problem["code"] == code, problem
        assert answer.headers["content-type"] == "application/problem+json"
        assert problem["detail"] and problem["detail_en"], problem
        assert _is_indonesian(problem["detail"]), problem
        assert problem["detail"] != problem["detail_en"], problem
