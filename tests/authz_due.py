"""Authorization rules for the URLs of passend/due (see tests/authz.py)."""

from __future__ import annotations

RULES: dict = {}
