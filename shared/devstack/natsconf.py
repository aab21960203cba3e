"""nats-server configuration of the multi-region shape: a hub and one server per region.

One text generator for the dev stack (ports on loopback, passwords generated
into the state folder) and for deploy/ (container names, passwords from the
environment): what runs here is what is deployed. A region's server has its
own JetStream domain (its slug) and joins the hub as a leaf node; every
identity has the permissions of its role (`Role`), enforced by NATS itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from shared.devstack.natsconf_users import (
    Secret,
    User,
    administrator,
    leaf_user,
    nats_list,
    reader,
    region_subjects,
    region_writer,
)

__all__ = [
    "Listen",
    "Secret",
    "ServerConfig",
    "User",
    "administrator",
    "hub_server",
    "leaf_user",
    "reader",
    "region_server",
    "region_subjects",
    "region_writer",
]

ACCOUNT = "PAS"
SYSTEM_ACCOUNT = "SYS"
HUB_DOMAIN = "hub"


# The JetStream API a client needs to read streams (consumers, message gets) and no more.
@dataclass(frozen=True)
class Listen:
    host: str
    port: int

    def render(self) -> str:
        return json.dumps(f"{self.host}:{self.port}")


@dataclass(frozen=True)
class ServerConfig:
    """What one nats-server needs to know; `render()` gives its configuration file."""

    server_name: str
    domain: str
    store_dir: str
    client: Listen
    monitor: Listen
    users: Sequence[User]
    leaf_listen: Listen | None = None  # the hub accepts leaf nodes
    leaf_users: Sequence[User] = ()  # hub side: one per region
    # region side: the hub's leaf URLs with this region's identity there (user:password@)
    leaf_remotes: Sequence[Secret] = ()
    cluster_name: str | None = None
    cluster_listen: Listen | None = None
    cluster_routes: Sequence[str] = ()
    sync_always: bool = False
    system_password: Secret = field(default_factory=lambda: Secret("sys"))

    def render(self) -> str:
        sync = ", sync_interval: always" if self.sync_always else ""
        lines = [
            f"server_name: {json.dumps(self.server_name)}",
            f"listen: {self.client.render()}",
            f"http: {self.monitor.render()}",
            f"jetstream {{store_dir: {json.dumps(self.store_dir)}, "
            f"domain: {json.dumps(self.domain)}{sync}}}",
        ]
        if self.cluster_name and self.cluster_listen:
            lines.append(
                f"cluster {{name: {json.dumps(self.cluster_name)}, "
                f"listen: {self.cluster_listen.render()}, "
                f"routes: {nats_list(self.cluster_routes)}}}"
            )
        leaf = []
        if self.leaf_listen:
            # no_advertise: regions dial the addresses they are given (a proxy, a load balancer)
            leaf.append(f"listen: {self.leaf_listen.render()}, no_advertise: true")
        if self.leaf_remotes:
            urls = ", ".join(url.render() for url in self.leaf_remotes)
            leaf.append(f"remotes: [{{urls: [{urls}], account: {ACCOUNT}}}]")
        if leaf:
            lines.append("leafnodes {" + ", ".join(leaf) + "}")
        users = [*self.users, *self.leaf_users]
        lines.append("accounts {")
        lines.append(f"  {ACCOUNT}: {{jetstream: enabled, users: [")
        lines.extend(f"    {user.render()}," for user in users)
        lines.append("  ]}")
        lines.append(
            f'  {SYSTEM_ACCOUNT}: {{users: [{{user: "sys", '
            f"password: {self.system_password.render()}}}]}}"
        )
        lines.append("}")
        lines.append(f"system_account: {SYSTEM_ACCOUNT}")
        return "\n".join(lines) + "\n"


# --- the two kinds of server, the same for the dev stack and deploy/ -------------------------

SecretOf = Callable[[str], Secret]  # a secret's name ("hub-admin", "leaf-jatim") -> Secret


def hub_users(secret: SecretOf) -> list[User]:
    return [
        administrator("admin", secret("hub-admin")),
        reader("reporting", secret("reporting"), deadletters="reporting"),
        reader("auditor", secret("auditor")),
    ]


def hub_server(
    *,
    server_name: str,
    store_dir: str,
    client: Listen,
    monitor: Listen,
    leaf: Listen,
    regions: Sequence[str],
    secret: SecretOf,
    cluster: tuple[Listen, Sequence[str]] | None = None,
    sync_always: bool = False,
) -> ServerConfig:
    """A hub node: domain `hub`, its readers, one leaf identity per region; in a cluster
    when `cluster` (its listen address and its peers' routes) is given."""
    return ServerConfig(
        server_name=server_name,
        domain=HUB_DOMAIN,
        store_dir=store_dir,
        client=client,
        monitor=monitor,
        users=hub_users(secret),
        leaf_listen=leaf,
        leaf_users=[leaf_user(f"leaf-{r}", secret(f"leaf-{r}"), r) for r in regions],
        cluster_name="pas-hub" if cluster else None,
        cluster_listen=cluster[0] if cluster else None,
        cluster_routes=cluster[1] if cluster else (),
        sync_always=sync_always,
        system_password=secret("sys"),
    )


def region_server(
    *,
    region: str,
    server_name: str,
    store_dir: str,
    client: Listen,
    monitor: Listen,
    leaf_urls: Sequence[Secret],
    secret: SecretOf,
    sync_always: bool = False,
) -> ServerConfig:
    """A region's server: domain = its slug, its administrator and its services' identity,
    a leaf link to the hub (`leaf_urls` carry the region's leaf identity there)."""
    return ServerConfig(
        server_name=server_name,
        domain=region,
        store_dir=store_dir,
        client=client,
        monitor=monitor,
        users=[
            administrator("admin", secret(f"admin-{region}")),
            region_writer(region, secret(region), region),
        ],
        leaf_remotes=leaf_urls,
        sync_always=sync_always,
        system_password=secret("sys"),
    )
