"""Fixtures for the activity log tests (loaded by conftest.py)."""
