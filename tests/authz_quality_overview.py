"""Authorization rules for passend/quality/views/overview.py (fixture: quality_world).

The matrix (and its exports) is for everyone who may see assessments in P, each seeing only the
rows they may see: coordinator_b sees the matrix with only school B. Office, partner and mentor
see no assessments (404), nor does anyone outside P. A school's comparison and an assessment's PDF
are for those who may see that school's assessment (school A here).
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

SEES_P_ASSESSMENTS = [
    "partnership_admin",
    "consultant",
    "director",
    "coordinator",
    "bpo",
    "coordinator_b",
]
SEES_A_ASSESSMENTS = ["partnership_admin", "consultant", "director", "coordinator", "bpo"]

RULES: dict[str, Rule] = {
    "quality:matrix": Rule(
        lambda qw: reverse("quality:matrix", args=[qw.framework.code]),
        only(SEES_P_ASSESSMENTS),
        fixture="quality_world",
    ),
    "quality:matrix_xlsx": Rule(
        lambda qw: reverse("quality:matrix_xlsx", args=[qw.framework.code]),
        only(SEES_P_ASSESSMENTS),
        fixture="quality_world",
    ),
    "quality:matrix_csv": Rule(
        lambda qw: reverse("quality:matrix_csv", args=[qw.framework.code]),
        only(SEES_P_ASSESSMENTS),
        fixture="quality_world",
    ),
    "quality:school_comparison": Rule(
        lambda qw: reverse("quality:school_comparison", args=[qw.world.a.code]),
        only(SEES_A_ASSESSMENTS),
        fixture="quality_world",
    ),
    "quality:assessment_pdf": Rule(
        lambda qw: reverse("quality:assessment_pdf", args=[qw.assessment_a.code]),
        only(SEES_A_ASSESSMENTS),
        fixture="quality_world",
    ),
}
