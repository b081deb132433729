"""Authorization rules for the URLs of passend/transitions (see tests/authz.py)."""

from __future__ import annotations

RULES: dict = {}
