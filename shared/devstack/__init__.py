"""A local dev stack: nats-server with JetStream and PostgreSQL on free ports under a state folder.

Domain-free: the demo, the tests and the benchmarks all start servers through here.
"""

from shared.databases import database_url, drop_database, ensure_database
from shared.devstack.processes import free_port
from shared.devstack.record import ServerStatus, statuses, stop_recorded
from shared.devstack.stack import DevStack, StackInfo

__all__ = [
    "DevStack",
    "ServerStatus",
    "StackInfo",
    "database_url",
    "drop_database",
    "ensure_database",
    "free_port",
    "statuses",
    "stop_recorded",
]
