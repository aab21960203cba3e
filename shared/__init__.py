"""The backbone every Sahabat service stands on: envelope, event store, relay, projections.

Nothing in here knows a domain word; services bring their own events.
"""
