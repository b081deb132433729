"""Changes to development plans (OPP): one function per action, each checking the acting user's
right (passend.plans.access), running in one transaction and writing an audit event that holds
codes only — never a narrative text or a student's name.

Life cycle of a version: draft → in consultation → set.
- ``create_plan`` makes version 1 as a draft; ``update_plan`` and ``update_goals`` change a
  draft only.
- Recording a consultation (OOGO) or a decision on the action part moves a draft into
  consultation. ``return_to_draft`` takes it back to change it; the decisions on the old text
  are superseded (a parent consented to the text as it was).
- ``set_plan`` needs the parents' consent to the action part: none recorded, or a refusal as the
  decision that counts, is refused and the plan stays in consultation. Setting more than six
  weeks after the trigger date is allowed and flagged (passend.plans.clocks).
- A set version never changes: every function here refuses it. ``new_version`` copies the
  newest set version into the next draft (goals remember their ``origin``, so that
  ``plan_changes`` shows the differences).
- ``add_evaluation`` evaluates the plan in force, per goal; its decision can open the next
  version.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from passend.agreements.services import Change
from passend.audit.services import record
from passend.plans import access, clocks
from passend.plans.choices import (
    ConsentDecision,
    ConsultationParty,
    EvaluationDecision,
    ExitDestination,
    GoalResult,
    PlanConsentGiver,
    PlanStatus,
    PlanTrigger,
)
from passend.plans.models import (
    PLAN_CONSENT_AGE,
    DevelopmentPlan,
    PlanConsent,
    PlanConsultation,
    PlanEvaluation,
    PlanGoal,
    PlanGoalResult,
)

TEXT_MAX = 20000
SHORT_MAX = 150
MAX_GOALS = 30
#: A trigger date may lie ahead (a plan prepared before the student starts), but not this far.
TRIGGER_AHEAD_DAYS = 366

#: The content of a version: what ``update_plan`` changes, ``new_version`` copies and
#: ``plan_changes`` compares.
PLAN_FIELDS = (
    "trigger",
    "trigger_date",
    "exit_destination",
    "exit_explanation",
    "hindering_factors",
    "supporting_factors",
    "programme_deviations",
    "support_offered",
    "student_view",
    "student_heard_on",
)
TEXT_FIELDS = (
    "exit_explanation",
    "hindering_factors",
    "supporting_factors",
    "programme_deviations",
    "support_offered",
    "student_view",
)


# --- Checks ------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value: str | None, limit: int = TEXT_MAX) -> str | None:
    """The stripped text, or None when it is too long."""
    text = (value or "").strip()
    return text if len(text) <= limit else None


def _past_date(day, field: str, problems: dict) -> None:
    if day is None:
        problems[field] = _("Vul een datum in.")
    elif day > timezone.localdate():
        problems[field] = _("Deze datum ligt in de toekomst.")


def _raise(problems: dict) -> None:
    if problems:
        raise ValidationError(problems)


def _immutable(plan: DevelopmentPlan) -> None:
    if plan.status == PlanStatus.SET:
        raise ValidationError(
            _(
                "Dit OPP is vastgesteld en verandert niet meer. Maak een nieuwe versie om het "
                "aan te passen."
            ),
            code="immutable",
        )


def _draft_only(plan: DevelopmentPlan) -> None:
    _immutable(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            _(
                "Dit OPP is in overleg met de ouders. Zet het terug naar concept om het aan te "
                "passen; een vastgelegde instemming vervalt dan."
            ),
            code="in_consultation",
        )


def _locked(plan: DevelopmentPlan) -> DevelopmentPlan:
    return DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)


def _lock_student(student_id: int) -> None:
    """Serialise the changes that add a version to a student's plan line (create, new
    version): the second of two at once sees the first's version."""
    from passend.students.models import Student

    Student.objects.select_for_update().filter(pk=student_id).values_list("pk").first()


def _clean_plan_fields(student, case, fields: dict) -> dict:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    problems: dict[str, str] = {}
    cleaned: dict = {}
    trigger = fields.get("trigger") or ""
    if trigger not in PlanTrigger.values:
        problems["trigger"] = _("Kies een van de mogelijkheden.")
    cleaned["trigger"] = trigger
    trigger_date = fields.get("trigger_date")
    if trigger_date is None:
        problems["trigger_date"] = _("Vul de startdatum in.")
    elif trigger_date > timezone.localdate() + datetime.timedelta(days=TRIGGER_AHEAD_DAYS):
        problems["trigger_date"] = _("Deze datum ligt meer dan een jaar in de toekomst.")
    cleaned["trigger_date"] = trigger_date
    destination = fields.get("exit_destination") or ""
    if destination and destination not in ExitDestination.values:
        problems["exit_destination"] = _("Kies een van de mogelijkheden.")
    cleaned["exit_destination"] = destination
    for name in TEXT_FIELDS:
        text = _text(fields.get(name))
        if text is None:
            problems[name] = _("Deze tekst is te lang.")
        cleaned[name] = text or ""
    heard_on = fields.get("student_heard_on")
    if heard_on is not None and heard_on > timezone.localdate():
        problems["student_heard_on"] = _("Deze datum ligt in de toekomst.")
    elif heard_on is None and cleaned["student_view"]:
        problems["student_heard_on"] = _("Vul in wanneer de leerling is gehoord.")
    cleaned["student_heard_on"] = heard_on
    if case is not None and case.student_id != student.pk:
        problems["case"] = _("Kies een casus van deze leerling.")
    _raise(problems)
    return cleaned


# --- A plan ------------------------------------------------------------------------------------


def create_plan(student, *, case=None, fields: dict, acting_user) -> DevelopmentPlan:
    """Version 1 of ``student``'s OPP, as a draft (the school's coordinator or a BPO)."""
    _require(access.can_work(acting_user, student))
    cleaned = _clean_plan_fields(student, case, fields)
    with transaction.atomic():
        _lock_student(student.pk)
        if DevelopmentPlan.objects.filter(student=student).exists():
            raise ValidationError(
                _(
                    "Deze leerling heeft al een OPP. Werk de versie in voorbereiding bij of maak "
                    "een nieuwe versie."
                ),
                code="exists",
            )
        plan = DevelopmentPlan.objects.create(
            partnership_id=student.partnership_id,
            school_id=student.school_id,
            student=student,
            case=case,
            version=1,
            created_by=acting_user,
            **cleaned,
        )
        record(
            "plan.created",
            actor=acting_user,
            obj=plan,
            student=str(student.code),
            version=plan.version,
            trigger=plan.trigger,
            case=str(case.code) if case is not None else "",
        )
    return plan


def update_plan(plan: DevelopmentPlan, *, case=None, fields: dict, acting_user) -> DevelopmentPlan:
    """Change a draft's perspective part, action part texts and the student's view."""
    _require(access.can_work(acting_user, plan))
    cleaned = _clean_plan_fields(plan.student, case, fields)
    with transaction.atomic():
        current = _locked(plan)
        _draft_only(current)
        changed = sorted(name for name, value in cleaned.items() if getattr(current, name) != value)
        if current.case_id != (case.pk if case is not None else None):
            changed.append("case")
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.case = case
        current.save()
        # Field names only: most values are narrative.
        record("plan.updated", actor=acting_user, obj=current, fields=changed)
    plan.refresh_from_db()
    return plan


@dataclass(frozen=True)
class GoalInput:
    """One goal row; ``code`` names a goal of the same version (kept, so that its origin in the
    previous version stays known), empty for a new goal."""

    goal: str
    approach: str = ""
    who: str = ""
    when: str = ""
    measure: str = ""
    code: str = ""


def goal_problems(goals: list[GoalInput]) -> list[str]:
    """What is wrong with the rows (numbered as the user sees them); empty when all is well."""
    problems = []
    if len(goals) > MAX_GOALS:
        problems.append(_("Een OPP heeft hooguit %(max)s doelen.") % {"max": MAX_GOALS})
    for number, row in enumerate(goals, start=1):
        if not (row.goal or "").strip():
            problems.append(_("Doel %(n)s: beschrijf het doel.") % {"n": number})
        if not (row.measure or "").strip():
            problems.append(
                _("Doel %(n)s: beschrijf waaraan u ziet dat het doel bereikt is.") % {"n": number}
            )
        if any(_text(v) is None for v in (row.goal, row.approach, row.measure)) or any(
            _text(v, SHORT_MAX) is None for v in (row.who, row.when)
        ):
            problems.append(_("Doel %(n)s: een van de teksten is te lang.") % {"n": number})
    return problems


def update_goals(plan: DevelopmentPlan, goals: list[GoalInput], *, acting_user) -> DevelopmentPlan:
    """Replace a draft's goals, all or nothing: one bad row and nothing is written."""
    _require(access.can_work(acting_user, plan))
    problems = goal_problems(goals)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        current = _locked(plan)
        _draft_only(current)
        existing = {str(g.code): g for g in current.goals.all()}
        kept: set[int] = set()
        for position, row in enumerate(goals, start=1):
            goal = existing.get(row.code) if row.code else None
            if goal is None:
                goal = PlanGoal(
                    plan=current, partnership_id=current.partnership_id, school_id=current.school_id
                )
            goal.position = position
            goal.goal = row.goal.strip()
            goal.approach = (row.approach or "").strip()
            goal.who = (row.who or "").strip()
            goal.when = (row.when or "").strip()
            goal.measure = (row.measure or "").strip()
            goal.save()
            kept.add(goal.pk)
        PlanGoal.objects.filter(plan=current).exclude(pk__in=kept).delete()
        current.save(update_fields=["updated_at"])
        record("plan.goals_updated", actor=acting_user, obj=current, goals=len(goals))
    return plan


# --- Consultation and consent ------------------------------------------------------------------


def _guardian_of(plan: DevelopmentPlan, guardian, field: str, problems: dict, *, authority: bool):
    if guardian is None:
        problems[field] = _("Kies een ouder/verzorger van de leerling.")
    elif guardian.student_id != plan.student_id:
        problems[field] = _("Kies een ouder/verzorger van deze leerling.")
    elif authority and not guardian.has_authority:
        problems[field] = _("Deze ouder/verzorger heeft geen gezag.")


def _into_consultation(plan: DevelopmentPlan) -> None:
    if plan.status == PlanStatus.DRAFT:
        plan.status = PlanStatus.IN_CONSULTATION
        plan.save(update_fields=["status", "updated_at"])


def add_consultation(
    plan: DevelopmentPlan,
    *,
    date: datetime.date,
    party: str,
    guardian=None,
    summary: str,
    agreement_reached: bool,
    acting_user,
) -> PlanConsultation:
    """A consultation aimed at agreement (OOGO) with a guardian, the student or both; a draft
    goes into consultation."""
    _require(access.can_work(acting_user, plan))
    problems: dict[str, str] = {}
    _past_date(date, "date", problems)
    if party not in ConsultationParty.values:
        problems["party"] = _("Kies een van de mogelijkheden.")
    with_guardian = party in (ConsultationParty.GUARDIAN, ConsultationParty.GUARDIAN_AND_STUDENT)
    if with_guardian:
        _guardian_of(plan, guardian, "guardian", problems, authority=False)
    text = _text(summary)
    if not text:
        problems["summary"] = (
            _("Deze tekst is te lang.") if text is None else _("Schrijf kort wat is besproken.")
        )
    _raise(problems)
    with transaction.atomic():
        current = _locked(plan)
        _immutable(current)
        consultation = PlanConsultation.objects.create(
            partnership_id=current.partnership_id,
            school_id=current.school_id,
            plan=current,
            date=date,
            party=party,
            guardian=guardian if with_guardian else None,
            with_name=guardian.name[:SHORT_MAX] if with_guardian else "",
            summary=text,
            agreement_reached=bool(agreement_reached),
            recorded_by=acting_user,
        )
        _into_consultation(current)
        record(
            "plan.consultation_added",
            actor=acting_user,
            obj=consultation,
            plan=str(current.code),
            party=party,
            agreement_reached=consultation.agreement_reached,
        )
    plan.refresh_from_db()
    return consultation


def consent_giver_on(student, day: datetime.date) -> str:
    """Who decides on the action part on ``day``: the student from PLAN_CONSENT_AGE, else a
    guardian with authority."""
    if student.age_on(day) >= PLAN_CONSENT_AGE:
        return PlanConsentGiver.STUDENT
    return PlanConsentGiver.GUARDIAN


def record_consent(
    plan: DevelopmentPlan,
    *,
    given_by: str,
    guardian=None,
    date: datetime.date,
    decision: str,
    reason: str = "",
    acting_user,
) -> PlanConsent:
    """The decision on the action part: given, or refused with the reason (required). A draft
    goes into consultation; after a refusal the plan stays in consultation and cannot be set."""
    _require(access.can_work(acting_user, plan))
    student = plan.student
    problems: dict[str, str] = {}
    _past_date(date, "date", problems)
    if decision not in ConsentDecision.values:
        problems["decision"] = _("Kies of de instemming is gegeven of geweigerd.")
    if given_by not in PlanConsentGiver.values:
        problems["given_by"] = _("Kies een van de mogelijkheden.")
    elif date is not None and given_by != consent_giver_on(student, date):
        problems["given_by"] = (
            _(
                "De leerling is op deze datum 18 jaar of ouder en beslist zelf over het "
                "handelingsdeel."
            )
            if given_by == PlanConsentGiver.GUARDIAN
            else _(
                "De leerling is op deze datum jonger dan 18: een ouder/verzorger met gezag "
                "beslist over het handelingsdeel."
            )
        )
    if given_by == PlanConsentGiver.GUARDIAN:
        _guardian_of(plan, guardian, "guardian", problems, authority=True)
    text = _text(reason)
    if text is None:
        problems["reason"] = _("Deze tekst is te lang.")
    elif decision == ConsentDecision.REFUSED and not text:
        problems["reason"] = _("Vul de reden van de weigering in.")
    _raise(problems)
    by_guardian = given_by == PlanConsentGiver.GUARDIAN
    with transaction.atomic():
        current = _locked(plan)
        _immutable(current)
        consent = PlanConsent.objects.create(
            partnership_id=current.partnership_id,
            school_id=current.school_id,
            plan=current,
            given_by=given_by,
            guardian=guardian if by_guardian else None,
            given_by_name=(guardian.name if by_guardian else student.full_name)[:SHORT_MAX],
            date=date,
            decision=decision,
            reason=text if decision == ConsentDecision.REFUSED else "",
            recorded_by=acting_user,
        )
        _into_consultation(current)
        record(
            "plan.consent_recorded",
            actor=acting_user,
            obj=consent,
            plan=str(current.code),
            decision=decision,
            given_by=given_by,
        )
    plan.refresh_from_db()
    return consent


def current_consent(plan: DevelopmentPlan) -> PlanConsent | None:
    """The decision that counts: the newest one not superseded."""
    return (
        PlanConsent.objects.filter(plan=plan, superseded=False)
        .order_by("-date", "-created_at", "-pk")
        .first()
    )


def return_to_draft(plan: DevelopmentPlan, *, acting_user) -> DevelopmentPlan:
    """Take a plan in consultation back to draft to change it; the decisions recorded on the
    old text are superseded (the consultations stay: they are the history of the OOGO)."""
    _require(access.can_work(acting_user, plan))
    with transaction.atomic():
        current = _locked(plan)
        _immutable(current)
        if current.status != PlanStatus.IN_CONSULTATION:
            raise ValidationError(_("Dit OPP is al een concept."), code="draft")
        current.status = PlanStatus.DRAFT
        current.save(update_fields=["status", "updated_at"])
        superseded = PlanConsent.objects.filter(plan=current, superseded=False).update(
            superseded=True
        )
        record("plan.returned_to_draft", actor=acting_user, obj=current, superseded=superseded)
    plan.refresh_from_db()
    return plan


# --- Setting -----------------------------------------------------------------------------------


def set_problems(plan: DevelopmentPlan, goals_count: int, consent: PlanConsent | None) -> list:
    """Why ``plan`` cannot be set (yet); empty when it can. Shown on the set page as well."""
    problems = []
    if consent is None:
        problems.append(
            _(
                "Leg eerst de instemming van de ouders met het handelingsdeel vast: zonder "
                "instemming kan het OPP niet worden vastgesteld."
            )
        )
    elif consent.decision == ConsentDecision.REFUSED:
        problems.append(
            _(
                "De instemming met het handelingsdeel is geweigerd. Het OPP blijft in overleg "
                "tot er instemming is."
            )
        )
    if not plan.exit_destination:
        problems.append(_("Vul de verwachte uitstroombestemming in."))
    if not goals_count:
        problems.append(_("Leg ten minste één doel vast."))
    return problems


def set_plan(plan: DevelopmentPlan, *, set_on: datetime.date, acting_user) -> DevelopmentPlan:
    """Set (vaststellen) the plan on ``set_on``: only with the parents' consent to the action
    part as the decision that counts. A setting more than six weeks after the trigger date is
    stored as late (``set_late``)."""
    _require(access.can_work(acting_user, plan))
    with transaction.atomic():
        current = _locked(plan)
        if current.status == PlanStatus.SET:
            raise ValidationError(_("Dit OPP is al vastgesteld."), code="set")
        consent = current_consent(current)
        problems: dict[str, list | str] = {}
        general = set_problems(current, current.goals.count(), consent)
        if general:
            problems[NON_FIELD_ERRORS] = general
        _past_date(set_on, "set_on", problems)
        if "set_on" not in problems and consent is not None and set_on < consent.date:
            problems["set_on"] = _("De vaststelling kan niet vóór de instemming liggen.")
        _raise(problems)
        current.status = PlanStatus.SET
        current.set_on = set_on
        current.set_by = acting_user
        current.set_late = clocks.is_set_late(current.trigger_date, set_on)
        current.save(update_fields=["status", "set_on", "set_by", "set_late", "updated_at"])
        record(
            "plan.set",
            actor=acting_user,
            obj=current,
            version=current.version,
            day=clocks.days_after(current.trigger_date, set_on),
            set_late=current.set_late,
        )
    plan.refresh_from_db()
    return plan


# --- Versions ----------------------------------------------------------------------------------


def new_version(plan: DevelopmentPlan, *, acting_user) -> DevelopmentPlan:
    """The next version as a draft, copied from the newest version of the student's plan with
    its goals. When the newest is still open (draft or in consultation), that one is returned:
    there is one version in preparation at a time."""
    _require(access.can_work(acting_user, plan))
    with transaction.atomic():
        _lock_student(plan.student_id)
        latest = (
            DevelopmentPlan.objects.select_for_update()
            .filter(student_id=plan.student_id)
            .order_by("-version")
            .first()
        )
        if latest.status != PlanStatus.SET:
            return latest
        new = DevelopmentPlan.objects.create(
            partnership_id=latest.partnership_id,
            school_id=latest.school_id,
            student_id=latest.student_id,
            case_id=latest.case_id,
            version=latest.version + 1,
            previous=latest,
            created_by=acting_user,
            **{name: getattr(latest, name) for name in PLAN_FIELDS},
        )
        PlanGoal.objects.bulk_create(
            PlanGoal(
                partnership_id=new.partnership_id,
                school_id=new.school_id,
                plan=new,
                position=goal.position,
                goal=goal.goal,
                approach=goal.approach,
                who=goal.who,
                when=goal.when,
                measure=goal.measure,
                origin=goal,
            )
            for goal in latest.goals.all()
        )
        record(
            "plan.new_version",
            actor=acting_user,
            obj=new,
            version=new.version,
            previous=str(latest.code),
        )
    return new


def _display(plan: DevelopmentPlan, name: str) -> str:
    value = getattr(plan, name)
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if name == "trigger":
        return str(PlanTrigger(value).label)
    if name == "exit_destination":
        return str(ExitDestination(value).label)
    return str(value)


def _goal_text(goal: PlanGoal) -> str:
    parts = [goal.goal]
    for label, value in (
        (_("aanpak"), goal.approach),
        (_("wie"), goal.who),
        (_("wanneer"), goal.when),
        (_("bereikt als"), goal.measure),
    ):
        if value:
            parts.append(f"{label}: {value}")
    return " · ".join(parts)


def plan_changes(plan: DevelopmentPlan, goals: list[PlanGoal] | None = None) -> list[Change]:
    """What changed from ``plan.previous`` to ``plan`` (empty for version 1): the fields of
    PLAN_FIELDS, and goals added, removed or changed (matched by ``origin``). The same
    ``Change`` rows as the werkafspraken versions (passend.agreements.services)."""
    old = plan.previous
    if old is None:
        return []
    changes: list[Change] = []
    for name in PLAN_FIELDS:
        before, after = _display(old, name), _display(plan, name)
        if before != after:
            label = str(DevelopmentPlan._meta.get_field(name).verbose_name).capitalize()
            changes.append(Change("changed", label, before, after))
    goals = list(plan.goals.all()) if goals is None else goals
    old_goals = {g.pk: g for g in old.goals.all()}
    label = _("Doel")
    matched: set[int] = set()
    for goal in goals:
        before = old_goals.get(goal.origin_id) if goal.origin_id else None
        if before is None:
            changes.append(Change("added", label, "", _goal_text(goal)))
            continue
        matched.add(before.pk)
        if _goal_text(before) != _goal_text(goal):
            changes.append(Change("changed", label, _goal_text(before), _goal_text(goal)))
    for pk, goal in old_goals.items():
        if pk not in matched:
            changes.append(Change("removed", label, _goal_text(goal), ""))
    return changes


# --- Evaluations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultInput:
    """How far the goal with public ``goal_code`` was achieved."""

    goal_code: str
    result: str
    note: str = ""


def result_field(goal: PlanGoal) -> str:
    """The name under which an evaluation form shows (and this module reports) a goal's result."""
    return f"result_{goal.code}"


def add_evaluation(
    plan: DevelopmentPlan,
    *,
    date: datetime.date,
    results: list[ResultInput],
    conclusion: str,
    next_steps: str = "",
    decision: str,
    acting_user,
) -> PlanEvaluation:
    """Evaluate the plan in force (at least yearly): a result for every goal, a conclusion, the
    next steps, and the decision; "new version" opens the next version (``led_to``)."""
    _require(access.can_work(acting_user, plan))
    if (
        plan.status != PlanStatus.SET
        or not DevelopmentPlan.objects.in_force().filter(pk=plan.pk).exists()
    ):
        raise ValidationError(
            _("Alleen het geldende, vastgestelde OPP kan worden geëvalueerd."), code="not_in_force"
        )
    goals = list(plan.goals.all())
    given = {r.goal_code: r for r in results}
    problems: dict[str, str] = {}
    _past_date(date, "date", problems)
    if "date" not in problems and date < plan.set_on:
        problems["date"] = _("De evaluatie kan niet vóór de vaststelling liggen.")
    for goal in goals:
        row = given.get(str(goal.code))
        if row is None or row.result not in GoalResult.values:
            problems[result_field(goal)] = _("Kies het resultaat van dit doel.")
        elif _text(row.note) is None:
            problems[result_field(goal)] = _("De toelichting is te lang.")
    text = _text(conclusion)
    if not text:
        problems["conclusion"] = (
            _("Deze tekst is te lang.") if text is None else _("Schrijf de conclusie.")
        )
    steps = _text(next_steps)
    if steps is None:
        problems["next_steps"] = _("Deze tekst is te lang.")
    if decision not in EvaluationDecision.values:
        problems["decision"] = _("Kies een van de mogelijkheden.")
    _raise(problems)
    with transaction.atomic():
        evaluation = PlanEvaluation.objects.create(
            partnership_id=plan.partnership_id,
            school_id=plan.school_id,
            plan=plan,
            date=date,
            conclusion=text,
            next_steps=steps,
            decision=decision,
            evaluated_by=acting_user,
        )
        PlanGoalResult.objects.bulk_create(
            PlanGoalResult(
                partnership_id=plan.partnership_id,
                school_id=plan.school_id,
                evaluation=evaluation,
                goal=goal,
                result=given[str(goal.code)].result,
                note=_text(given[str(goal.code)].note) or "",
            )
            for goal in goals
        )
        if decision == EvaluationDecision.NEW_VERSION:
            evaluation.led_to = new_version(plan, acting_user=acting_user)
            evaluation.save(update_fields=["led_to"])
        counts = Counter(given[str(g.code)].result for g in goals)
        record(
            "plan.evaluated",
            actor=acting_user,
            obj=evaluation,
            plan=str(plan.code),
            decision=decision,
            results=dict(sorted(counts.items())),
            new_version=str(evaluation.led_to.code) if evaluation.led_to else "",
        )
    return evaluation


# --- For other apps ----------------------------------------------------------------------------


def dossier_plan(student) -> DevelopmentPlan | None:
    """The plan for an application's dossier (passend.applications): the newest set version of
    ``student``'s OPP, or None. The caller has checked access to the student."""
    return (
        DevelopmentPlan.objects.filter(student=student, status=PlanStatus.SET)
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class PlanSummary:
    """The state of a student's OPP for the student page and the case page: the newest version
    (``latest``) and the version in force (``in_force``, the newest set one)."""

    student: object
    latest: DevelopmentPlan | None
    in_force: DevelopmentPlan | None
    today: datetime.date

    @property
    def to_set_overdue(self) -> bool:
        """The first version is not set and its six weeks have passed."""
        latest = self.latest
        return latest is not None and self.in_force is None and latest.to_set_overdue_on(self.today)

    @property
    def evaluation_overdue(self) -> bool:
        due = self.in_force.next_evaluation_due() if self.in_force else None
        return due is not None and due < self.today


def plan_summary(user, student) -> PlanSummary | None:
    """The OPP section of ``student``'s pages, for a user who may see plans (None for anyone
    else: the section is not shown). One query, however many versions."""
    if not access.can_read(user, student.school_id):
        return None
    versions = list(
        access.student_versions(user, student)
        .with_state()
        .select_related("set_by")
        .order_by("-version")
    )
    return PlanSummary(
        student=student,
        latest=versions[0] if versions else None,
        in_force=next((v for v in versions if v.status == PlanStatus.SET), None),
        today=timezone.localdate(),
    )
