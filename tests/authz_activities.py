"""Authorization rules for the activity log URLs."""

from __future__ import annotations

from tests.authz import Rule

RULES: dict[str, Rule] = {}
