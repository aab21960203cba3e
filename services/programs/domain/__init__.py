"""The deciders of the programs service: `unit` and `program`, pure and free of I/O."""
