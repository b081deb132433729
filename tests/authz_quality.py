"""Authorization rules for the quality framework URLs (passend.quality), one module per topic."""

from __future__ import annotations

from tests.authz import Rule
from tests.authz_quality_assessments import RULES as ASSESSMENTS
from tests.authz_quality_frameworks import RULES as FRAMEWORKS
from tests.authz_quality_overview import RULES as OVERVIEW

RULES: dict[str, Rule] = {**FRAMEWORKS, **ASSESSMENTS, **OVERVIEW}
