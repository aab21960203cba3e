"""Synchronous readiness probes that are safe to call even while an event loop runs."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket

import asyncpg


def tcp_open(host: str, port: int, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


async def _select_one(url: str) -> bool:
    connection = await asyncpg.connect(url, timeout=2)
    try:
        return bool(await connection.fetchval("select 1") == 1)
    finally:
        await connection.close()


def accepts_connections(url: str) -> bool:
    """Whether PostgreSQL at url answers `select 1` (asyncpg, in a thread of its own)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        try:
            return pool.submit(asyncio.run, _select_one(url)).result()
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return False
