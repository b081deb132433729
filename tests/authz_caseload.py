"""Authorization rules for students and the caseload (passend/students/views,
passend/caseload/views), merged from one module per part. Fixture: caseload_world
(tests/fixtures_caseload.py)."""

from __future__ import annotations

from tests.authz_caseload_cases import RULES as CASE_RULES
from tests.authz_caseload_consent import RULES as CONSENT_RULES
from tests.authz_caseload_meetings import RULES as MEETING_RULES
from tests.authz_caseload_students import RULES as STUDENT_RULES
from tests.authz_privacy import RULES as PRIVACY_RULES

RULES = {**STUDENT_RULES, **CASE_RULES, **CONSENT_RULES, **MEETING_RULES, **PRIVACY_RULES}
