"""Authorization rules for the staffing URLs."""

from __future__ import annotations

from tests.authz import Rule

RULES: dict[str, Rule] = {}
