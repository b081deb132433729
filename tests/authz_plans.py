"""Authorization rules for the URLs of passend/plans (see tests/authz.py). Fixture
``plan_world`` (tests/fixtures_plans.py): at school A a set plan with an evaluation and its new
draft version (Sam), a plan in consultation after a refused consent (Noor), and a student
without a plan. Only the school's coordinator and BPOs see plans, and they also write them:
the director, the mentor, the partner who sees Sam's case, the SWV and other schools get 404."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

FIXTURE = "plan_world"
STAFF = ["coordinator", "bpo"]


def _rule(name: str, subject, ok: int = 200, **kwargs) -> Rule:
    return Rule(
        lambda pw: reverse(f"plans:{name}", args=[subject(pw).code]),
        only(STAFF, ok=ok),
        fixture=FIXTURE,
        **kwargs,
    )


RULES: dict[str, Rule] = {
    "plans:student_plans": _rule("student_plans", lambda pw: pw.student),
    "plans:plan_create": _rule("plan_create", lambda pw: pw.student_new),
    "plans:plan_detail": _rule("plan_detail", lambda pw: pw.set_plan),
    "plans:plan_edit": _rule("plan_edit", lambda pw: pw.draft),
    "plans:plan_goals": _rule("plan_goals", lambda pw: pw.draft),
    "plans:consultation_create": _rule("consultation_create", lambda pw: pw.consulting),
    "plans:consent_create": _rule("consent_create", lambda pw: pw.consulting),
    "plans:plan_set": _rule("plan_set", lambda pw: pw.consulting),
    "plans:plan_reopen": _rule("plan_reopen", lambda pw: pw.consulting, ok=302, method="post"),
    "plans:plan_new_version": _rule(
        "plan_new_version", lambda pw: pw.set_plan, ok=302, method="post"
    ),
    "plans:plan_pdf": _rule("plan_pdf", lambda pw: pw.set_plan),
    "plans:evaluation_create": _rule("evaluation_create", lambda pw: pw.set_plan),
    "plans:evaluation_detail": _rule("evaluation_detail", lambda pw: pw.evaluation),
}
