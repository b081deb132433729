"""Authorization rules for passend/quality/views/frameworks.py (fixture: quality_world)."""

from __future__ import annotations

from tests.authz import Rule

RULES: dict[str, Rule] = {}
