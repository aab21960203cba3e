"""Create or drop one database on a PostgreSQL server, given the server's admin URL."""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import urlsplit, urlunsplit

import asyncpg


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of server_url (user, host and query kept)."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _quoted(name: str) -> str:
    if not name or "\x00" in name:
        raise ValueError(f"not a database name: {name!r}")
    return '"' + name.replace('"', '""') + '"'


async def ensure_database(admin_url: str, name: str) -> str:
    """Create database `name` unless it exists (safe when several processes race); its URL."""
    connection = await asyncpg.connect(admin_url)
    try:
        exists = await connection.fetchval("select 1 from pg_database where datname = $1", name)
        if not exists:
            # created meanwhile by someone else: fine
            with suppress(asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
                await connection.execute(f"create database {_quoted(name)}")
    finally:
        await connection.close()
    return database_url(admin_url, name)


async def drop_database(admin_url: str, name: str) -> None:
    """Drop database `name` if it exists, disconnecting its sessions."""
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f"drop database if exists {_quoted(name)} with (force)")
    finally:
        await connection.close()
