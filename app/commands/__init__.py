"""CLI subcommands, one module per area (registers, scan, sign, sync, reports, ...)."""
