"""The partners HTTP API: commands as POSTs, states with history, lists."""
