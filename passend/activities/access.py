"""Who sees the activity log: a BPO sees and keeps only their own activities; totals per
school (never single entries) are shown to those who may see the school's staffing
(passend.staffing.access.VIEW_ROLES) — the werkafspraken and the hours table use them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code, scope_for
from passend.accounts.choices import Role


def own_activities(user) -> QuerySet:
    from passend.activities.models import Activity

    if not user.is_authenticated:
        return Activity.objects.none()
    return Activity.objects.filter(bpo=user)


def get_activity_for_user(user, code):
    activity = own_activities(user).select_related("school").filter(code=_parse_code(code)).first()
    if activity is None:
        raise Http404
    return activity


def loggable_schools(user) -> QuerySet:
    """Schools where the user may log time: where they hold the bpo role, or have a current
    assignment (BPO+ included)."""
    from django.db.models import Q

    from passend.organisations.models import School
    from passend.staffing.models import BpoAssignment

    if not user.is_authenticated:
        return School.objects.none()
    assigned = BpoAssignment.objects.filter(bpo=user).values("school_id")
    return School.objects.filter(
        Q(pk__in=scope_for(user).school_ids({Role.BPO})) | Q(pk__in=assigned)
    ).distinct()


def require_logger(user) -> None:
    """Only people with a school to log time at have an activity log (403 otherwise)."""
    if not loggable_schools(user).exists():
        raise PermissionDenied
