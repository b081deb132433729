"""Authorization rules for the URLs of passend/plans (see tests/authz.py)."""

from __future__ import annotations

RULES: dict = {}
