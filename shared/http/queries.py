"""The query-string convention of every route: only the parameters it declares, plain text.

`GET /partners?name=X` must not quietly list everything as though `name` were
a search: a parameter the route does not declare is refused (422
`unknown_query_parameter`, naming it and the ones the route knows). Every value
follows the shared text rules (shared.textrules): no control characters, NUL
included, and at most MAX_QUERY_TEXT characters, answered as `invalid_input`
with the parameter named, never a 500 from the database.

`check_query` is installed for every route by shared.http.app.create_app; the
declared names are read from the route itself, so a route needs nothing extra.
Pages (routes left out of the OpenAPI document) are not checked: their query
string belongs to the script in the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from shared.http.problems import Problem
from shared.textrules import MAX_QUERY_TEXT, control_character_error

_DECLARED = "_sahabat_query_names"


def _query_names(dependant: Any) -> Iterator[str]:
    for param in dependant.query_params:
        yield str(getattr(param, "alias", None) or param.name)
    for sub in dependant.dependencies:
        yield from _query_names(sub)


def declared_query(route: APIRoute) -> frozenset[str]:
    """The query parameter names a route (with its dependencies) declares; cached on it."""
    names = getattr(route, _DECLARED, None)
    if names is None:
        names = frozenset(_query_names(route.dependant))
        setattr(route, _DECLARED, names)
    return names  # type: ignore[no-any-return]


async def check_query(request: Request) -> None:
    """Refuse unknown query parameters, and values that break the shared text rules."""
    if not request.url.query:
        return
    route = request.scope.get("route")
    if not getattr(route, "include_in_schema", True):
        return  # a page (the dashboard, /docs): its query is read by its script in the browser
    declared = declared_query(route) if isinstance(route, APIRoute) else frozenset()
    unknown = sorted({name for name in request.query_params if name not in declared})
    if unknown:
        listed = ", ".join(unknown)
        allowed = ", ".join(sorted(declared)) or "-"
        raise Problem(
            422,
            "unknown_query_parameter",
            f"Parameter tidak dikenal: {listed}. Parameter yang dapat dipakai di alamat ini: "
            f"{allowed}.",
            f"Unknown query parameter: {listed}. This address takes: {allowed}.",
            parameters=unknown,
            allowed=sorted(declared),
        )
    errors: list[dict[str, Any]] = []
    for name, value in request.query_params.multi_items():
        found = control_character_error(value, one_line=True)
        if found is not None:
            errors.append(
                {
                    "type": found.type,
                    "loc": ("query", name),
                    "msg": str(found),
                    "input": value,
                    "ctx": found.context or {},
                }
            )
        elif len(value) > MAX_QUERY_TEXT:
            errors.append(
                {
                    "type": "string_too_long",
                    "loc": ("query", name),
                    "msg": f"String should have at most {MAX_QUERY_TEXT} characters",
                    "input": value[:MAX_QUERY_TEXT],
                    "ctx": {"max_length": MAX_QUERY_TEXT},
                }
            )
    if errors:
        raise RequestValidationError(errors)
