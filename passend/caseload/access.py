"""Who may see support cases: the one rule for case pages, meeting agendas, search, exports and
the API (built on passend.students.access and passend.accounts.access).

- The school's coordinator and BPOs (passend.students.access.file_school_ids) see all cases of
  the school and work in them.
- A partner (role ``partner`` at the school) sees a case only while it is shared with them — by
  name, or with their SOT domain at that school — AND a consent valid today covers them (named,
  or their domain). Withdrawal or expiry removes access at once: nothing is cached across
  requests. A partner whose access comes only through the safety domain (leerplicht) gets the
  fixed attendance data set, never the case narrative (``view_level``).
- Mentors, directors, consultants and SWV staff see no cases.

Outside the scope → 404 ("the error for a thing you can't see is the same as for a thing that
does not exist"); in scope without the right → 403.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from passend.accounts.access import _parse_code, scope_for
from passend.accounts.choices import Role
from passend.organisations.choices import Domain
from passend.students.access import file_school_ids

#: What a viewer sees of a case.
FULL = "full"
ATTENDANCE = "attendance"  # leerplicht: the fixed attendance-related data set only


def partner_domains(user) -> dict[int, set[str]]:
    """{school_id: SOT domains} of ``user`` at the schools where they hold the partner role."""
    from passend.organisations.models import SupportTeamMember

    school_ids = scope_for(user).school_ids({Role.PARTNER})
    if not school_ids:
        return {}
    result: dict[int, set[str]] = {sid: set() for sid in school_ids}
    for school_id, domain in SupportTeamMember.objects.filter(
        user=user, school_id__in=school_ids
    ).values_list("school_id", "domain"):
        result[school_id].add(domain)
    return result


def partner_access(user, on: datetime.date | None = None) -> dict[int, str]:
    """{case_id: FULL | ATTENDANCE} for the cases a partner may open on ``on`` (today). A
    constant number of queries: shares, then the consents of those students."""
    from passend.caseload.models import CaseShare, Consent

    if not user.is_authenticated:
        return {}
    domains_at = partner_domains(user)
    if not domains_at:
        return {}
    on = on or timezone.localdate()
    active = Q(shared_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    in_reach = Q(partner=user) | Q(domain__in={d for ds in domains_at.values() for d in ds})
    shares = list(
        CaseShare.objects.filter(active, in_reach, case__school_id__in=domains_at)
        .select_related("case")
        .only("case__id", "case__school_id", "case__student_id", "domain", "partner_id")
    )
    if not shares:
        return {}
    consents: dict[int, list] = {}
    for consent in Consent.objects.filter(
        student_id__in={s.case.student_id for s in shares}
    ).select_related("student", "guardian"):
        consents.setdefault(consent.student_id, []).append(consent)
    result: dict[int, str] = {}
    for share in shares:
        domains = domains_at.get(share.case.school_id, set())
        if not share.covers(user_id=user.pk, domains=domains):
            continue
        valid = [
            c
            for c in consents.get(share.case.student_id, [])
            if c.is_valid_on(on) and c.covers(user_id=user.pk, domains=domains)
        ]
        if not valid:
            continue
        named = share.partner_id == user.pk or any(c.partner_id == user.pk for c in valid)
        only_safety = domains == {Domain.SAFETY} and not named
        level = ATTENDANCE if only_safety else FULL
        if result.get(share.case_id) != FULL:
            result[share.case_id] = level
    return result


def visible_cases(user, on: datetime.date | None = None) -> QuerySet:
    from passend.caseload.models import SupportCase

    if not user.is_authenticated:
        return SupportCase.objects.none()
    return SupportCase.objects.filter(
        Q(school_id__in=file_school_ids(user)) | Q(pk__in=list(partner_access(user, on)))
    )


def view_level(user, case) -> str:
    """FULL for the school's coordinator and BPOs; for a partner what their share and consent
    allow (call only for a case from ``visible_cases``)."""
    if case.school_id in file_school_ids(user):
        return FULL
    return partner_access(user).get(case.pk, ATTENDANCE)


def can_work(user, case) -> bool:
    """Record contacts, observations, recommendations; change status, share: the school's
    coordinator and BPOs."""
    return case.school_id in file_school_ids(user)


def get_case_for_user(user, code, *, write: bool = False):
    case = (
        visible_cases(user)
        .select_related("school", "school__partnership", "student", "bpo")
        .filter(code=_parse_code(code))
        .first()
    )
    if case is None:
        raise Http404
    if write and not can_work(user, case):
        raise PermissionDenied
    return case


def case_schools(user) -> QuerySet:
    """Schools whose case list the user may open (coordinator, BPO)."""
    from passend.organisations.models import School

    return School.objects.filter(pk__in=file_school_ids(user))


def get_case_school(user, code):
    school = case_schools(user).select_related("partnership").filter(code=_parse_code(code))
    school = school.first()
    if school is None:
        raise Http404
    return school


def approach_partnership_ids(user) -> frozenset[int]:
    """Partnerships whose approach library the user reads: where they see student files, or
    hold an SWV role."""
    from passend.organisations.models import School

    ids = set(
        School.objects.filter(pk__in=file_school_ids(user)).values_list("partnership_id", flat=True)
    )
    return frozenset(ids | scope_for(user).partnership_ids())


APPROACH_EDIT_ROLES = frozenset({Role.PARTNERSHIP_ADMIN})


def may_edit_approaches(user, partnership) -> bool:
    return partnership.pk in scope_for(user).partnership_ids(APPROACH_EDIT_ROLES)


def get_approach_partnership(user, code, *, write: bool = False):
    from passend.organisations.models import Partnership

    partnership = Partnership.objects.filter(
        pk__in=approach_partnership_ids(user), code=_parse_code(code)
    ).first()
    if partnership is None:
        raise Http404
    if write and not may_edit_approaches(user, partnership):
        raise PermissionDenied
    return partnership


# --- SOT meetings -------------------------------------------------------------------------------
#
# The school's coordinator and BPOs see and run all meetings of the school. A partner sees the
# meetings they attend (as a user, while they hold the partner role at the school), and of
# those only the agenda items whose case they may open today (``visible_cases``), at the level
# ``view_level`` gives: the attendance-only partner sees who was discussed, never the minutes.


#: Attendees bound by the school's own duty of confidentiality: no share or consent needed.
SCHOOL_STAFF_ROLES = frozenset({Role.COORDINATOR, Role.BPO, Role.DIRECTOR, Role.MENTOR})


def visible_meetings(user) -> QuerySet:
    from passend.caseload.models import Meeting

    if not user.is_authenticated:
        return Meeting.objects.none()
    attending = Q(attendees__user=user, school_id__in=scope_for(user).school_ids({Role.PARTNER}))
    ids = Meeting.objects.filter(Q(school_id__in=file_school_ids(user)) | attending).values("pk")
    return Meeting.objects.filter(pk__in=ids)


def can_run_meeting(user, meeting) -> bool:
    """Plan, set the agenda, take minutes, finalise: the school's coordinator and BPOs."""
    return meeting.school_id in file_school_ids(user)


def get_meeting_for_user(user, code, *, write: bool = False):
    meeting = (
        visible_meetings(user)
        .select_related("school", "school__partnership", "chair")
        .filter(code=_parse_code(code))
        .first()
    )
    if meeting is None:
        raise Http404
    if write and not can_run_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def item_levels(user, meeting, items) -> dict[int, str]:
    """{agenda item id: FULL | ATTENDANCE} of the items ``user`` may see (a constant number of
    queries). Staff see every item in full; a partner what share and consent allow today."""
    if can_run_meeting(user, meeting):
        return {item.pk: FULL for item in items}
    cases = partner_access(user)
    return {item.pk: cases[item.case_id] for item in items if item.case_id in cases}


def attendee_may_see(attendee, case, on: datetime.date) -> bool:
    """Whether a meeting attendee may hear ``case`` discussed on ``on``: the school's own staff
    (a user with a staff role at the school, or a name without an SOT domain) always; a partner
    user if they may open the case; a partner known by name only (no account) if a share and a
    valid consent cover their domain."""
    from passend.caseload.models import CaseShare, Consent

    if attendee.user_id is not None:
        if case.school_id in scope_for(attendee.user).school_ids(SCHOOL_STAFF_ROLES):
            return True
        return case.pk in partner_access(attendee.user, on)
    if not attendee.domain:
        return True
    domains = {attendee.domain}
    active = Q(shared_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    if not any(
        s.covers(user_id=0, domains=domains) for s in CaseShare.objects.filter(active, case=case)
    ):
        return False
    return any(
        c.is_valid_on(on) and c.covers(user_id=0, domains=domains)
        for c in Consent.objects.filter(student_id=case.student_id).select_related(
            "student", "guardian"
        )
    )
