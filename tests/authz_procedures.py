"""Authorization rules for the procedures URLs."""

from __future__ import annotations

from tests.authz import Rule

RULES: dict[str, Rule] = {}
