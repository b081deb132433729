"""Who may see and do what with frameworks and assessments; built on passend.accounts.access.

- A school's assessment is seen by its coordinator and director, its BPO (read-only: aspects
  13–18 describe them), the consultants assigned to the school (or SWV-wide consultants) and the
  partnership_admin. Office staff, partners and mentors see none of it (404).
- Only the coordinator and director of the school edit and submit it; only a consultant
  reviews or reopens it (403 for other roles that can see it).
- Frameworks are read by everyone who can see an assessment in the partnership and managed
  (copy, edit, publish, import) by the partnership_admin only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code, scope_for
from passend.accounts.choices import Role

VIEW_ROLES = frozenset(
    {Role.PARTNERSHIP_ADMIN, Role.CONSULTANT, Role.DIRECTOR, Role.COORDINATOR, Role.BPO}
)
EDIT_ROLES = frozenset({Role.DIRECTOR, Role.COORDINATOR})
REVIEW_ROLES = frozenset({Role.CONSULTANT})
MANAGE_ROLES = frozenset({Role.PARTNERSHIP_ADMIN})

ACTIONS = {"view": VIEW_ROLES, "edit": EDIT_ROLES, "review": REVIEW_ROLES}


def school_filter(user, roles=VIEW_ROLES, prefix: str = "") -> Q:
    """A Q on a School (or, with ``prefix='school__'``, on a row with a school) for ``roles``."""
    scope = scope_for(user)
    partnership_ids = scope.partnership_ids(roles)
    school_ids = scope.school_ids(roles)
    if not partnership_ids and not school_ids:
        return Q(pk__in=[])
    return Q(**{f"{prefix}partnership_id__in": partnership_ids}) | Q(
        **{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": school_ids}
    )


def assessable_schools(user, roles=VIEW_ROLES) -> QuerySet:
    """Schools whose assessments the user may see (or act on, with narrower ``roles``)."""
    from passend.organisations.models import School

    return School.objects.filter(school_filter(user, roles))


def visible_assessments(user) -> QuerySet:
    from passend.quality.models import QualityAssessment

    return QualityAssessment.objects.filter(school_filter(user, VIEW_ROLES, prefix="school__"))


def can(user, action: str, school) -> bool:
    return scope_for(user).has_school_role(school, ACTIONS[action])


def get_assessment_for_user(user, code, *, action: str = "view"):
    """The assessment with public ``code``: 404 outside the user's view scope, 403 without the
    right to ``action`` ('view', 'edit' or 'review')."""
    assessment = (
        visible_assessments(user)
        .select_related("school", "school__partnership", "school_year", "framework")
        .filter(code=_parse_code(code))
        .first()
    )
    if assessment is None:
        raise Http404
    if not can(user, action, assessment.school):
        raise PermissionDenied
    return assessment


def get_school_for_assessments(user, code, *, action: str = "view"):
    """A school whose assessments the user may see (404), with the right to ``action`` (403)."""
    school = (
        assessable_schools(user)
        .select_related("partnership")
        .filter(code=_parse_code(code))
        .first()
    )
    if school is None:
        raise Http404
    if not can(user, action, school):
        raise PermissionDenied
    return school


def framework_partnership_ids(user) -> frozenset[int]:
    """Partnerships whose frameworks the user may read."""
    scope = scope_for(user)
    from passend.organisations.models import School

    via_schools = set(
        School.objects.filter(pk__in=scope.school_ids(VIEW_ROLES)).values_list(
            "partnership_id", flat=True
        )
    )
    return scope.partnership_ids(VIEW_ROLES) | frozenset(via_schools)


def visible_frameworks(user) -> QuerySet:
    from passend.quality.models import QualityFramework

    return QualityFramework.objects.filter(partnership_id__in=framework_partnership_ids(user))


def can_manage_frameworks(user, partnership) -> bool:
    return partnership.pk in scope_for(user).partnership_ids(MANAGE_ROLES)


def get_framework_for_user(user, code, *, manage: bool = False):
    """A framework of a partnership the user may read (404); ``manage`` needs the
    partnership_admin role there (403)."""
    framework = (
        visible_frameworks(user)
        .select_related("partnership", "school_year")
        .filter(code=_parse_code(code))
        .first()
    )
    if framework is None:
        raise Http404
    if manage and not can_manage_frameworks(user, framework.partnership):
        raise PermissionDenied
    return framework


def get_partnership_for_frameworks(user, code, *, manage: bool = False):
    from passend.organisations.models import Partnership

    partnership = (
        Partnership.objects.filter(pk__in=framework_partnership_ids(user))
        .filter(code=_parse_code(code))
        .first()
    )
    if partnership is None:
        raise Http404
    if manage and not can_manage_frameworks(user, partnership):
        raise PermissionDenied
    return partnership


def get_aspect_in_framework(framework, code):
    aspect = framework.aspects.filter(code=_parse_code(code)).select_related("section").first()
    if aspect is None:
        raise Http404
    return aspect


def get_rating_in_assessment(assessment, code):
    rating = (
        assessment.ratings.filter(code=_parse_code(code))
        .select_related("aspect", "aspect__section")
        .first()
    )
    if rating is None:
        raise Http404
    return rating
