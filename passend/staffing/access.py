"""Who may see and change BPO staffing data; built on passend.accounts.access.

- Assignments of a school: seen by its director, coordinator and BPO, the school's consultant,
  the SWV's partnership_admin and office (the directory shows hours); a BPO always sees their
  own assignments (also BPO+ at other schools). Changed by the school's director or coordinator
  and by the partnership_admin (SWV-employed BPOs). Partners and mentors see none of it (404).
- Qualifications: the BPO keeps their own; readable by whoever may see an assignment or a
  bpo role of that person (school leadership, consultant, partnership_admin).
- Appointment procedures: run by the school's director/coordinator; the consultant and the
  office tick their own steps; partnership_admin sees all.
- Directory: SWV roles and the coordinators/directors of the SWV's schools read it; the office
  (and partnership_admin) maintain contact details.
- Hours policy: partnership_admin sets it; consultants and office read the table.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code, school_q, scope_for
from passend.accounts.choices import Role

VIEW_ROLES = frozenset(
    {
        Role.PARTNERSHIP_ADMIN,
        Role.CONSULTANT,
        Role.OFFICE,
        Role.DIRECTOR,
        Role.COORDINATOR,
        Role.BPO,
    }
)
EDIT_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.DIRECTOR, Role.COORDINATOR})
PROCEDURE_VIEW_ROLES = frozenset(
    {Role.PARTNERSHIP_ADMIN, Role.CONSULTANT, Role.OFFICE, Role.DIRECTOR, Role.COORDINATOR}
)
PROCEDURE_RUN_ROLES = frozenset({Role.DIRECTOR, Role.COORDINATOR})
DIRECTORY_SWV_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.CONSULTANT, Role.OFFICE})
DIRECTORY_SCHOOL_ROLES = frozenset({Role.DIRECTOR, Role.COORDINATOR})
DIRECTORY_MAINTAIN_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.OFFICE})
HOURS_VIEW_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.CONSULTANT, Role.OFFICE})
HOURS_EDIT_ROLES = frozenset({Role.PARTNERSHIP_ADMIN})


def visible_assignments(user) -> QuerySet:
    from passend.staffing.models import BpoAssignment

    if not user.is_authenticated:
        return BpoAssignment.objects.none()
    return BpoAssignment.objects.filter(school_q(user, VIEW_ROLES) | Q(bpo=user))


def get_assignment_for_user(user, code, *, write: bool = False):
    assignment = (
        visible_assignments(user)
        .select_related("school", "school__partnership", "school_year", "bpo", "manager")
        .filter(code=_parse_code(code))
        .first()
    )
    if assignment is None:
        raise Http404
    if write and not scope_for(user).has_school_role(assignment.school, EDIT_ROLES):
        raise PermissionDenied
    return assignment


def schools_for(user, roles) -> QuerySet:
    from passend.organisations.models import School

    return School.objects.filter(school_q(user, roles, prefix=""))


def get_school_for_staffing(user, code, *, roles=VIEW_ROLES, write_roles=None):
    """A school the user may see staffing of (404), optionally with a write role (403)."""
    school = (
        schools_for(user, roles)
        .select_related("partnership")
        .filter(code=_parse_code(code))
        .first()
    )
    if school is None:
        raise Http404
    if write_roles is not None and not scope_for(user).has_school_role(school, write_roles):
        raise PermissionDenied
    return school


def can(user, school, roles) -> bool:
    return scope_for(user).has_school_role(school, roles)


def visible_people(user) -> QuerySet:
    """Users whose qualifications (and PD records) the viewer may read: themselves, and BPOs
    assigned to or holding the bpo role at a school the viewer sees staffing of."""
    from passend.accounts.models import Membership, User
    from passend.staffing.models import BpoAssignment

    if not user.is_authenticated:
        return User.objects.none()
    leaders = VIEW_ROLES - {Role.BPO, Role.OFFICE}
    schools = schools_for(user, leaders).values("pk")
    via_roles = Membership.objects.filter(role=Role.BPO, school__in=schools).values("user_id")
    via_assignments = BpoAssignment.objects.filter(school__in=schools).values("bpo_id")
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=via_roles) | Q(pk__in=via_assignments))


def get_qualification_for_user(user, code, *, write: bool = False):
    from passend.staffing.models import Qualification

    qualification = (
        Qualification.objects.filter(user__in=visible_people(user))
        .select_related("user")
        .filter(code=_parse_code(code))
        .first()
    )
    if qualification is None:
        raise Http404
    if write and qualification.user_id != user.pk:
        raise PermissionDenied
    return qualification


def visible_procedures(user) -> QuerySet:
    from passend.staffing.models import AppointmentProcedure

    return AppointmentProcedure.objects.filter(school_q(user, PROCEDURE_VIEW_ROLES))


def get_procedure_for_user(user, code, *, run: bool = False):
    procedure = (
        visible_procedures(user)
        .select_related("school", "school__partnership", "school_year")
        .filter(code=_parse_code(code))
        .first()
    )
    if procedure is None:
        raise Http404
    if run and not scope_for(user).has_school_role(procedure.school, PROCEDURE_RUN_ROLES):
        raise PermissionDenied
    return procedure


def directory_partnership_ids(user) -> frozenset[int]:
    """Partnerships whose directory the user may read."""
    from passend.organisations.models import School

    scope = scope_for(user)
    # A consultant assigned to schools is SWV staff too: they read their SWV's directory.
    via_schools = School.objects.filter(
        pk__in=scope.school_ids(DIRECTORY_SCHOOL_ROLES | {Role.CONSULTANT})
    )
    return scope.partnership_ids(DIRECTORY_SWV_ROLES | DIRECTORY_SCHOOL_ROLES) | frozenset(
        via_schools.values_list("partnership_id", flat=True)
    )


def get_partnership_for_directory(user, code, *, maintain: bool = False):
    from passend.organisations.models import Partnership

    partnership = (
        Partnership.objects.filter(pk__in=directory_partnership_ids(user))
        .filter(code=_parse_code(code))
        .first()
    )
    if partnership is None:
        raise Http404
    if maintain and partnership.pk not in scope_for(user).partnership_ids(DIRECTORY_MAINTAIN_ROLES):
        raise PermissionDenied
    return partnership


def get_partnership_for_hours(user, code, *, edit: bool = False):
    from passend.organisations.models import Partnership, School

    scope = scope_for(user)
    # Consultants assigned to schools are SWV staff: they read the SWV's hours table too.
    via_schools = School.objects.filter(pk__in=scope.school_ids({Role.CONSULTANT}))
    readable = scope.partnership_ids(HOURS_VIEW_ROLES) | frozenset(
        via_schools.values_list("partnership_id", flat=True)
    )
    partnership = Partnership.objects.filter(pk__in=readable).filter(code=_parse_code(code)).first()
    if partnership is None:
        raise Http404
    if edit and partnership.pk not in scope.partnership_ids(HOURS_EDIT_ROLES):
        raise PermissionDenied
    return partnership
