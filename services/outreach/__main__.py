"""`python -m services.outreach`: serve the outreach API of one region (PAS_REGION), in
PAS_HTTP_WORKERS worker processes (shared.workers)."""

from shared.workers import serve_service

serve_service("services.outreach.app:create", "outreach")
