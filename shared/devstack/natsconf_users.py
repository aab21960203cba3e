"""The NATS identities of the multi-region shape and what each role may publish and subscribe.

An administrator may do everything in its account; a region's services write
only their region's subjects; readers (reporting, auditors) only read through
the JetStream API; a region's leaf link lets only its own subjects into the hub.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from shared.envelope import DEADLETTER_ROOT, SUBJECT_ROOT
from shared.jetstream import CHECKPOINT_ROOT

_JS_READ_API = [
    "$JS.API.INFO",
    "$JS.API.STREAM.INFO.*",
    "$JS.API.STREAM.NAMES",
    "$JS.API.STREAM.LIST",
    "$JS.API.STREAM.MSG.GET.*",
    "$JS.API.DIRECT.GET.>",
    "$JS.API.CONSUMER.CREATE.>",
    "$JS.API.CONSUMER.DURABLE.CREATE.>",
    "$JS.API.CONSUMER.INFO.>",
    "$JS.API.CONSUMER.DELETE.>",
    "$JS.API.CONSUMER.NAMES.>",
    "$JS.API.CONSUMER.LIST.>",
    "$JS.API.CONSUMER.MSG.NEXT.>",
    "$JS.ACK.>",
    "$JS.FC.>",
]
_CLIENT_SUBSCRIBE = ["_INBOX.>", "pas.>"]


def region_subjects(region: str) -> list[str]:
    """What a region publishes and the hub takes from it: its events and checkpoints."""
    return [f"{SUBJECT_ROOT}.{region}.>", f"{CHECKPOINT_ROOT}.{region}.>"]


@dataclass(frozen=True)
class Secret:
    """A password: literal (dev stack, state folder) or `$VARIABLE` (deploy, from the env)."""

    value: str
    from_env: bool = False

    def render(self) -> str:
        return f"${self.value}" if self.from_env else json.dumps(self.value)


@dataclass(frozen=True)
class User:
    name: str
    password: Secret
    publish: Sequence[str] | None = None  # None: unrestricted (an administrator)
    subscribe: Sequence[str] | None = None

    def render(self) -> str:
        text = f"{{user: {json.dumps(self.name)}, password: {self.password.render()}"
        if self.publish is not None or self.subscribe is not None:
            text += ", permissions: {"
            text += f"publish: {{allow: {nats_list(self.publish or [])}}}"
            text += f", subscribe: {{allow: {nats_list(self.subscribe or [])}}}"
            text += "}"
        return text + "}"


def administrator(name: str, password: Secret) -> User:
    """Provisions streams; never given to a service."""
    return User(name, password)


def region_writer(name: str, password: Secret, region: str) -> User:
    """A region's services: its own events, checkpoints and dead letters, and the read API."""
    return User(
        name,
        password,
        publish=[*region_subjects(region), f"{DEADLETTER_ROOT}.>", *_JS_READ_API],
        subscribe=_CLIENT_SUBSCRIBE,
    )


def reader(name: str, password: Secret, deadletters: str | None = None) -> User:
    """Reporting and auditors: read streams; publish nothing but (optionally) own dead letters."""
    own = [f"{DEADLETTER_ROOT}.{deadletters}"] if deadletters else []
    return User(name, password, publish=[*own, *_JS_READ_API], subscribe=_CLIENT_SUBSCRIBE)


def leaf_user(name: str, password: Secret, region: str) -> User:
    """The identity a region's leaf link has at the hub: only its own subjects come in."""
    return User(
        name,
        password,
        publish=[
            *region_subjects(region),
            "$JS.ACK.>",
            "$JS.FC.>",
            "_INBOX.>",
            "$JSC.>",
            "$JS.S.>",
            "$JS.SNAP.>",
            f"$JS.{region}.API.>",
        ],
        subscribe=[
            f"$JS.{region}.API.>",
            "_INBOX.>",
            "$JS.ACK.>",
            "$JS.FC.>",
            "$JSC.>",
            "$JS.S.>",
            *region_subjects(region),
        ],
    )


def nats_list(items: Sequence[str]) -> str:
    """A list of strings in nats-server's configuration syntax."""
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"
