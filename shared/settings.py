"""Settings of one service process, read from the environment (never at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from shared.databases import database_url

DEFAULT_STREAM = "PAS_EVENTS"
DEFAULT_CHECKPOINT_STREAM = "PAS_CHECKPOINTS"


@dataclass(frozen=True)
class Settings:
    """Where a service runs and what it talks to.

    PAS_REGION         the Kanwil this process serves (one of the 33 codes)
    PAS_NATS_URL       NATS server
    PAS_DATABASE_URL   PostgreSQL server; the service uses its own database on it,
                       `sahabat_<service>_<region>`, created if missing
    PAS_<SERVICE>_DATABASE_URL  overrides that database URL for one service
    PAS_STREAM         JetStream stream the service publishes to and its consumers read
                       (default PAS_EVENTS, one stream of all regions on a plain server; a
                       region's own server: PAS_EVENTS_<REGION>; the hub: PAS_EVENTS)
    PAS_NATS_USER / PAS_NATS_PASSWORD  the process's NATS identity (a region's own, or a
                       read-only one at the hub); or PAS_NATS_CREDS, a credentials file
    PAS_HTTP_HOST / PAS_HTTP_PORT  where the HTTP API listens
    PAS_HTTP_WORKERS   worker processes serving it (default: 2 on two cores or more, else 1;
                       one of them runs the relay, projections and jobs: shared.workers)
    PAS_CHECKPOINT_STREAM  JetStream stream of the signed checkpoints (default: PAS_CHECKPOINTS
                       beside PAS_EVENTS, PAS_CHECKPOINTS_<REGION> beside PAS_EVENTS_<REGION>)
    PAS_CHECKPOINT_EVERY_EVENTS / PAS_CHECKPOINT_EVERY_MINUTES  sign the log's head after this
                       many new events or this long after the first unsigned one (100, 10)
    PAS_STATE_DIR      the service's own files (default .sahabat/services); its signing keys
                       are in <state>/<region>/<service>/audit-signing-keys.json (0600)
    PAS_SIGNING_KEY_FILE  that key file, given explicitly
    PAS_ADMIN_TOKEN    when set, admin calls (reporting's POST /admin/rebuild) need
                       `Authorization: Bearer <token>`; unset, they are open (a warning at start)
    """

    service: str
    region: str
    nats_url: str
    server_url: str
    database_url: str
    database_name: str | None = None  # set when the service creates its own database
    stream: str = DEFAULT_STREAM
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    nats_user: str | None = None
    nats_password: str | None = None
    nats_creds: str | None = None  # a .creds file (JWT and nkey seed)

    def nats_options(self) -> dict[str, str]:
        """Keyword arguments of `nats.connect` for this process's identity."""
        return nats_options(self.nats_user, self.nats_password, self.nats_creds)

    checkpoint_stream: str = DEFAULT_CHECKPOINT_STREAM
    checkpoint_every_events: int = 100
    checkpoint_every_seconds: float = 600.0
    state_dir: str = ".sahabat/services"
    signing_key_file: str | None = None
    admin_token: str | None = field(default=None, repr=False)  # a secret: never in a log line

    @property
    def signing_key_path(self) -> Path:
        if self.signing_key_file:
            return Path(self.signing_key_file)
        return Path(self.state_dir) / self.region / self.service / "audit-signing-keys.json"

    @classmethod
    def from_env(cls, service: str, env: dict[str, str] | None = None) -> Settings:
        from shared.regions import validate_region

        env = dict(os.environ if env is None else env)
        region = validate_region(env.get("PAS_REGION", "jatim"))
        missing = [name for name in ("PAS_NATS_URL", "PAS_DATABASE_URL") if not env.get(name)]
        if missing:
            raise RuntimeError(
                f"{', '.join(missing)} not set: start the dev stack (`sahabat stack up`) "
                "or point them at your servers"
            )
        server_url = env["PAS_DATABASE_URL"]
        override = env.get(f"PAS_{service.upper()}_DATABASE_URL")
        database_name = None if override else f"sahabat_{service}_{region}"
        url = override or database_url(server_url, f"sahabat_{service}_{region}")
        return cls(
            service=service,
            region=region,
            nats_url=env["PAS_NATS_URL"],
            server_url=server_url,
            database_url=url,
            database_name=database_name,
            stream=env.get("PAS_STREAM", DEFAULT_STREAM),
            http_host=env.get("PAS_HTTP_HOST", "127.0.0.1"),
            http_port=int(env.get("PAS_HTTP_PORT", "8000")),
            nats_user=env.get("PAS_NATS_USER") or None,
            nats_password=env.get("PAS_NATS_PASSWORD") or None,
            nats_creds=env.get("PAS_NATS_CREDS") or None,
            checkpoint_stream=env.get("PAS_CHECKPOINT_STREAM")
            or checkpoint_stream_for(env.get("PAS_STREAM", DEFAULT_STREAM)),
            checkpoint_every_events=int(env.get("PAS_CHECKPOINT_EVERY_EVENTS", "100")),
            checkpoint_every_seconds=60 * float(env.get("PAS_CHECKPOINT_EVERY_MINUTES", "10")),
            state_dir=env.get("PAS_STATE_DIR", ".sahabat/services"),
            signing_key_file=env.get("PAS_SIGNING_KEY_FILE") or None,
            admin_token=env.get("PAS_ADMIN_TOKEN") or None,
        )


def nats_options(
    user: str | None = None, password: str | None = None, creds: str | None = None
) -> dict[str, str]:
    """`nats.connect` keyword arguments for a user/password or a credentials file."""
    if creds:
        return {"user_credentials": creds}
    if user:
        return {"user": user, "password": password or ""}
    return {}


def checkpoint_stream_for(events_stream: str) -> str:
    """The checkpoint stream beside an events stream (a region's beside a region's)."""
    if events_stream.startswith(DEFAULT_STREAM + "_"):
        return DEFAULT_CHECKPOINT_STREAM + events_stream[len(DEFAULT_STREAM) :]
    return DEFAULT_CHECKPOINT_STREAM
