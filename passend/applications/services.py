"""Changes to applications (aanvragen) and the kinds a partnership uses.

Every function checks the acting user's right through passend.applications.access, runs in one
transaction and writes an audit event holding codes only: narrative text (the support question,
what was tried, advice texts) and names never go into audit data or log messages.

The steps: the school draws up a draft (``start_application``, ``update_application``,
``add_advice``/``remove_advice``, ``record_dossier_consent``) and submits it
(``submit_application``: the consent is recorded and, for a TLV, there are two independent
advices, one by an orthopedagogue or psychologist). The SWV takes it under review
(``start_review``) and decides (``decide_application``: granted with start and end date — for a
TLV a funding category, and the end date defaults to 31 July of the school year — or refused).
Within six weeks of the decision an objection can be recorded (``record_objection``); the SWV
closes the application (``close_application``). Every step writes an ApplicationStatusChange.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passend.applications import access
from passend.applications.choices import (
    DECIDED,
    QUALIFYING_PROFESSIONS,
    TLV_KINDS,
    ApplicationKind,
    ApplicationStatus,
    DossierPart,
    ExpertProfession,
    Outcome,
    TlvCategory,
)
from passend.applications.models import (
    OBJECTION_DAYS,
    Application,
    ApplicationPolicy,
    ApplicationStatusChange,
    DossierConsent,
    ExpertAdvice,
    school_year_end,
)
from passend.audit.services import record
from passend.caseload.choices import ConsentGiver
from passend.caseload.consent import _date_errors, _giver_errors

TEXT_MAX = 20000
NAME_MAX = 150
DECISION_NUMBER_MAX = 50
#: The Awb's longest term for a decision without a statutory one (art. 4:13: "uiterlijk acht
#: weken"): when a submitted application is due for the SWV.
DECISION_DAYS = 56


# --- Checks ------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value: str | None, field: str, *, required: bool = False, label: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: label or _("Vul dit veld in.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("Deze tekst is te lang.")})
    return text


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError(
            _("De aanvraag is ingediend: het dossier kan niet meer worden gewijzigd.")
        )


def _step(application: Application, to_status: str, acting_user, fields: list[str]) -> None:
    """Save ``fields`` and the new status, and keep the step in the history (in the caller's
    transaction)."""
    from_status = application.status
    application.status = to_status
    application.save(update_fields=[*fields, "status", "updated_at"])
    ApplicationStatusChange.objects.create(
        partnership_id=application.partnership_id,
        school_id=application.school_id,
        application=application,
        from_status=from_status,
        to_status=to_status,
        changed_by=acting_user,
    )
    record(
        f"application.{to_status}",
        actor=acting_user,
        obj=application,
        student=str(application.student.code),
        kind=application.kind,
        from_status=from_status,
        to_status=to_status,
    )


def _locked(application: Application) -> Application:
    """The application re-read under a row lock, so two steps cannot cross."""
    return (
        Application.objects.select_for_update()
        .select_related("school", "student", "case")
        .get(pk=application.pk)
    )


# --- Kinds in use ------------------------------------------------------------------------------


def kinds_in_use(partnership) -> list[str]:
    return ApplicationPolicy.kinds_for(partnership)


def set_kinds_in_use(partnership, kinds: Iterable[str], *, acting_user) -> ApplicationPolicy:
    """Choose the kinds of application the partnership's schools can start (at least one).
    Applications of a kind no longer in use keep their course."""
    _require(access.may_set_kinds(acting_user, partnership))
    chosen = set(kinds or [])
    if chosen - set(ApplicationKind.values):
        raise ValidationError({"kinds": _("Kies alleen bestaande soorten aanvragen.")})
    if not chosen:
        raise ValidationError({"kinds": _("Kies ten minste één soort aanvraag.")})
    ordered = [k for k in ApplicationKind.values if k in chosen]
    with transaction.atomic():
        policy, _created = ApplicationPolicy.objects.update_or_create(
            partnership=partnership, defaults={"kinds": ordered, "updated_by": acting_user}
        )
        record(
            "application_policy.updated",
            actor=acting_user,
            obj=partnership,
            kinds=ordered,
        )
    return policy


# --- The draft ---------------------------------------------------------------------------------


def _kind(kind: str, partnership, *, current: str = "") -> str:
    if kind == current:
        return kind
    if kind not in kinds_in_use(partnership):
        raise ValidationError({"kind": _("Kies een soort aanvraag die het SWV gebruikt.")})
    return kind


def start_application(case, *, kind: str, acting_user) -> Application:
    """A draft application for the case's student; the support question is taken from the
    case (and can be edited in the dossier)."""
    _require(access.can_write(acting_user, case))
    kind = _kind(kind, case.partnership_id)
    with transaction.atomic():
        application = Application.objects.create(
            partnership_id=case.partnership_id,
            school_id=case.school_id,
            student_id=case.student_id,
            case=case,
            kind=kind,
            question=case.question,
            created_by=acting_user,
        )
        ApplicationStatusChange.objects.create(
            partnership_id=case.partnership_id,
            school_id=case.school_id,
            application=application,
            from_status="",
            to_status=ApplicationStatus.DRAFT,
            changed_by=acting_user,
        )
        record(
            "application.started",
            actor=acting_user,
            obj=application,
            student=str(case.student.code),
            case=str(case.code),
            kind=kind,
        )
    return application


def update_application(
    application: Application,
    *,
    kind: str,
    question: str,
    tried: str,
    observations: Iterable = (),
    recommendations: Iterable = (),
    mdo_on: datetime.date | None,
    acting_user,
) -> Application:
    """The dossier of a draft: kind, support question, what was tried, the case's observations
    and recommendations that go with it, the MDO date."""
    _require(access.can_write(acting_user, application))
    _draft(application)
    kind = _kind(kind, application.partnership_id, current=application.kind)
    question = _text(question, "question")
    tried = _text(tried, "tried")
    observations = list(observations or [])
    recommendations = list(recommendations or [])
    case = application.case
    if any(o.case_id != case.pk for o in observations):
        raise ValidationError({"observations": _("Kies alleen observaties uit deze casus.")})
    if any(r.case_id != case.pk for r in recommendations):
        raise ValidationError({"recommendations": _("Kies alleen adviezen uit deze casus.")})
    if mdo_on is not None and mdo_on > timezone.localdate():
        raise ValidationError({"mdo_on": _("Deze datum ligt in de toekomst.")})
    with transaction.atomic():
        application.kind, application.question, application.tried = kind, question, tried
        application.mdo_on = mdo_on
        application.save(update_fields=["kind", "question", "tried", "mdo_on", "updated_at"])
        application.observations.set(observations)
        application.recommendations.set(recommendations)
        record(
            "application.updated",
            actor=acting_user,
            obj=application,
            kind=kind,
            observations=sorted(str(o.code) for o in observations),
            recommendations=sorted(str(r.code) for r in recommendations),
        )
    return application


def add_advice(
    application: Application,
    *,
    profession: str,
    name: str,
    given_on: datetime.date | None,
    advice: str,
    independent: bool,
    acting_user,
) -> ExpertAdvice:
    _require(access.can_write(acting_user, application))
    _draft(application)
    errors: dict[str, list[str]] = {}
    if profession not in ExpertProfession.values:
        errors.setdefault("profession", []).append(_("Kies het beroep van de deskundige."))
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Vul de naam van de deskundige in."))
    elif len(name) > NAME_MAX:
        errors.setdefault("name", []).append(_("Deze naam is te lang."))
    if given_on is None:
        errors.setdefault("given_on", []).append(_("Vul de datum van het advies in."))
    elif given_on > timezone.localdate():
        errors.setdefault("given_on", []).append(_("Deze datum ligt in de toekomst."))
    if errors:
        raise ValidationError(errors)
    text = _text(advice, "advice", required=True, label=_("Neem het advies op."))
    with transaction.atomic():
        item = ExpertAdvice.objects.create(
            partnership_id=application.partnership_id,
            school_id=application.school_id,
            application=application,
            profession=profession,
            name=name,
            given_on=given_on,
            advice=text,
            independent=bool(independent),
            recorded_by=acting_user,
        )
        # The expert's name is personal data of the expert, not of the student: codes only.
        record(
            "application.advice_added",
            actor=acting_user,
            obj=item,
            application=str(application.code),
            profession=profession,
            independent=item.independent,
        )
    return item


def remove_advice(advice: ExpertAdvice, *, acting_user) -> None:
    application = advice.application
    _require(access.can_write(acting_user, application))
    _draft(application)
    with transaction.atomic():
        code = str(advice.code)
        advice.delete()
        record(
            "application.advice_removed",
            actor=acting_user,
            obj=application,
            advice=code,
        )


def record_dossier_consent(
    application: Application,
    *,
    given_by: str,
    guardian=None,
    given_on: datetime.date | None,
    parts: Iterable[str],
    acting_user,
) -> DossierConsent:
    """The consent to send the dossier to the SWV and which parts it covers; recording it
    again before submission replaces it. Under 16 a guardian with legal authority gives it,
    from 16 the student (passend.caseload.consent decides, on the day of the consent)."""
    _require(access.can_write(acting_user, application))
    _draft(application)
    student = application.student
    parts = list(parts or [])
    errors: dict[str, list[str]] = {}
    _giver_errors(student, given_by, guardian, given_on, errors)
    _date_errors(given_on, None, timezone.localdate(), errors)
    if set(parts) - set(DossierPart.values):
        errors.setdefault("parts", []).append(_("Kies alleen onderdelen van het dossier."))
    if errors:
        raise ValidationError(errors)
    by_guardian = given_by == ConsentGiver.GUARDIAN
    ordered = [p for p in DossierPart.values if p in set(parts)]
    with transaction.atomic():
        consent, _created = DossierConsent.objects.update_or_create(
            application=application,
            defaults={
                "partnership_id": application.partnership_id,
                "school_id": application.school_id,
                "given_by": given_by,
                "guardian": guardian if by_guardian else None,
                "guardian_name": guardian.name if by_guardian else "",
                "given_on": given_on,
                "parts": ordered,
                "recorded_by": acting_user,
            },
        )
        record(
            "application.consent_recorded",
            actor=acting_user,
            obj=application,
            student=str(student.code),
            given_by=given_by,
            given_on=given_on.isoformat(),
            parts=ordered,
        )
    return consent


# --- Submitting --------------------------------------------------------------------------------


def submission_problems(application: Application, advices: list[ExpertAdvice]) -> list[str]:
    """Why the draft cannot be submitted yet (empty when it can): the dossier consent, and for a
    TLV two independent advices of which one by an orthopedagogue or psychologist."""
    problems = []
    if not DossierConsent.objects.filter(application=application).exists():
        problems.append(_("Leg eerst de toestemming vast om het dossier naar het SWV te sturen."))
    if application.kind in TLV_KINDS:
        if len(advices) < 2:
            problems.append(
                _(
                    "Een TLV-aanvraag heeft het advies van twee deskundigen nodig; er is er nu "
                    "%(n)s."
                )
                % {"n": len(advices)}
            )
        elif not any(a.profession in QUALIFYING_PROFESSIONS for a in advices):
            problems.append(_("Eén van de twee deskundigen moet orthopedagoog of psycholoog zijn."))
        if any(not a.independent for a in advices):
            problems.append(
                _(
                    "Elke deskundige moet onafhankelijk zijn van de school en de aanvrager: "
                    "leg de onafhankelijkheidsverklaring vast of vervang het advies."
                )
            )
    return problems


def submit_application(application: Application, *, acting_user) -> Application:
    """Send the draft to the SWV; from now on the SWV sees it and the dossier is fixed."""
    _require(access.can_write(acting_user, application))
    with transaction.atomic():
        locked = _locked(application)
        _draft(locked)
        problems = submission_problems(locked, list(locked.advices.all()))
        if problems:
            raise ValidationError(problems)
        locked.submitted_on = timezone.localdate()
        _step(locked, ApplicationStatus.SUBMITTED, acting_user, ["submitted_on"])
    application.status, application.submitted_on = locked.status, locked.submitted_on
    return application


# --- The SWV -----------------------------------------------------------------------------------


def start_review(application: Application, *, acting_user) -> Application:
    _require(access.can_decide(acting_user, application))
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(_("Alleen een ingediende aanvraag kan in behandeling gaan."))
        _step(locked, ApplicationStatus.UNDER_REVIEW, acting_user, [])
    application.status = locked.status
    return application


def decision_errors(
    application: Application,
    *,
    outcome: str,
    decision_number: str,
    decided_on: datetime.date | None,
    category: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if outcome not in Outcome.values:
        add("outcome", _("Kies toekennen of afwijzen."))
    if not decision_number.strip():
        add("decision_number", _("Vul het besluitnummer in."))
    elif len(decision_number.strip()) > DECISION_NUMBER_MAX:
        add("decision_number", _("Het besluitnummer is te lang."))
    if decided_on is None:
        add("decided_on", _("Vul de datum van het besluit in."))
    elif decided_on > timezone.localdate():
        add("decided_on", _("Deze datum ligt in de toekomst."))
    elif application.submitted_on and decided_on < application.submitted_on:
        add("decided_on", _("Het besluit ligt vóór de datum van indienen."))
    if outcome != Outcome.GRANTED:
        return errors
    if category and application.kind not in TLV_KINDS:
        add("category", _("Een bekostigingscategorie hoort alleen bij een TLV."))
    elif category and category not in TlvCategory.values:
        add("category", _("Kies laag, midden of hoog."))
    elif not category and application.kind in TLV_KINDS:
        add("category", _("Kies de bekostigingscategorie van de TLV (laag, midden of hoog)."))
    if starts_on is None:
        add("starts_on", _("Vul de ingangsdatum in."))
    elif ends_on is not None and ends_on < starts_on:
        add("ends_on", _("De einddatum ligt vóór de ingangsdatum."))
    return errors


def decide_application(
    application: Application,
    *,
    outcome: str,
    decision_number: str,
    decided_on: datetime.date | None,
    category: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    acting_user,
) -> Application:
    """Record the SWV's decision on an application under review. Granted needs a start date;
    a TLV also its funding category, and its end date is 31 July of the school year of the
    start when left blank. A category on an arrangement or LWOO is refused (there is none);
    on a refusal category and dates are not kept."""
    _require(access.can_decide(acting_user, application))
    decision_number = (decision_number or "").strip()
    category = category or ""
    errors = decision_errors(
        application,
        outcome=outcome,
        decision_number=decision_number,
        decided_on=decided_on,
        category=category,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if errors:
        raise ValidationError(errors)
    if outcome == Outcome.GRANTED:
        if ends_on is None and application.kind in TLV_KINDS:
            ends_on = school_year_end(starts_on)
    else:
        category, starts_on, ends_on = "", None, None
    fields = ["outcome", "decision_number", "decided_on", "category", "starts_on", "ends_on"]
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != ApplicationStatus.UNDER_REVIEW:
            raise ValidationError(
                _("Neem de aanvraag eerst in behandeling; dan kan het besluit worden vastgelegd.")
            )
        locked.outcome, locked.decision_number, locked.decided_on = (
            outcome,
            decision_number,
            decided_on,
        )
        locked.category, locked.starts_on, locked.ends_on = category, starts_on, ends_on
        locked.decided_by = acting_user
        _step(locked, outcome, acting_user, [*fields, "decided_by"])
    for name in [*fields, "status"]:
        setattr(application, name, getattr(locked, name))
    return application


def record_objection(
    application: Application, *, filed_on: datetime.date | None, acting_user
) -> Application:
    """An objection (bezwaar) reached the SWV on ``filed_on``: at the latest six weeks (42
    days) after the decision — day 42 is in time, day 43 is late."""
    _require(access.can_decide(acting_user, application))
    if filed_on is None:
        raise ValidationError({"filed_on": _("Vul de datum van het bezwaar in.")})
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("Deze datum ligt in de toekomst.")})
    with transaction.atomic():
        locked = _locked(application)
        if locked.status not in DECIDED:
            raise ValidationError(_("Bezwaar kan alleen tegen een besluit van het SWV."))
        if filed_on < locked.decided_on:
            raise ValidationError(
                {"filed_on": _("Het bezwaar ligt vóór de datum van het besluit.")}
            )
        deadline = locked.objection_deadline()
        if filed_on > deadline:
            raise ValidationError(
                {
                    "filed_on": _(
                        "Te laat: bezwaar kan tot en met %(deadline)s, zes weken (%(days)s "
                        "dagen) na het besluit van %(decided)s."
                    )
                    % {
                        "deadline": _day(deadline),
                        "days": OBJECTION_DAYS,
                        "decided": _day(locked.decided_on),
                    }
                }
            )
        locked.objection_filed_on = filed_on
        _step(locked, ApplicationStatus.OBJECTION, acting_user, ["objection_filed_on"])
    application.status, application.objection_filed_on = locked.status, filed_on
    return application


def close_application(application: Application, *, acting_user) -> Application:
    """Close a decided application (after the objection, if any, is dealt with)."""
    _require(access.can_decide(acting_user, application))
    with transaction.atomic():
        locked = _locked(application)
        if locked.status not in DECIDED | {ApplicationStatus.OBJECTION}:
            raise ValidationError(_("Alleen een aanvraag met een besluit kan worden afgesloten."))
        locked.closed_on = timezone.localdate()
        _step(locked, ApplicationStatus.CLOSED, acting_user, ["closed_on"])
    application.status, application.closed_on = locked.status, locked.closed_on
    return application


def allowed_actions(application: Application, user) -> set[str]:
    """What ``user`` can do with the application now ("edit", "submit", "review", "decide",
    "objection", "close")."""
    actions: set[str] = set()
    if access.can_write(user, application) and application.is_draft:
        actions |= {"edit", "submit"}
    if access.can_decide(user, application):
        if application.status == ApplicationStatus.SUBMITTED:
            actions.add("review")
        if application.status == ApplicationStatus.UNDER_REVIEW:
            actions.add("decide")
        if application.status in DECIDED:
            actions.add("objection")
        if application.status in DECIDED | {ApplicationStatus.OBJECTION}:
            actions.add("close")
    return actions
