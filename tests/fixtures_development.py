"""Fixtures for the development tests and the authorization matrix (loaded by conftest.py)."""
