"""The OpenAPI document tells the answers a client really gets: each command's result body and
the problem+json errors (422, 404, 409, 413) with their schema, per the status rule of
shared.http.statuses.

Routes return `JSONResponse`s, so FastAPI cannot see these bodies: they are
added to the generated document here, once, for every route of every service.
The rule's defaults come from the route's shape (422 everywhere, 404 with an id
in the path, 409 and 413 for a POST); a route that can answer more (a read that
waits, an admin call behind a token) says so with `responses=problems({...})`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from shared.http.problems import PROBLEM


class RecordedEventRef(BaseModel):
    """One event a command recorded."""

    id: str = Field(description="The CloudEvent id (UUID v7)")
    type: str = Field(description="The event type, e.g. pas.partners.partner_registered.v1")
    position: int = Field(
        description="Its place in the service log (send it on as "
        "X-Partners-Position where a service asks for it)"
    )


class CommandResult(BaseModel):
    """What a command answers: the record, its new version (also the ETag) and the events."""

    id: str = Field(description="The record's id (UUID)")
    version: int = Field(
        description="The record's version after the command; send it back in "
        "If-Match to guard the next change"
    )
    position: int | None = Field(description="The log position of the last event recorded")
    events: list[RecordedEventRef]


class FieldError(BaseModel):
    field: str
    message: str = Field(description="Bahasa Indonesia")
    message_en: str = Field(description="English")
    type: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, as every error of every service is answered."""

    type: str
    title: str
    status: int
    code: str = Field(description="Stable machine code in English, e.g. partner_not_verified")
    detail: str = Field(description="What went wrong, in Bahasa Indonesia, for the officer")
    detail_en: str = Field(description="The same in English")
    instance: str
    field: str | None = Field(None, description="The input the problem is about, if one")
    errors: list[FieldError] | None = Field(None, description="invalid_input: one per field")


_ERRORS = {
    404: "The id in the path names no record (`<kind>_not_found`)",
    409: "The record's state forbids the command, it was changed meanwhile "
    "(`version_conflict`), or it is a duplicate",
    413: "The request body is larger than 1 MB (`body_too_large`)",
    422: "Invalid input: a value breaks a rule (`invalid_input` names the fields), an unknown "
    "query parameter, or an id in the body that names nothing (`unknown_<kind>`)",
}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
    }


def problems(descriptions: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """A route's own problem answers for its `responses=`: {status: what it means, with codes};
    each gets the ProblemDetails body. The rule's defaults (see `_statuses`) need not be listed,
    but a route may list one of them to say more precisely what it means there."""
    return {status: _problem(description) for status, description in descriptions.items()}


def _is_problem(response: Mapping[str, Any]) -> bool:
    return PROBLEM in response.get("content", {})


def _statuses(path: str, method: str) -> list[int]:
    statuses = [422]
    if "{" in path:
        statuses.append(404)
    if method == "post":
        statuses += [409, 413]
    return sorted(statuses)


def document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with the real command results and problem answers."""
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (CommandResult, ProblemDetails):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(found.pop("$defs", {}))
        components[model.__name__] = found
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            ok = next((code for code in ("201", "200") if code in responses), None)
            if method == "post" and ok is not None:  # a command (not a 202 job start)
                responses[ok] = {
                    "description": "Recorded" if ok == "201" else "Done",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/CommandResult"}
                        }
                    },
                }
            for status in _statuses(path, method):
                if not _is_problem(responses.get(str(status), {})):  # FastAPI's 422, or none
                    responses[str(status)] = _problem(_ERRORS[status])
    return schema


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` (and /openapi.json) return `document(app)`, built once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
