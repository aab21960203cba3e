"""The outreach service's HTTP API: routes that translate HTTP to handler calls and back."""
