"""Fixtures of plans (loaded by conftest.py)."""
