"""Interfaces: the `crosswalk` command line (and, later, the HTTP API)."""
