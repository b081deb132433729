"""Fixtures for the procedures tests and the authorization matrix (loaded by conftest.py)."""
