"""Fixtures for the hours tests and the authorization matrix (loaded by conftest.py)."""
