"""The read-audit walk's classification of the URLs of passend/plans
(tests/test_audit_walk.py, tests/audit_reads.py). Arguments from ``plan_world``
(tests/fixtures_plans.py); every page and the PDF show one student's plan."""

from __future__ import annotations

from tests.audit_reads import Quiet, Reads

FIXTURE = "plan_world"


def _reads(subject, student=lambda pw: pw.student) -> Reads:
    return Reads(lambda pw: [subject(pw).code], lambda pw: [student(pw)], fixture=FIXTURE)


#: URL name -> how to open it and whose data it shows; every read must be audited.
READS: dict[str, Reads] = {
    "plans:student_plans": _reads(lambda pw: pw.student),
    "plans:plan_create": _reads(lambda pw: pw.student_new, lambda pw: pw.student_new),
    "plans:plan_detail": _reads(lambda pw: pw.set_plan),
    "plans:plan_edit": _reads(lambda pw: pw.draft),
    "plans:plan_goals": _reads(lambda pw: pw.draft),
    "plans:consultation_create": _reads(lambda pw: pw.consulting, lambda pw: pw.student16),
    "plans:consent_create": _reads(lambda pw: pw.consulting, lambda pw: pw.student16),
    "plans:plan_set": _reads(lambda pw: pw.consulting, lambda pw: pw.student16),
    "plans:plan_pdf": _reads(lambda pw: pw.set_plan),
    "plans:evaluation_create": _reads(lambda pw: pw.set_plan),
    "plans:evaluation_detail": _reads(lambda pw: pw.evaluation),
}
#: URL name -> why it shows no student data.
NO_STUDENT_DATA: dict[str, str] = {
    "plans:plan_reopen": "POST-only action, redirects to the plan page",
    "plans:plan_new_version": "POST-only action, redirects to the new version's page",
}
#: GET pages of NO_STUDENT_DATA opened to check they show no student.
QUIET_PAGES: dict[str, Quiet] = {}
