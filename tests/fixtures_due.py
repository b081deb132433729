"""Fixtures of due (loaded by conftest.py)."""
