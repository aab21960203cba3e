"""The reporting service (national projections and evaluation report): not built yet.

It will subscribe to `pas.events.>` with the shared projection runner and keep
the funnel, agreements, participants and outreach projections (see DOMAIN.md).
Until then it has no `__main__` and `sahabat demo` skips it.
"""
