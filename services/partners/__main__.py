"""`python -m services.partners`: serve the partners API of one region (PAS_REGION)."""

from services.partners.app import create
from shared.http.serve import serve
from shared.settings import Settings

settings = Settings.from_env("partners")
serve(create(settings), settings.http_host, settings.http_port)
