"""Signed checkpoints of service logs and evidence bundles an auditor can verify offline.

keys        Ed25519 signing keys of one log, kept outside the event log (a 0600 file)
checkpoint  the firm checkpoint format: what is signed, the CloudEvent, rotation statements
signer      the task that signs a log's published head every N events or M minutes
service     wiring of keys and signer into a running service; the GET /audit/keys router
natsread    reading one subject of a JetStream stream in full
bundle      the bundle's layout and manifest; export writes one, bundle_verify checks one
"""
