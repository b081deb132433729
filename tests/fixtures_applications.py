"""Fixtures of applications (loaded by conftest.py)."""
