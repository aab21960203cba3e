"""The programs service: units (UPT) and the programs partners run with them, stage by stage."""
