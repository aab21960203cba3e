"""The programs HTTP API: units, program commands as POSTs, programs with their timelines, lists."""
