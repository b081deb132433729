"""Audit of every read of a student's data (NEN 7513: event, time, client/student, user, and on
whose behalf — the role the user acted in). Views, exports, PDFs and the API call
``record_view`` after the access check and before the response. Never pass narrative text: the
audit holds codes and names of things, not their content.
"""

from __future__ import annotations

from passend.accounts.access import scope_for
from passend.accounts.choices import Role
from passend.audit.services import build, record_many

VIEW_ACTION = "student_data.viewed"


def acting_role(user, school_id: int, partnership_id: int | None = None) -> str:
    """On whose behalf ``user`` reads a student's data at the school: the role that gives the
    access (coordinator, else BPO — role or assignment —, else mentor, else the SWV's consultant
    — assigned to the school or SWV-wide — or partnership_admin reading a submitted application,
    else SOT partner). ``partnership_id`` is the school's partnership (looked up if not given
    and the user holds an SWV-wide role)."""
    from passend.students.access import file_school_ids

    scope = scope_for(user)
    if school_id in scope.school_ids({Role.COORDINATOR}):
        return Role.COORDINATOR.value
    if school_id in file_school_ids(user):
        return Role.BPO.value
    if school_id in scope.school_ids({Role.MENTOR}):
        return Role.MENTOR.value
    if school_id in scope.school_ids({Role.CONSULTANT}):
        return Role.CONSULTANT.value
    if scope.partnership_ids({Role.CONSULTANT, Role.PARTNERSHIP_ADMIN}):
        if partnership_id is None:
            from passend.organisations.models import School

            school = School.objects.filter(pk=school_id).values_list("partnership_id", flat=True)
            partnership_id = school.first()
        for role in (Role.CONSULTANT, Role.PARTNERSHIP_ADMIN):
            if partnership_id in scope.partnership_ids({role}):
                return role.value
    return Role.PARTNER.value


def record_view(request, student, what: str, *, obj=None) -> None:
    """``what`` names the page or document ("student", "case", "mentor_report", "export" …);
    ``obj`` is the thing opened when it is not the student itself (a case, a report). Call it
    after the access check: the role recorded is the one that gave the access."""
    record_views(request, [student], what, obj=obj)


def record_views(request, students, what: str, *, obj=None) -> None:
    """One read event per student for a page, export or document that shows several students
    (a meeting's agenda, an export): each appears in that student's access log. A constant
    number of queries however many students."""
    events = []
    for student in students:
        event = build(
            VIEW_ACTION,
            actor=request.user,
            obj=obj if obj is not None else student,
            request=request,
            student=str(student.code),
            what=what,
            on_behalf_of=acting_role(request.user, student.school_id, student.partnership_id),
            path=request.path,
        )
        # The student's school and partnership, by id (no query per student).
        event.school_id, event.partnership_id = student.school_id, student.partnership_id
        events.append(event)
    record_many(events)
