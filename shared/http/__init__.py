"""The HTTP conventions every service shares: problem+json, headers, idempotency, health."""
