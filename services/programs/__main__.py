"""`python -m services.programs`: serve the programs API of one region (PAS_REGION)."""

from services.programs.app import create
from shared.http.serve import serve
from shared.settings import Settings

settings = Settings.from_env("programs")
serve(create(settings), settings.http_host, settings.http_port)
