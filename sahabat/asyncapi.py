"""An AsyncAPI 3.0 document of every event: channels are the NATS subjects, payloads the
CloudEvents with each event's JSON Schema as `data` (written by `sahabat schemas`).

pydantic's `$defs` of each event are moved to `components/schemas` under the
event's type (`pas.partners.partner_registered.v1.Contact`) and every `$ref`
rewritten to point there, so the document resolves as one.
"""

from __future__ import annotations

import importlib
from typing import Any

from shared.regions import all_regions

SERVICES = ("partners", "programs", "outreach")
COMPONENTS = "#/components/schemas/"


def _relocate(value: Any, prefix: str) -> Any:
    if isinstance(value, dict):
        return {
            key: (
                COMPONENTS + prefix + item.removeprefix("#/$defs/")
                if key == "$ref" and isinstance(item, str) and item.startswith("#/$defs/")
                else _relocate(item, prefix)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_relocate(item, prefix) for item in value]
    return value


def _envelope() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "type": "object",
        "description": "A CloudEvents 1.0 event in structured JSON mode with Sahabat's "
        "extensions; the body of every message (Content-Type application/cloudevents+json).",
        "required": [
            "specversion",
            "id",
            "source",
            "type",
            "subject",
            "time",
            "datacontenttype",
            "region",
            "aggregatetype",
            "aggregateversion",
            "position",
            "actor",
            "prevhash",
            "hash",
            "data",
        ],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {
                "type": "string",
                "format": "uuid",
                "description": "The event's id (UUIDv7), also the Nats-Msg-Id header",
            },
            "source": {"type": "string", "description": "/pas/<region>/<service>"},
            "type": {"type": "string", "description": "pas.<service>.<event_name>.v<N>"},
            "subject": {"type": "string", "description": "The aggregate's id"},
            "time": {
                "type": "string",
                "format": "date-time",
                "description": "When it was recorded, RFC 3339 UTC with microseconds",
            },
            "datacontenttype": {"const": "application/json"},
            "region": {"type": "string", "description": "The region (Kanwil) code"},
            "aggregatetype": text,
            "aggregateversion": {"type": "integer", "minimum": 1},
            "position": {
                "type": "integer",
                "minimum": 1,
                "description": "Place in its service log (one service in one region), gap-free",
            },
            "actor": text,
            "correlationid": text,
            "causationid": text,
            "prevhash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "hash": {
                "type": "string",
                "pattern": "^[0-9a-f]{64}$",
                "description": "sha256(prevhash || JCS(body)), see the README",
            },
            "data": {"type": "object"},
        },
    }


def document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of every event of every service."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {"CloudEvent": _envelope()}
    regions = [region.code for region in all_regions()]
    for service in SERVICES:
        registry = importlib.import_module(f"services.{service}.events").registry
        for model in registry.models():
            name, prefix = model.event_name(), model.TYPE + "."
            schema = model.model_json_schema()
            for key, inner in schema.pop("$defs", {}).items():
                schemas[prefix + key] = _relocate(inner, prefix)
            schemas[model.TYPE] = _relocate(schema, prefix)
            summary = (model.__doc__ or "").strip().splitlines()[0]
            messages[model.TYPE] = {
                "name": name,
                "title": model.TYPE,
                "summary": summary,
                "contentType": "application/cloudevents+json",
                "headers": {
                    "type": "object",
                    "properties": {
                        "Nats-Msg-Id": {"type": "string", "description": "the event's id"}
                    },
                },
                "payload": {
                    "allOf": [
                        {"$ref": COMPONENTS + "CloudEvent"},
                        {
                            "type": "object",
                            "properties": {
                                "type": {"const": model.TYPE},
                                "aggregatetype": {"const": model.AGGREGATE},
                                "data": {"$ref": COMPONENTS + model.TYPE},
                            },
                        },
                    ]
                },
            }
            channel = f"{service}.{name}"
            channels[channel] = {
                "address": f"pas.events.{{region}}.{service}.{name}",
                "title": model.TYPE,
                "summary": summary,
                "parameters": {
                    "region": {"description": "The region (Kanwil) code", "enum": regions}
                },
                "messages": {name: {"$ref": f"#/components/messages/{model.TYPE}"}},
            }
            operations[f"receive.{channel}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{channel}"},
                "summary": f"A consumer receives {model.TYPE}",
                "messages": [{"$ref": f"#/channels/{channel}/messages/{name}"}],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Sahabat events",
            "version": "1",
            "description": "Every event of the Sahabat services (partners, programs, outreach) "
            "as CloudEvents on NATS JetStream. Subscribe to `pas.events.>` (all), "
            "`pas.events.<region>.>` (one region) or `pas.events.*.<service>.>` (one service) "
            "with a durable consumer of your own; see the README, 'Consumers'.",
        },
        "defaultContentType": "application/cloudevents+json",
        "servers": {
            "hub": {
                "host": "localhost:4222",
                "protocol": "nats",
                "description": "The hub's NATS (JetStream stream PAS_EVENTS of all regions); "
                "the demo's address is in .sahabat/stack.json",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
