"""Sahabat's tooling: the `sahabat` command (demo, dev stack, verify, schemas)."""
