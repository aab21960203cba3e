"""What a command route needs, as one dependency, and how it answers.

A route only translates: parse the body into a command, call the service's
handler with the `CommandCall` this dependency builds from the request's
headers, and return `respond(answer)`. Errors become problem+json in
shared.http.problems.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from shared.commands import Answer, CommandCall, CommandMeta, fingerprint
from shared.eventstore import Metadata
from shared.http.headers import command_metadata, expected_version, idempotency_key
from shared.runtime import ServiceRuntime


def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime  # type: ignore[no-any-return]


async def _runtime_dependency(request: Request) -> ServiceRuntime:
    """`get_runtime` as a dependency (async: a plain def would run in a worker thread)."""
    return get_runtime(request)


async def command_call(
    request: Request,
    metadata: Annotated[Metadata, Depends(command_metadata)],
    expected: Annotated[int | None, Depends(expected_version)],
    key: Annotated[str | None, Depends(idempotency_key)],
) -> CommandCall:
    """The command call of this request: its headers bound to the service's command path."""
    body = await request.body()
    meta = CommandMeta(
        metadata=metadata,
        expected=expected,
        idempotency_key=key,
        fingerprint=fingerprint(request.method, request.url.path, body),
    )
    return get_runtime(request).commands.call(meta)


Command = Annotated[CommandCall, Depends(command_call)]
Runtime = Annotated[ServiceRuntime, Depends(_runtime_dependency)]


def respond(answer: Answer, *, location: str | None = None) -> JSONResponse:
    """The JSON answer of a command, with its version as ETag."""
    headers = {"ETag": f'"{answer.body.get("version")}"'}
    if location is not None and answer.status == 201:
        headers["Location"] = location
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)
