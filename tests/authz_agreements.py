"""Authorization rules for the werkafspraken URLs (passend/agreements/views), merged from one
module per part: task descriptions and the competency set, werkafspraken, evaluations and
competency profiles. Fixture: agreements_world (tests/fixtures_agreements.py)."""

from __future__ import annotations

from tests.authz_agreements_agreements import RULES as AGREEMENT_RULES
from tests.authz_agreements_descriptions import RULES as DESCRIPTION_RULES
from tests.authz_agreements_evaluations import RULES as EVALUATION_RULES

RULES = {**DESCRIPTION_RULES, **AGREEMENT_RULES, **EVALUATION_RULES}
