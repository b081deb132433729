"""Authorization rules for the privacy pages of a student (passend/privacy/views.py): only the
school's coordinator; the BPO sees the file but not its access log or export (403); everyone
else 404. Fixture: caseload_world."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only


def _rule(name: str) -> Rule:
    return Rule(
        lambda cw: reverse(f"privacy:{name}", args=[cw.student.code]),
        only(["coordinator"], inside=["bpo"]),
        fixture="caseload_world",
    )


RULES = {
    f"privacy:{name}": _rule(name)
    for name in ("student_access_log", "student_export_json", "student_export_pdf")
}
