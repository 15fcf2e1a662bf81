"""Access matrix entries (see tests/access.py)."""

MATRIX = {}
