"""`python -m services.outreach`: serve the outreach API of one region (PAS_REGION)."""

from services.outreach.app import create
from shared.http.serve import serve
from shared.settings import Settings

settings = Settings.from_env("outreach")
serve(create(settings), settings.http_host, settings.http_port)
