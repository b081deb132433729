"""Who may see and do what with applications (aanvragen): the one rule for the application pages,
the dossier PDF, the lists and the due items, built on passend.accounts.access,
passend.students.access and passend.caseload.access.

- The school's coordinator and BPOs (passend.students.access.file_school_ids) see every
  application of the school, drafts included, and draw them up: the dossier, the advices, the
  consent, submitting.
- The SWV — the partnership_admin, and consultants SWV-wide or assigned to the school (the rule
  of passend.quality.access) — see a school's applications only once submitted, never a draft,
  never another partnership's; they review and decide, record an objection and close.
- Directors, mentors, SOT partners and the SWV office see none (404).

Outside the scope → 404 ("the error for a thing you can't see is the same as for a thing that
does not exist"); in scope without the right → 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code, school_q, scope_for
from passend.accounts.choices import Role
from passend.caseload import access as case_access
from passend.students.access import file_school_ids

#: The SWV's roles that read submitted dossiers and decide.
SWV_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.CONSULTANT})
#: Who chooses the kinds a partnership uses.
POLICY_ROLES = frozenset({Role.PARTNERSHIP_ADMIN})


def visible_applications(user) -> QuerySet:
    """The school's own applications for its coordinator and BPOs; submitted ones of the
    schools in reach for the SWV roles."""
    from passend.applications.models import Application

    if not user.is_authenticated:
        return Application.objects.none()
    own = Q(school_id__in=file_school_ids(user))
    swv = school_q(user, SWV_ROLES) & Q(submitted_on__isnull=False)
    return Application.objects.filter(own | swv)


def can_write(user, application) -> bool:
    """Draw up the dossier and submit: the school's coordinator and BPOs."""
    return application.school_id in file_school_ids(user)


def can_decide(user, application) -> bool:
    """Review, decide, record an objection, close: the SWV roles for the school."""
    scope = scope_for(user)
    return application.partnership_id in scope.partnership_ids(
        SWV_ROLES
    ) or application.school_id in scope.school_ids(SWV_ROLES)


def get_application_for_user(user, code, *, write: bool = False, decide: bool = False):
    """The application with public ``code``: 404 outside the user's view, 403 without the right
    to write (school) or decide (SWV)."""
    application = (
        visible_applications(user)
        .select_related("school", "school__partnership", "student", "case")
        .filter(code=_parse_code(code))
        .first()
    )
    if application is None:
        raise Http404
    if write and not can_write(user, application):
        raise PermissionDenied
    if decide and not can_decide(user, application):
        raise PermissionDenied
    return application


def get_advice_for_user(user, code):
    """An expert advice of an application ``user`` sees (404), whose dossier they draw up
    (403)."""
    from passend.applications.models import ExpertAdvice

    advice = (
        ExpertAdvice.objects.filter(
            application__in=visible_applications(user), code=_parse_code(code)
        )
        .select_related("application", "application__school", "application__student")
        .first()
    )
    if advice is None:
        raise Http404
    if not can_write(user, advice.application):
        raise PermissionDenied
    return advice


def get_case_for_application(user, code):
    """The case an application is started from: one the user works in (a partner who may read
    the case gets 403; everyone else outside the school 404)."""
    return case_access.get_case_for_user(user, code, write=True)


def get_school_for_applications(user, code):
    """A school whose application list the user may open: its coordinator and BPOs (404)."""
    from passend.organisations.models import School

    school = (
        School.objects.filter(pk__in=file_school_ids(user), code=_parse_code(code))
        .select_related("partnership")
        .first()
    )
    if school is None:
        raise Http404
    return school


def swv_partnership_ids(user) -> frozenset[int]:
    """Partnerships whose submitted applications the user reads: an SWV role there, SWV-wide
    or as a consultant assigned to one of its schools."""
    from passend.organisations.models import School

    scope = scope_for(user)
    school_ids = scope.school_ids(SWV_ROLES)
    via_schools = (
        School.objects.filter(pk__in=school_ids).values_list("partnership_id", flat=True)
        if school_ids
        else []
    )
    return scope.partnership_ids(SWV_ROLES) | frozenset(via_schools)


def swv_schools(user, partnership) -> QuerySet:
    """The schools of ``partnership`` whose submitted applications the user reads."""
    from passend.organisations.models import School

    return School.objects.filter(school_q(user, SWV_ROLES, prefix=""), partnership=partnership)


def may_set_kinds(user, partnership) -> bool:
    return partnership.pk in scope_for(user).partnership_ids(POLICY_ROLES)


def get_partnership_for_swv(user, code, *, manage: bool = False):
    """A partnership whose applications the user reads as the SWV (404); ``manage`` (choose the
    kinds in use) needs the partnership_admin role there (403)."""
    from passend.organisations.models import Partnership

    partnership = Partnership.objects.filter(
        pk__in=swv_partnership_ids(user), code=_parse_code(code)
    ).first()
    if partnership is None:
        raise Http404
    if manage and not may_set_kinds(user, partnership):
        raise PermissionDenied
    return partnership
