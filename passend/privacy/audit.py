"""Audit of every read of a student's data (NEN 7513: event, time, client/student, user, and on
whose behalf — the role the user acted in). Views, exports, PDFs and the API call
``record_view`` after the access check and before the response. Never pass narrative text: the
audit holds codes and names of things, not their content.
"""

from __future__ import annotations

from passend.audit.services import record

VIEW_ACTION = "student_data.viewed"


def record_view(request, student, what: str, *, obj=None, role: str = "") -> None:
    """``what`` names the page or document ("student", "case", "mentor_report", "export" …);
    ``obj`` is the thing opened when it is not the student itself (a case, a report)."""
    record(
        VIEW_ACTION,
        actor=request.user,
        obj=obj if obj is not None else student,
        school=student.school,
        request=request,
        student=str(student.code),
        what=what,
        on_behalf_of=role,
        path=request.path,
    )
