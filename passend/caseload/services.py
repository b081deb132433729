"""Changes to support cases and what is recorded in them (contacts, class observations,
handelingsadviezen with their follow-up) and to the partnership's library of approaches.

Every function checks the acting user's right through passend.caseload.access, runs in one
transaction and writes an audit event holding codes only: narrative text (signal, question,
notes, reports, advice, follow-up) never goes into audit data or log messages.

Status steps: a case may move from any status to any other (forward or back, e.g. closing a
signal that needs no support, or reopening a closed case). Closing sets ``closed_on`` (today);
reopening clears it. Every change writes a CaseStatusChange for the timeline; opening a case
writes the first one ("" → signal).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.audit.services import record
from passend.caseload import access
from passend.caseload.choices import (
    ApproachKind,
    Audience,
    CaseStatus,
    ContactKind,
    RecommendationStatus,
    SignalSource,
)
from passend.caseload.models import (
    Approach,
    CaseStatusChange,
    Contact,
    Observation,
    Recommendation,
    SupportCase,
)
from passend.organisations.choices import Domain
from passend.students.access import file_school_ids

TEXT_MAX = 20000


# --- Checks ------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value: str | None, field: str, *, required: bool, label: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: label or _("Vul dit veld in.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("Deze tekst is te lang.")})
    return text


def _not_in_future(day: datetime.date | None, field: str) -> datetime.date:
    if day is None:
        raise ValidationError({field: _("Vul een datum in.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("Deze datum ligt in de toekomst.")})
    return day


def _choice(value: str, choices: type, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("Kies een van de mogelijkheden.")})
    return value


def _open(case: SupportCase) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Deze casus is afgesloten. Heropen de casus eerst."))


def bpo_choices(school):
    """BPOs a case at ``school`` can be assigned to: the bpo role at the school or a BPO
    assignment there in the current school year."""
    from passend.agreements.services import bpo_choices as agreement_bpos
    from passend.organisations.models import SchoolYear

    return agreement_bpos(school, SchoolYear.current())


def _case_fields(
    school, *, signal_source, signalled_by_name, signalled_on, signal, question, bpo, domains
) -> dict:
    unknown = set(domains or []) - set(Domain.values)
    if unknown:
        raise ValidationError({"domains": _("Kies alleen bestaande domeinen.")})
    if bpo is not None and not bpo_choices(school).filter(pk=bpo.pk).exists():
        raise ValidationError({"bpo": _("Deze persoon is geen bpo'er van de school.")})
    return {
        "signal_source": _choice(signal_source, SignalSource, "signal_source"),
        "signalled_by_name": (signalled_by_name or "").strip()[:150],
        "signalled_on": _not_in_future(signalled_on, "signalled_on"),
        "signal": _text(
            signal, "signal", required=True, label=_("Beschrijf wat er is gesignaleerd.")
        ),
        "question": _text(question, "question", required=False),
        "bpo": bpo,
        "domains": [d for d in Domain.values if d in set(domains or [])],
    }


# --- Cases -------------------------------------------------------------------------------------


def open_case(
    student,
    *,
    signal_source: str,
    signalled_by_name: str,
    signalled_on: datetime.date,
    signal: str,
    question: str,
    bpo,
    domains: Iterable[str],
    acting_user,
) -> SupportCase:
    """A new case for ``student`` in status signal, by the school's coordinator or a BPO."""
    _require(student.school_id in file_school_ids(acting_user))
    fields = _case_fields(
        student.school,
        signal_source=signal_source,
        signalled_by_name=signalled_by_name,
        signalled_on=signalled_on,
        signal=signal,
        question=question,
        bpo=bpo,
        domains=list(domains or []),
    )
    with transaction.atomic():
        case = SupportCase.objects.create(
            partnership_id=student.partnership_id,
            school_id=student.school_id,
            student=student,
            status=CaseStatus.SIGNAL,
            opened_by=acting_user,
            **fields,
        )
        CaseStatusChange.objects.create(
            case=case, from_status="", to_status=CaseStatus.SIGNAL, changed_by=acting_user
        )
        record(
            "case.opened",
            actor=acting_user,
            obj=case,
            school=student.school,
            student=str(student.code),
            signal_source=case.signal_source,
            bpo=str(bpo.code) if bpo is not None else "",
            domains=case.domains,
        )
    return case


def update_case(
    case: SupportCase,
    *,
    signal_source: str,
    signalled_by_name: str,
    signalled_on: datetime.date,
    signal: str,
    question: str,
    bpo,
    domains: Iterable[str],
    acting_user,
) -> SupportCase:
    """Change the signal, question, BPO and domains (not the status: change_status)."""
    _require(access.can_work(acting_user, case))
    fields = _case_fields(
        case.school,
        signal_source=signal_source,
        signalled_by_name=signalled_by_name,
        signalled_on=signalled_on,
        signal=signal,
        question=question,
        bpo=bpo,
        domains=list(domains or []),
    )
    changed = sorted(name for name, value in fields.items() if getattr(case, name) != value)
    if not changed:
        return case
    with transaction.atomic():
        for name, value in fields.items():
            setattr(case, name, value)
        case.save()
        # Field names only: the values of signal and question are narrative.
        record("case.updated", actor=acting_user, obj=case, school=case.school, fields=changed)
    return case


def allowed_steps(case: SupportCase) -> list[str]:
    """The statuses ``case`` can move to: every other one (see the module docstring)."""
    return [s for s in CaseStatus.values if s != case.status]


def change_status(case: SupportCase, to_status: str, *, acting_user) -> SupportCase:
    _require(access.can_work(acting_user, case))
    if to_status not in CaseStatus.values:
        raise ValidationError({"status": _("Onbekende status.")})
    with transaction.atomic():
        locked = SupportCase.objects.select_for_update().get(pk=case.pk)
        from_status = locked.status
        if to_status == from_status:
            raise ValidationError({"status": _("De casus heeft deze status al.")})
        locked.status = to_status
        if to_status == CaseStatus.CLOSED:
            locked.closed_on = timezone.localdate()
        else:
            locked.closed_on = None
        locked.save(update_fields=["status", "closed_on", "updated_at"])
        CaseStatusChange.objects.create(
            case=locked, from_status=from_status, to_status=to_status, changed_by=acting_user
        )
        record(
            "case.status_changed",
            actor=acting_user,
            obj=locked,
            school=case.school,
            from_status=from_status,
            to_status=to_status,
        )
    case.status, case.closed_on = locked.status, locked.closed_on
    return case


# --- Records in a case -------------------------------------------------------------------------


def add_contact(
    case: SupportCase, *, date: datetime.date, kind: str, with_whom: str, notes: str, acting_user
) -> Contact:
    _require(access.can_work(acting_user, case))
    _open(case)
    contact = Contact(
        case=case,
        date=_not_in_future(date, "date"),
        kind=_choice(kind, ContactKind, "kind"),
        with_whom=(with_whom or "").strip()[:150],
        notes=_text(notes, "notes", required=False),
        author=acting_user,
    )
    with transaction.atomic():
        contact.save()
        record(
            "case.contact_added",
            actor=acting_user,
            obj=contact,
            school=case.school,
            case=str(case.code),
            kind=contact.kind,
        )
    return contact


def add_observation(
    case: SupportCase,
    *,
    date: datetime.date,
    lesson: str,
    teacher_name: str,
    report: str,
    acting_user,
) -> Observation:
    _require(access.can_work(acting_user, case))
    _open(case)
    observation = Observation(
        case=case,
        date=_not_in_future(date, "date"),
        lesson=(lesson or "").strip()[:120],
        teacher_name=(teacher_name or "").strip()[:150],
        report=_text(report, "report", required=True, label=_("Schrijf het observatieverslag.")),
        author=acting_user,
    )
    with transaction.atomic():
        observation.save()
        record(
            "case.observation_added",
            actor=acting_user,
            obj=observation,
            school=case.school,
            case=str(case.code),
        )
    return observation


def approach_choices(partnership) -> QuerySet:
    """The approaches a recommendation can cite: the partnership's active ones."""
    return Approach.objects.filter(partnership=partnership, active=True).order_by("name", "pk")


def add_recommendation(
    case: SupportCase,
    *,
    date: datetime.date,
    audience: str,
    text: str,
    approaches: Iterable[Approach] = (),
    acting_user,
) -> Recommendation:
    """A handelingsadvies; it can cite only active approaches of the case's partnership."""
    _require(access.can_work(acting_user, case))
    _open(case)
    approaches = list(approaches or [])
    allowed = set(
        approach_choices_for_case(case)
        .filter(pk__in=[a.pk for a in approaches])
        .values_list("pk", flat=True)
    )
    if any(a.pk not in allowed for a in approaches):
        raise ValidationError(
            {"approaches": _("Kies alleen aanpakken uit de bibliotheek van het eigen SWV.")}
        )
    recommendation = Recommendation(
        case=case,
        date=_not_in_future(date, "date"),
        audience=_choice(audience, Audience, "audience"),
        text=_text(text, "text", required=True, label=_("Schrijf het advies.")),
        author=acting_user,
    )
    with transaction.atomic():
        recommendation.save()
        recommendation.approaches.set(approaches)
        record(
            "case.recommendation_added",
            actor=acting_user,
            obj=recommendation,
            school=case.school,
            case=str(case.code),
            audience=recommendation.audience,
            approaches=[str(a.code) for a in approaches],
        )
    return recommendation


def approach_choices_for_case(case: SupportCase) -> QuerySet:
    return approach_choices(case.partnership_id)


def update_follow_up(
    recommendation: Recommendation, *, status: str, follow_up: str, acting_user
) -> Recommendation:
    """How the advice is followed up (also after the case is closed)."""
    case = recommendation.case
    _require(access.can_work(acting_user, case))
    recommendation.status = _choice(status, RecommendationStatus, "status")
    recommendation.follow_up = _text(follow_up, "follow_up", required=False)
    with transaction.atomic():
        recommendation.save(update_fields=["status", "follow_up"])
        record(
            "case.recommendation_followed_up",
            actor=acting_user,
            obj=recommendation,
            school=case.school,
            case=str(case.code),
            status=recommendation.status,
        )
    return recommendation


def mentor_recommendations(student) -> QuerySet:
    """The recommendations meant for the mentor in all of ``student``'s cases, newest first,
    with their approaches (two queries)."""
    return (
        Recommendation.objects.filter(case__student=student, audience=Audience.MENTOR)
        .prefetch_related("approaches")
        .order_by("-date", "-created_at")
    )


# --- Approaches library ------------------------------------------------------------------------


def _approach_fields(partnership, *, name, kind, description, url, active, exclude=None) -> dict:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Geef de aanpak een naam.")})
    same = Approach.objects.filter(partnership=partnership, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError({"name": _("Er is al een aanpak met deze naam.")})
    return {
        "name": name[:150],
        "kind": _choice(kind, ApproachKind, "kind"),
        "description": (description or "").strip(),
        "url": (url or "").strip(),
        "active": bool(active),
    }


def create_approach(
    partnership,
    *,
    name: str,
    kind: str,
    description: str = "",
    url: str = "",
    active: bool = True,
    acting_user,
) -> Approach:
    _require(access.may_edit_approaches(acting_user, partnership))
    fields = _approach_fields(
        partnership, name=name, kind=kind, description=description, url=url, active=active
    )
    with transaction.atomic():
        approach = Approach.objects.create(partnership=partnership, **fields)
        record("approach.created", actor=acting_user, obj=approach, partnership=partnership)
    return approach


def update_approach(
    approach: Approach,
    *,
    name: str,
    kind: str,
    description: str = "",
    url: str = "",
    active: bool = True,
    acting_user,
) -> Approach:
    partnership = approach.partnership
    _require(access.may_edit_approaches(acting_user, partnership))
    fields = _approach_fields(
        partnership,
        name=name,
        kind=kind,
        description=description,
        url=url,
        active=active,
        exclude=approach,
    )
    with transaction.atomic():
        for field, value in fields.items():
            setattr(approach, field, value)
        approach.save()
        record(
            "approach.updated",
            actor=acting_user,
            obj=approach,
            partnership=partnership,
            active=approach.active,
        )
    return approach
