"""`python -m services.reporting`: serve the evaluation report and the dashboard."""

from services.reporting.app import create
from shared.http.serve import serve
from shared.settings import Settings

settings = Settings.from_env("reporting")
serve(create(settings), settings.http_host, settings.http_port)
