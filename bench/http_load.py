"""A light HTTP/1.1 load generator: keep-alive, one connection per client, hand-written bytes.

httpx costs about as much CPU per request as the server's own work would, and
these machines have two cores to share between the load generator, the
service process, PostgreSQL and NATS. So each client here writes the request
bytes itself and reads back only the status line, the headers (for
Content-Length) and the body, over one keep-alive connection.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.common import now, percentile


class HttpError(Exception):
    pass


class RawClient:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._host_header = f"{self.host}:{self.port}"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def build(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self._host_header}"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append("Content-Type: application/json")
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        """Send prepared request bytes; return (status, body)."""
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        lower = head.lower()
        at = lower.find(b"\r\ncontent-length:")
        if at >= 0:
            end = lower.index(b"\r\n", at + 2)
            length = int(lower[at + 17 : end])
        elif b"transfer-encoding: chunked" in lower:
            raise HttpError("chunked responses are not supported by the bench client")
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    async def request(
        self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> tuple[int, object]:
        data = b"" if body is None else json.dumps(body).encode()
        status, raw = await self.send(self.build(method, path, data, headers))
        return status, (json.loads(raw) if raw else None)


@dataclass
class LoadResult:
    clients: int
    seconds: float
    ok: int
    errors: int
    latencies: list[float] = field(repr=False)  # seconds, of successful requests
    statuses: dict[int, int] = field(default_factory=dict)
    first_error: str | None = None

    @property
    def rate(self) -> float:
        return self.ok / self.seconds

    @property
    def p50_ms(self) -> float | None:
        value = percentile(self.latencies, 50)
        return None if value is None else value * 1000

    @property
    def p99_ms(self) -> float | None:
        value = percentile(self.latencies, 99)
        return None if value is None else value * 1000


RequestMaker = Callable[[RawClient, int, int], bytes]
"""(client, client index, request number of that client) -> the request's bytes."""


async def run_load(
    url: str, clients: int, seconds: float, make: RequestMaker, expect: int = 201
) -> LoadResult:
    """`clients` closed-loop clients, each sending its next request when the last answered."""
    conns = [RawClient(url) for _ in range(clients)]
    for conn in conns:
        await conn.connect()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    first_error: list[str] = []
    stop_at = now() + seconds

    async def client(index: int, conn: RawClient) -> None:
        nonlocal errors
        n = 0
        while now() < stop_at:
            raw = make(conn, index, n)
            n += 1
            began = now()
            status, body = await conn.send(raw)
            took = now() - began
            statuses[status] = statuses.get(status, 0) + 1
            if status == expect:
                latencies.append(took)
            else:
                errors += 1
                if not first_error:
                    first_error.append(f"{status}: {body[:300]!r}")

    began = now()
    try:
        await asyncio.gather(*(client(i, c) for i, c in enumerate(conns)))
    finally:
        for conn in conns:
            conn.close()
    elapsed = now() - began
    return LoadResult(
        clients,
        elapsed,
        len(latencies),
        errors,
        latencies,
        statuses,
        first_error[0] if first_error else None,
    )
