"""Read-your-writes across services: wait for a read model of another service's events, and
say so when it lags.

A client that has just changed something in the source service (e.g. appointed
an ambassador in partners) sends the `position` that service answered in a
header (e.g. `X-Partners-Position`); a command then waits (up to
`wait_seconds`) until the read model has applied the source's log of this
region up to that position. Without the header, commands decide on what the
read model knows now, and an id it has not seen yet is "not yet known" (409,
retry or send the header), never "does not exist". One piece for every
service that reads another's events (programs and outreach read partners').
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any

from fastapi import Header, Request

from shared.decider import DomainError
from shared.envelope import event_source
from shared.http.problems import Problem, domain_detail
from shared.projections import ProjectionRunner
from shared.runtime import ServiceRuntime

_POSITION = re.compile(r"^\d{1,15}$")


class ReadYourWrites:
    """The wait-for-position header and the "not yet known" answer for one read model."""

    def __init__(
        self,
        *,
        runner: str,
        source_service: str,
        header: str,
        not_yet_known: Collection[str],
        source_label: str | None = None,
        messages: Mapping[str, str] | None = None,
        terms: Mapping[str, str] | None = None,
        wait_seconds: float = 5.0,
    ) -> None:
        """`source_label` names the source service in Bahasa Indonesia ("mitra");
        `messages` and `terms` are the service's problem catalogue (shared.http.problems),
        for the Indonesian sentence of a "not yet known" refusal."""
        self.source_label = source_label or source_service  # in Bahasa Indonesia
        self.messages = dict(messages or {})
        self.terms = dict(terms or {})
        self.runner = runner
        self.source_service = source_service
        self.header = header
        self.not_yet_known = frozenset(not_yet_known)
        self.wait_seconds = wait_seconds
        self.applied_key = f"{source_service}_position_applied"
        self.wanted_key = f"{source_service}_position_wanted"

    def _runner(self, runtime: ServiceRuntime) -> tuple[ProjectionRunner, str]:
        source = event_source(runtime.settings.region, self.source_service)
        return runtime.runners[self.runner], source

    async def applied(self, runtime: ServiceRuntime) -> int:
        """The last position of this region's source log the read model has applied."""
        runner, source = self._runner(runtime)
        return await runner.source_position(source)

    def dependency(self) -> Callable[..., Awaitable[int | None]]:
        """A FastAPI dependency: waits until the position in the header is applied, if sent."""
        header = self.header

        async def wait_for_source(
            request: Request,
            position: str | None = Header(
                default=None,
                alias=header,
                description=f"The `position` the {self.source_service} service answered for a "
                "change this command relies on (in this region): the command waits up to "
                f"{self.wait_seconds:g} s until this service has received it.",
            ),
        ) -> int | None:
            if position is None:
                return None
            if not _POSITION.match(position.strip()):
                raise Problem(
                    422,
                    f"{self.source_service}_position_invalid",
                    f"Header {header} harus berupa bilangan bulat ≥ 0 (position dari jawaban "
                    f"layanan {self.source_label}).",
                    field=header,
                    detail_en=f"{header} must be a whole number >= 0.",
                )
            wanted = int(position.strip())
            wait = self.wait_seconds  # read now: tests shorten it
            runtime: ServiceRuntime = request.app.state.runtime
            runner, source = self._runner(runtime)
            if not await runner.wait_for_source_position(source, wanted, wait):
                applied = await runner.source_position(source)
                raise Problem(
                    503,
                    "read_model_not_caught_up",
                    f"Layanan ini belum menerima event layanan {self.source_label} sampai "
                    f"posisi {wanted} (baru sampai {applied}) dalam {wait:g} detik. Coba lagi "
                    "sebentar lagi.",
                    field=header,
                    detail_en=f"This service has not yet received the {self.source_service} "
                    f"events up to position {wanted} (only {applied}); retry shortly.",
                    **{self.wanted_key: wanted, self.applied_key: applied},
                    retry_after_seconds=1,
                )
            return wanted

        return wait_for_source

    async def explain(self, exc: DomainError, runtime: ServiceRuntime) -> Exception:
        """A "not yet known" refusal as a 409 problem saying why, what to do, and how far the
        read model is; any other error unchanged."""
        if exc.code not in self.not_yet_known:
            return exc
        sentence = domain_detail(exc, self.messages, self.terms)
        extra: dict[str, Any] = {"detail_en": f"{exc.message}; or send {self.header}"}
        if exc.field:
            extra["field"] = exc.field
        if exc.details:
            extra["details"] = exc.details
        extra[self.applied_key] = await self.applied(runtime)
        return Problem(
            409,
            exc.code,
            f"{sentence} Atau kirim header {self.header} berisi `position` dari jawaban layanan "
            f"{self.source_label} agar permintaan menunggu sampai event itu diterima.",
            **extra,
        )
