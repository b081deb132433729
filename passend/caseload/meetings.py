"""SOT meetings (SOT-overleg, leerlingbespreking, MDO): planning with attendees, an agenda of
cases, minutes and decisions per item, action points with owner and due date, finalising, and
the recap (who was discussed, what was agreed, who does what by when).

The rule of the agenda: a case goes on it only if every attendee may hear it discussed
(passend.caseload.access.attendee_may_see, on the meeting's date) — the school's staff always,
an SOT partner only while the case is shared with them under a valid consent. Adding an
attendee who may not see a case already on the agenda is refused the same way. The pages then
filter per viewer on the day of viewing (access.item_levels), so a consent withdrawn after the
meeting also hides the item from the recap at once.

Every function checks the acting user's right, runs in one transaction and writes an audit event
with codes only: minutes, decisions and action texts are narrative (encrypted at rest) and
never go into audit data or log messages. A finalised meeting is closed for changes; only its
action points can still be ticked off (by their owner or the school's staff).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.audit.services import record
from passend.caseload import access
from passend.caseload.choices import CaseStatus, MeetingKind
from passend.caseload.models import (
    ActionPoint,
    AgendaItem,
    Meeting,
    MeetingAttendee,
    SupportCase,
)
from passend.caseload.services import TEXT_MAX
from passend.organisations.choices import Domain
from passend.organisations.models import SchoolYear, SupportTeamMember

#: A meeting is planned at most this far ahead or back.
MAX_DAYS_AWAY = 366


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _not_final(meeting: Meeting) -> None:
    if meeting.is_final:
        raise ValidationError(_("Dit overleg is afgerond en kan niet meer worden gewijzigd."))


def _text(value: str | None, name: str) -> str:
    text = (value or "").strip()
    if len(text) > TEXT_MAX:
        raise ValidationError({name: _("Deze tekst is te lang.")})
    return text


# --- Who can attend -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Someone who can be put on the attendee list: the school's coordinator or a BPO (``user``,
    no domain), or a member of the school's SOT for that school year (``member``)."""

    key: str
    name: str
    function: str
    domain: str
    user: User | None = None

    @property
    def label(self) -> str:
        parts = [self.name, self.function]
        if self.domain:
            parts.append(str(Domain(self.domain).label))
        return " – ".join(p for p in parts if p)


def candidates(school, on: datetime.date) -> list[Candidate]:
    """The attendee choices of a meeting at ``school`` on ``on``: staff with the coordinator or
    BPO role at the school that day, then the SOT members of that school year."""
    year = SchoolYear.current(on)
    staff = (
        Membership.objects.current(on)
        .filter(school=school, role__in=[Role.COORDINATOR, Role.BPO], user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    result: dict[str, Candidate] = {}
    for membership in staff:
        key = f"user:{membership.user_id}"
        if key not in result:
            result[key] = Candidate(
                key=key,
                name=membership.user.full_name,
                function=str(Role(membership.role).label),
                domain="",
                user=membership.user,
            )
    members = SupportTeamMember.objects.filter(
        school=school, team__school_year=year
    ).select_related("user")
    staff_users = {c.user.pk for c in result.values()}
    for member in members:
        if member.user_id in staff_users:
            continue  # the BPO in the SOT is already on the list as staff
        result[f"member:{member.pk}"] = Candidate(
            key=f"member:{member.pk}",
            name=member.name,
            function=member.function or member.organisation,
            # The school's own education-support member (e.g. the BPO by name) is staff.
            domain="" if member.domain == Domain.EDUCATION_SUPPORT else member.domain,
            user=member.user,
        )
    return list(result.values())


def _others(text: str) -> list[tuple[str, str]]:
    """Extra attendees of the school, one per line: ``name`` or ``name, function``."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, function = line.partition(",")
        if len(name.strip()) > 150 or len(function.strip()) > 150:
            raise ValidationError({"others": _("Een naam of functie is te lang.")})
        result.append((name.strip(), function.strip()))
    if len(result) > 30:
        raise ValidationError({"others": _("Vul hoogstens 30 overige deelnemers in.")})
    return result


def _attendees(meeting: Meeting, keys, others: str) -> list[MeetingAttendee]:
    known = {c.key: c for c in candidates(meeting.school, meeting.date)}
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValidationError({"attendees": _("Kies alleen deelnemers uit de lijst.")})
    chosen = [known[k] for k in dict.fromkeys(keys)]
    attendees = [
        MeetingAttendee(
            meeting=meeting, user=c.user, name=c.name, function=c.function, domain=c.domain
        )
        for c in chosen
    ]
    attendees += [
        MeetingAttendee(meeting=meeting, name=name, function=function)
        for name, function in _others(others)
    ]
    if not attendees:
        raise ValidationError({"attendees": _("Kies wie er aan het overleg deelnemen.")})
    return attendees


def _blocked(attendees, cases, on: datetime.date) -> list[str]:
    """'attendee: student' for each attendee who may not hear a case discussed."""
    return [
        _("%(who)s mag de casus van %(student)s niet inzien")
        % {"who": a.name, "student": c.student.full_name}
        for c in cases
        for a in attendees
        if not access.attendee_may_see(a, c, on)
    ]


# --- Planning -----------------------------------------------------------------------------------


def _meeting_fields(school, *, kind, date, starts_at, location, chair) -> dict:
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Kies een van de mogelijkheden.")})
    if date is None:
        raise ValidationError({"date": _("Vul een datum in.")})
    if abs((date - timezone.localdate()).days) > MAX_DAYS_AWAY:
        raise ValidationError({"date": _("Kies een datum binnen een jaar van vandaag.")})
    if chair is not None and chair.pk not in {
        c.user.pk for c in candidates(school, date) if c.user is not None and not c.domain
    }:
        raise ValidationError({"chair": _("De voorzitter is de coördinator of een bpo'er.")})
    return {
        "kind": kind,
        "date": date,
        "starts_at": starts_at,
        "location": (location or "").strip()[:150],
        "chair": chair,
    }


def plan_meeting(
    school, *, kind, date, starts_at, location, chair, attendees, others, acting_user
) -> Meeting:
    """A new meeting at ``school`` with its attendee list (the coordinator or a BPO)."""
    from passend.students.access import file_school_ids

    _require(school.pk in file_school_ids(acting_user))
    fields = _meeting_fields(
        school, kind=kind, date=date, starts_at=starts_at, location=location, chair=chair
    )
    meeting = Meeting(
        partnership_id=school.partnership_id, school=school, created_by=acting_user, **fields
    )
    people = _attendees(meeting, list(attendees or []), others)
    with transaction.atomic():
        meeting.save()
        MeetingAttendee.objects.bulk_create(people)
        record(
            "meeting.planned",
            actor=acting_user,
            obj=meeting,
            school=school,
            kind=meeting.kind,
            date=str(meeting.date),
            attendees=len(people),
        )
    return meeting


def update_meeting(
    meeting: Meeting, *, kind, date, starts_at, location, chair, attendees, others, acting_user
) -> Meeting:
    """Change date, place and attendees; refused when a new attendee may not see a case that
    is already on the agenda."""
    _require(access.can_run_meeting(acting_user, meeting))
    _not_final(meeting)
    fields = _meeting_fields(
        meeting.school, kind=kind, date=date, starts_at=starts_at, location=location, chair=chair
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    people = _attendees(meeting, list(attendees or []), others)
    cases = [i.case for i in meeting.items.select_related("case", "case__student")]
    blocked = _blocked(people, cases, meeting.date)
    if blocked:
        raise ValidationError(
            {
                "attendees": _(
                    "Niet iedereen mag alle casussen op de agenda inzien: %(list)s. Haal de "
                    "casus van de agenda of leg eerst toestemming vast en deel de casus."
                )
                % {"list": "; ".join(blocked)}
            }
        )
    with transaction.atomic():
        meeting.save()
        meeting.attendees.all().delete()
        MeetingAttendee.objects.bulk_create(people)
        record(
            "meeting.updated",
            actor=acting_user,
            obj=meeting,
            school=meeting.school,
            date=str(meeting.date),
            attendees=len(people),
        )
    return meeting


def set_presence(meeting: Meeting, present_ids, *, acting_user) -> None:
    """Who was there (the rest is recorded as absent with notice)."""
    _require(access.can_run_meeting(acting_user, meeting))
    _not_final(meeting)
    ids = {int(i) for i in present_ids}
    with transaction.atomic():
        meeting.attendees.update(present=False)
        meeting.attendees.filter(pk__in=ids).update(present=True)
        record("meeting.presence", actor=acting_user, obj=meeting, school=meeting.school)


# --- The agenda ---------------------------------------------------------------------------------


def agenda_choices(meeting: Meeting) -> QuerySet:
    """Cases of the school that can go on the agenda: not closed, not on it yet."""
    return (
        SupportCase.objects.filter(school=meeting.school)
        .exclude(status=CaseStatus.CLOSED)
        .exclude(agenda_items__meeting=meeting)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "pk")
    )


def add_item(meeting: Meeting, case: SupportCase, *, acting_user) -> AgendaItem:
    _require(access.can_run_meeting(acting_user, meeting))
    _not_final(meeting)
    if case.school_id != meeting.school_id:
        raise ValidationError({"case": _("Kies een casus van deze school.")})
    if meeting.items.filter(case=case).exists():
        raise ValidationError({"case": _("Deze casus staat al op de agenda.")})
    blocked = _blocked(list(meeting.attendees.select_related("user")), [case], meeting.date)
    if blocked:
        raise ValidationError(
            {
                "case": _(
                    "Deze casus kan niet op de agenda: %(list)s. Deel de casus eerst met de "
                    "partner en leg de toestemming vast, of bespreek hem zonder deze partner."
                )
                % {"list": "; ".join(blocked)}
            }
        )
    position = (meeting.items.order_by("-position").values_list("position", flat=True).first()) or 0
    with transaction.atomic():
        item = AgendaItem.objects.create(meeting=meeting, case=case, position=position + 1)
        record(
            "meeting.item_added",
            actor=acting_user,
            obj=item,
            school=meeting.school,
            meeting=str(meeting.code),
            case=str(case.code),
            student=str(case.student.code),
        )
    return item


def remove_item(item: AgendaItem, *, acting_user) -> None:
    meeting = item.meeting
    _require(access.can_run_meeting(acting_user, meeting))
    _not_final(meeting)
    with transaction.atomic():
        record(
            "meeting.item_removed",
            actor=acting_user,
            school=meeting.school,
            meeting=str(meeting.code),
            case=str(item.case.code),
        )
        item.delete()


@dataclass
class ActionInput:
    """One row of the action-point form; ``pk`` for an existing point, ``delete`` to drop it."""

    description: str
    due_on: datetime.date | None
    owner: User | None = None
    owner_name: str = ""
    pk: int | None = None
    delete: bool = False
    errors: dict = field(default_factory=dict)


def owner_choices(meeting: Meeting) -> QuerySet:
    """Users who can own an action point: the meeting's attendees with an account."""
    return User.objects.filter(
        pk__in=meeting.attendees.filter(user__isnull=False).values("user_id")
    ).order_by("full_name", "email")


def record_minutes(
    item: AgendaItem, *, minutes: str, decisions: str, actions: list[ActionInput], acting_user
) -> AgendaItem:
    """Save the minutes and decisions of an agenda item and its action points (all or nothing;
    errors per row under ``actions``)."""
    meeting = item.meeting
    _require(access.can_run_meeting(acting_user, meeting))
    _not_final(meeting)
    minutes = _text(minutes, "minutes")
    decisions = _text(decisions, "decisions")
    owners = set(owner_choices(meeting).values_list("pk", flat=True))
    existing = {a.pk: a for a in item.action_points.all()}
    problems = []
    for number, row in enumerate(actions, start=1):
        if row.delete:
            continue
        description = (row.description or "").strip()
        if not description:
            problems.append(_("Actiepunt %(n)s: beschrijf de actie.") % {"n": number})
        elif len(description) > TEXT_MAX:
            problems.append(_("Actiepunt %(n)s: de tekst is te lang.") % {"n": number})
        if row.due_on is None:
            problems.append(_("Actiepunt %(n)s: vul een datum in.") % {"n": number})
        if row.owner is None and not (row.owner_name or "").strip():
            problems.append(_("Actiepunt %(n)s: kies wie de actie uitvoert.") % {"n": number})
        if row.owner is not None and row.owner.pk not in owners:
            problems.append(
                _("Actiepunt %(n)s: kies een deelnemer van het overleg.") % {"n": number}
            )
        if row.pk is not None and row.pk not in existing:
            problems.append(_("Actiepunt %(n)s bestaat niet meer.") % {"n": number})
    if problems:
        raise ValidationError({"actions": problems})
    with transaction.atomic():
        item.minutes = minutes
        item.decisions = decisions
        item.save()
        kept = 0
        for row in actions:
            point = existing.get(row.pk) if row.pk is not None else None
            if row.delete:
                if point is not None:
                    point.delete()
                continue
            point = point or ActionPoint(item=item)
            point.description = row.description.strip()
            point.due_on = row.due_on
            point.owner = row.owner
            point.owner_name = "" if row.owner is not None else row.owner_name.strip()[:150]
            point.save()
            kept += 1
        record(
            "meeting.minutes_recorded",
            actor=acting_user,
            obj=item,
            school=meeting.school,
            meeting=str(meeting.code),
            case=str(item.case.code),
            action_points=kept,
        )
    return item


def finalise(meeting: Meeting, *, acting_user) -> Meeting:
    """Close the meeting: every item needs minutes or decisions; the recap becomes available to
    the attendees and nothing can be changed any more."""
    _require(access.can_run_meeting(acting_user, meeting))
    _not_final(meeting)
    items = list(meeting.items.select_related("case__student"))
    if not items:
        raise ValidationError(_("Zet eerst een casus op de agenda."))
    empty = [i.case.student.full_name for i in items if not (i.minutes or i.decisions)]
    if empty:
        raise ValidationError(
            _("Leg eerst een verslag of afspraken vast bij: %(names)s.")
            % {"names": ", ".join(empty)}
        )
    with transaction.atomic():
        meeting.finalised_at = timezone.now()
        meeting.finalised_by = acting_user
        meeting.save(update_fields=["finalised_at", "finalised_by"])
        record(
            "meeting.finalised",
            actor=acting_user,
            obj=meeting,
            school=meeting.school,
            items=len(items),
        )
    return meeting


def may_complete(user, point: ActionPoint, meeting: Meeting) -> bool:
    return point.owner_id == user.pk or access.can_run_meeting(user, meeting)


def complete_action(point: ActionPoint, *, acting_user) -> ActionPoint:
    meeting = point.item.meeting
    _require(may_complete(acting_user, point, meeting))
    if point.done_on is not None:
        return point
    with transaction.atomic():
        point.done_on = timezone.localdate()
        point.save(update_fields=["done_on"])
        record(
            "meeting.action_done",
            actor=acting_user,
            obj=point,
            school=meeting.school,
            meeting=str(meeting.code),
        )
    return point


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class ItemView:
    """An agenda item as one viewer may see it: ``full`` False for the attendance-only partner
    (who was discussed, never the minutes)."""

    item: AgendaItem
    full: bool

    @property
    def case(self) -> SupportCase:
        return self.item.case


def meeting_items(meeting: Meeting, user) -> list[ItemView]:
    """The agenda items ``user`` may see, in order, with the case, student, BPO and action
    points loaded (a constant number of queries)."""
    points = Prefetch(
        "action_points", queryset=ActionPoint.objects.select_related("owner").order_by("due_on")
    )
    items = list(
        meeting.items.select_related("case", "case__student", "case__bpo").prefetch_related(points)
    )
    levels = access.item_levels(user, meeting, items)
    return [ItemView(i, levels[i.pk] == access.FULL) for i in items if i.pk in levels]


def user_meetings(user) -> QuerySet:
    """The meetings ``user`` sees, newest first, with school and counts loaded."""
    from django.db.models import Count

    return (
        access.visible_meetings(user)
        .select_related("school")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-date", "-starts_at", "-pk")
    )


def open_actions(user) -> QuerySet:
    """Action points owned by ``user`` not done yet, of meetings they still see."""
    return (
        ActionPoint.objects.filter(
            owner=user, done_on__isnull=True, item__meeting__in=access.visible_meetings(user)
        )
        .filter(Q(item__case__in=access.visible_cases(user)))
        .select_related("item__meeting", "item__meeting__school", "item__case__student")
        .order_by("due_on", "pk")
    )
