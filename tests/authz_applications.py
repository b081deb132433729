"""Authorization rules for the URLs of passend/applications (see tests/authz.py)."""

from __future__ import annotations

RULES: dict = {}
