"""Who may see and do what with professional development; built on passend.accounts.access.

- Events of a partnership are visible to its partnership_admin, consultants and office, and to
  the directors, coordinators and BPOs of its schools; partners and mentors see none (404).
- BPOs and coordinators register themselves; partnership_admin and office create events and
  record attendance.
- A person's own development records (aspect 12) are theirs to keep; readable by those who may
  read their qualifications (passend.staffing.access.visible_people).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code, scope_for
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
REGISTER_ROLES = frozenset({Role.BPO, Role.COORDINATOR})
MANAGE_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.OFFICE})


def _partnership_ids(user, roles) -> frozenset[int]:
    from passend.organisations.models import School

    scope = scope_for(user)
    via_schools = School.objects.filter(pk__in=scope.school_ids(roles)).values_list(
        "partnership_id", flat=True
    )
    return scope.partnership_ids(roles) | frozenset(via_schools)


def event_partnership_ids(user) -> frozenset[int]:
    return _partnership_ids(user, VIEW_ROLES)


def can_register(user, partnership) -> bool:
    return partnership.pk in _partnership_ids(user, REGISTER_ROLES)


def can_manage(user, partnership) -> bool:
    return partnership.pk in scope_for(user).partnership_ids(MANAGE_ROLES)


def visible_events(user) -> QuerySet:
    from passend.development.models import PdEvent

    return PdEvent.objects.filter(partnership_id__in=event_partnership_ids(user))


def get_event_for_user(user, code, *, manage: bool = False, register: bool = False):
    event = (
        visible_events(user).select_related("partnership").filter(code=_parse_code(code)).first()
    )
    if event is None:
        raise Http404
    if manage and not can_manage(user, event.partnership):
        raise PermissionDenied
    if register and not can_register(user, event.partnership):
        raise PermissionDenied
    return event


def get_partnership_for_events(user, code, *, manage: bool = False):
    from passend.organisations.models import Partnership

    partnership = (
        Partnership.objects.filter(pk__in=event_partnership_ids(user))
        .filter(code=_parse_code(code))
        .first()
    )
    if partnership is None:
        raise Http404
    if manage and not can_manage(user, partnership):
        raise PermissionDenied
    return partnership


def get_record_for_user(user, code, *, write: bool = False):
    from passend.development.models import PdRecord
    from passend.staffing.access import visible_people

    record = (
        PdRecord.objects.filter(user__in=visible_people(user))
        .select_related("user")
        .filter(code=_parse_code(code))
        .first()
    )
    if record is None:
        raise Http404
    if write and record.user_id != user.pk:
        raise PermissionDenied
    return record
