"""Who may see students (the student file): one rule for every view, export and API of student
data, built on passend.accounts.access.

- The school's coordinator and its BPOs (the bpo role at the school, or a BPO assignment at the
  school in the current school year, BPO+ included) see the school's students.
- A mentor sees only their own mentor students, and only the mentor view (name, class, the
  recommendations meant for the mentor) — not the file.
- Partners see a student only through a case shared with them under valid consent
  (passend.caseload.access); directors, consultants, the SWV office and admin see no students.
- The roster import is the coordinator's.

Outside the scope → 404; in scope without the right → 403. Every read of a student's data is
audited by the view (passend.privacy.audit.record_view).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code, scope_for
from passend.accounts.choices import Role

FILE_ROLES = frozenset({Role.COORDINATOR, Role.BPO})
ROSTER_ROLES = frozenset({Role.COORDINATOR})


def file_school_ids(user) -> frozenset[int]:
    """Schools whose student files ``user`` may open (cached on the user for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_passend_file_schools", None)
    if cached is not None:
        return cached
    from passend.organisations.models import SchoolYear
    from passend.staffing.models import BpoAssignment

    assigned = BpoAssignment.objects.filter(bpo=user, school_year=SchoolYear.current()).values_list(
        "school_id", flat=True
    )
    ids = frozenset(scope_for(user).school_ids(FILE_ROLES)) | frozenset(assigned)
    user._passend_file_schools = ids
    return ids


def visible_students(user) -> QuerySet:
    from passend.students.models import Student

    return Student.objects.filter(school_id__in=file_school_ids(user))


def get_student_for_user(user, code):
    student = (
        visible_students(user)
        .select_related("school", "school__partnership", "mentor")
        .filter(code=_parse_code(code))
        .first()
    )
    if student is None:
        raise Http404
    return student


def mentor_students(user) -> QuerySet:
    from passend.students.models import Student

    if not user.is_authenticated:
        return Student.objects.none()
    return Student.objects.filter(
        mentor=user, school_id__in=scope_for(user).school_ids({Role.MENTOR})
    )


def roster_schools(user) -> QuerySet:
    from passend.organisations.models import School

    return School.objects.filter(pk__in=scope_for(user).school_ids(ROSTER_ROLES))


def get_roster_school(user, code):
    """A school whose students the user sees (404), with the roster right (403)."""
    from passend.organisations.models import School

    school = (
        School.objects.filter(pk__in=file_school_ids(user), code=_parse_code(code))
        .select_related("partnership")
        .first()
    )
    if school is None:
        raise Http404
    if school.pk not in scope_for(user).school_ids(ROSTER_ROLES):
        raise PermissionDenied
    return school


def get_file_school(user, code):
    """A school whose student list the user may open (404 otherwise)."""
    from passend.organisations.models import School

    school = (
        School.objects.filter(pk__in=file_school_ids(user), code=_parse_code(code))
        .select_related("partnership")
        .first()
    )
    if school is None:
        raise Http404
    return school
