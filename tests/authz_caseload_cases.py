"""Authorization rules for support cases, their records, the mentor report and the approaches
library (passend/caseload/views/cases.py, approaches.py). Fixture ``caseload_world``: ``case``
at school A with the bpo persona, shared with the youth-care domain under a valid consent, so
the partner persona (youth care in A's SOT) reads it in full but may not write."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only, statuses

FIXTURE = "caseload_world"
STAFF = ["coordinator", "bpo"]
# Read the approaches library of P: staff with student files in P, and SWV roles of P.
LIBRARY = ["partnership_admin", "office", "coordinator", "bpo", "coordinator_b"]


def _case(name: str, **kwargs) -> Rule:
    return Rule(
        lambda cw: reverse(f"caseload:{name}", args=[cw.case.code]), fixture=FIXTURE, **kwargs
    )


def _staff_write(ok: int = 200) -> dict:
    """The school's coordinator and BPOs; the partner sees the case, so 403; others 404."""
    return only(STAFF, ok=ok, inside=["partner"])


RULES: dict[str, Rule] = {
    "caseload:case_list": Rule(
        lambda cw: reverse("caseload:case_list", args=[cw.world.a.code]),
        only(STAFF),
        fixture=FIXTURE,
    ),
    "caseload:my_cases": Rule(
        lambda cw: reverse("caseload:my_cases"), statuses(200), fixture=FIXTURE
    ),
    "caseload:case_create": Rule(
        lambda cw: reverse("caseload:case_create", args=[cw.student.code]),
        only(STAFF),
        fixture=FIXTURE,
    ),
    "caseload:case_detail": _case("case_detail", expect=only([*STAFF, "partner"])),
    "caseload:case_edit": _case("case_edit", expect=_staff_write()),
    "caseload:case_status": _case(
        "case_status",
        expect=_staff_write(302),
        method="post",
        data=lambda cw: {"status": "analysis"},
    ),
    "caseload:contact_create": _case("contact_create", expect=_staff_write()),
    "caseload:observation_create": _case("observation_create", expect=_staff_write()),
    "caseload:recommendation_create": _case("recommendation_create", expect=_staff_write()),
    "caseload:observation_pdf": Rule(
        lambda cw: reverse("caseload:observation_pdf", args=[cw.observation.code]),
        only([*STAFF, "partner"]),
        fixture=FIXTURE,
    ),
    "caseload:recommendation_follow_up": Rule(
        lambda cw: reverse("caseload:recommendation_follow_up", args=[cw.recommendation.code]),
        _staff_write(),
        fixture=FIXTURE,
    ),
    "caseload:mentor_report": Rule(
        lambda cw: reverse("caseload:mentor_report", args=[cw.student.code]),
        only([*STAFF, "mentor"]),
        fixture=FIXTURE,
    ),
    "caseload:mentor_report_pdf": Rule(
        lambda cw: reverse("caseload:mentor_report_pdf", args=[cw.student.code]),
        only([*STAFF, "mentor"]),
        fixture=FIXTURE,
    ),
    "caseload:approach_list": Rule(
        lambda cw: reverse("caseload:approach_list", args=[cw.world.p.code]),
        only(LIBRARY),
        fixture=FIXTURE,
    ),
    "caseload:approach_create": Rule(
        lambda cw: reverse("caseload:approach_create", args=[cw.world.p.code]),
        only(["partnership_admin"], inside=LIBRARY),
        fixture=FIXTURE,
    ),
    "caseload:approach_edit": Rule(
        lambda cw: reverse("caseload:approach_edit", args=[cw.approach.code]),
        only(["partnership_admin"], inside=LIBRARY),
        fixture=FIXTURE,
    ),
}
