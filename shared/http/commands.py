"""What a command route needs, as one dependency, and how it answers.

A route only translates: parse the body, call `CommandRequest.run`, return
`respond(answer)`. Errors become problem+json in shared.http.problems.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from shared.commands import Answer, fingerprint
from shared.decider import Decider
from shared.events import Event
from shared.eventstore import Claim, Metadata
from shared.http.headers import command_metadata, expected_version, idempotency_key
from shared.runtime import ServiceRuntime

S = TypeVar("S")


def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime  # type: ignore[no-any-return]


async def _runtime_dependency(request: Request) -> ServiceRuntime:
    """`get_runtime` as a dependency (async: a plain def would run in a worker thread)."""
    return get_runtime(request)


@dataclass
class CommandRequest:
    """The runtime and the command headers of one request."""

    runtime: ServiceRuntime
    metadata: Metadata
    expected: int | None
    key: str | None
    fingerprint: str

    def today(self) -> date:
        """Today's date by the service clock (UTC)."""
        return self.runtime.clock().date()

    async def run(
        self,
        decider: Decider[S],
        stream_id: UUID,
        decide: Callable[[S], Sequence[Event]],
        *,
        claims: Sequence[Claim] = (),
        status: int = 200,
        expected: int | None = None,
        new_stream: bool = False,
    ) -> Answer:
        return await self.runtime.commands.execute(
            decider,
            stream_id,
            decide,
            self.metadata,
            expected=self.expected if expected is None else expected,
            claims=claims,
            idempotency_key=self.key,
            request_fingerprint=self.fingerprint,
            status=status,
            new_stream=new_stream,
        )


async def command_request(
    request: Request,
    metadata: Annotated[Metadata, Depends(command_metadata)],
    expected: Annotated[int | None, Depends(expected_version)],
    key: Annotated[str | None, Depends(idempotency_key)],
) -> CommandRequest:
    body = await request.body()
    return CommandRequest(
        runtime=get_runtime(request),
        metadata=metadata,
        expected=expected,
        key=key,
        fingerprint=fingerprint(request.method, request.url.path, body),
    )


Command = Annotated[CommandRequest, Depends(command_request)]
Runtime = Annotated[ServiceRuntime, Depends(_runtime_dependency)]


def respond(answer: Answer, *, location: str | None = None) -> JSONResponse:
    """The JSON answer of a command, with its version as ETag."""
    headers = {"ETag": f'"{answer.body.get("version")}"'}
    if location is not None and answer.status == 201:
        headers["Location"] = location
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)
