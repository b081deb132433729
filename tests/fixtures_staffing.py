"""Fixtures for the staffing tests and the authorization matrix (loaded by conftest.py)."""
