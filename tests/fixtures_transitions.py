"""Fixtures of transitions (loaded by conftest.py)."""
