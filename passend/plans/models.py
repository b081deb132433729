"""The development plan (ontwikkelingsperspectiefplan, OPP) of a student who gets extra support
(domain-research.md §1): a perspective part (the expected exit destination with the hindering
and supporting factors), an action part (handelingsdeel: deviations from the regular programme,
the support offered, goals) that needs the parents' consent, the consultation with the parents
aimed at agreement (OOGO), the student's view (hoorrecht), and yearly evaluations.

One plan line per student, versioned: version 1, 2, … each pointing to the ``previous`` one. Only
the newest version can be open (draft or in consultation); a set version (vastgesteld) never
changes (passend.plans.services refuses it) and a change is the next version, copied from it.

Narrative fields (explanation, factors, deviations, support, the student's view, goals, the
consultation summaries, a refusal's reason, evaluation texts) are ``EncryptedTextField``:
encrypted at rest, never in audit data or logs; ``__str__`` names no student.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from passend.plans import clocks
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
from passend.privacy.fields import EncryptedTextField

#: From this age the student decides on the action part themself. Not 16 (the AVG age of
#: consent to processing, passend.students.models.CONSENT_AGE): the right of consent on the
#: handelingsdeel (since 1 August 2017) belongs to the parents, or to the student once of age
#: and legally competent (meerderjarig en handelingsbekwaam), and the consultation aimed at
#: agreement is held with the adult student instead of the parents (domain-research.md §1).
PLAN_CONSENT_AGE = 18

_MISSING = object()


class TenantOwned(models.Model):
    """Every row of a plan carries its partnership and school (indexed), even where the plan
    gives them, so that scoping never needs a join."""

    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )

    class Meta:
        abstract = True


class DevelopmentPlanQuerySet(models.QuerySet["DevelopmentPlan"]):
    def with_state(self) -> DevelopmentPlanQuerySet:
        """Annotated with ``consent_decision`` (the decision that counts now, "" when none) and
        ``last_evaluated_on``: lists show the state without a query per plan."""
        consent = (
            PlanConsent.objects.filter(plan=models.OuterRef("pk"), superseded=False)
            .order_by("-date", "-created_at", "-pk")
            .values("decision")[:1]
        )
        evaluated = (
            PlanEvaluation.objects.filter(plan=models.OuterRef("pk"))
            .order_by("-date")
            .values("date")[:1]
        )
        return self.annotate(
            consent_decision=Coalesce(models.Subquery(consent), models.Value("")),
            last_evaluated_on=models.Subquery(evaluated),
        )

    def in_force(self) -> DevelopmentPlanQuerySet:
        """Set versions without a newer set version of the same student: the plans in force."""
        newer = DevelopmentPlan.objects.filter(
            student=models.OuterRef("student"),
            status=PlanStatus.SET,
            version__gt=models.OuterRef("version"),
        )
        return self.filter(status=PlanStatus.SET).exclude(models.Exists(newer))


class DevelopmentPlan(TenantOwned):
    """One version of a student's ontwikkelingsperspectiefplan (OPP). ``trigger_date`` starts
    the six weeks within which it is set (``set_on``); ``set_late`` stores whether the setting
    came after them, so that lists and reports need no date arithmetic in SQL."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        "students.Student",
        on_delete=models.CASCADE,
        related_name="development_plans",
        verbose_name=_("leerling"),
    )
    case = models.ForeignKey(
        "caseload.SupportCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="development_plans",
        verbose_name=_("casus"),
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    # RESTRICT: a version with a newer one cannot be deleted on its own, but goes together with
    # the student (retention, passend.privacy.retention).
    previous = models.OneToOneField(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("vorige versie"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    trigger = models.CharField(
        _("aanleiding"), max_length=20, choices=PlanTrigger.choices, default=PlanTrigger.ENROLMENT
    )
    trigger_date = models.DateField(
        _("startdatum"),
        help_text=_(
            "Datum van inschrijving, start van de extra ondersteuning of definitieve plaatsing. "
            "Het OPP wordt binnen zes weken daarna vastgesteld."
        ),
    )
    exit_destination = models.CharField(
        _("verwachte uitstroombestemming"),
        max_length=30,
        choices=ExitDestination.choices,
        blank=True,
    )
    exit_explanation = EncryptedTextField(_("onderbouwing uitstroombestemming"), blank=True)
    hindering_factors = EncryptedTextField(_("belemmerende factoren"), blank=True)
    supporting_factors = EncryptedTextField(_("bevorderende factoren"), blank=True)
    programme_deviations = EncryptedTextField(
        _("afwijkingen van het reguliere onderwijsprogramma"), blank=True
    )
    support_offered = EncryptedTextField(_("te bieden begeleiding en ondersteuning"), blank=True)
    student_view = EncryptedTextField(_("mening van de leerling"), blank=True)
    student_heard_on = models.DateField(_("leerling gehoord op"), null=True, blank=True)
    set_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    set_late = models.BooleanField(_("later dan zes weken vastgesteld"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    objects = DevelopmentPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("ontwikkelingsperspectiefplan")
        verbose_name_plural = _("ontwikkelingsperspectiefplannen")
        ordering = ["-version", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "version"],
                name="plans_one_version_number",
                violation_error_message=_("Deze versie van het OPP bestaat al."),
            ),
            models.UniqueConstraint(
                fields=["student"],
                condition=~Q(status="set"),
                name="plans_one_open_version",
                violation_error_message=_(
                    "Er is al een versie van het OPP in voorbereiding voor deze leerling."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="set") | Q(set_on__isnull=False),
                name="plans_set_has_date",
                violation_error_message=_("Een vastgesteld OPP heeft een datum van vaststelling."),
            ),
            models.CheckConstraint(
                condition=Q(version=1, previous__isnull=True)
                | Q(version__gt=1, previous__isnull=False),
                name="plans_version_chain",
                violation_error_message=_("Alleen versie 1 heeft geen vorige versie."),
            ),
        ]

    def __str__(self) -> str:  # no student name, no narrative: this ends up in logs
        return f"OPP v{self.version} {self.code}"

    @property
    def is_set(self) -> bool:
        return self.status == PlanStatus.SET

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def set_deadline(self) -> datetime.date:
        """The last day on which setting is in time (six weeks after the trigger date)."""
        return clocks.set_deadline(self.trigger_date)

    @property
    def set_on_day(self) -> int | None:
        """On which day after the trigger date the plan was set."""
        return clocks.days_after(self.trigger_date, self.set_on) if self.set_on else None

    def to_set_overdue_on(self, day: datetime.date) -> bool:
        """Not yet set while the six weeks have passed."""
        return not self.is_set and day > self.set_deadline

    def current_decision(self) -> str:
        """The decision on the action part that counts now: the newest one not superseded
        (``ConsentDecision`` value, "" when none). Uses the ``with_state`` annotation when the
        query made one."""
        decision = getattr(self, "consent_decision", _MISSING)
        if decision is _MISSING:
            consent = (
                self.consents.filter(superseded=False).order_by("-date", "-created_at", "-pk")
            ).first()
            decision = consent.decision if consent is not None else ""
        return decision

    @property
    def consent_refused(self) -> bool:
        """Not set, and the decision that counts is a refusal: the plan stays in consultation."""
        return not self.is_set and self.current_decision() == ConsentDecision.REFUSED

    def next_evaluation_due(self) -> datetime.date | None:
        """Exactly twelve months after the setting or the latest evaluation, whichever is later
        (passend.plans.clocks.one_year_after); None while not set. Uses the annotation
        ``last_evaluated_on`` when the query made one (lists), else asks the database."""
        if not self.is_set:
            return None
        last = getattr(self, "last_evaluated_on", _MISSING)
        if last is _MISSING:
            last = self.evaluations.aggregate(last=models.Max("date"))["last"]
        base = max(day for day in (self.set_on, last) if day is not None)
        return clocks.one_year_after(base)


class PlanGoal(TenantOwned):
    """A goal (doel) of the action part: what the student works on, the approach (aanpak), who
    does it, when, and how we know it is achieved (``measure``). ``origin`` is the goal of the
    previous version it was copied from (for the differences between versions)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    goal = EncryptedTextField(_("doel"))
    approach = EncryptedTextField(_("aanpak"), blank=True)
    who = models.CharField(_("wie"), max_length=150, blank=True)
    when = models.CharField(_("wanneer"), max_length=150, blank=True)
    measure = EncryptedTextField(_("wanneer is het doel bereikt"), blank=True)
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["position", "pk"]

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self._meta.verbose_name} {self.position}"


class PlanConsultation(TenantOwned):
    """A consultation aimed at agreement (op overeenstemming gericht overleg, OOGO) about the
    plan with a guardian, the student, or both. ``with_name`` keeps the guardian's name as it was,
    should the guardian later be removed from the student."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="consultations"
    )
    date = models.DateField(_("datum"))
    party = models.CharField(_("overleg met"), max_length=30, choices=ConsultationParty.choices)
    guardian = models.ForeignKey(
        "students.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ouder/verzorger"),
    )
    with_name = models.CharField(_("naam ouder/verzorger"), max_length=150, blank=True)
    summary = EncryptedTextField(_("verslag"))
    agreement_reached = models.BooleanField(_("overeenstemming bereikt"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("overleg met ouders")
        verbose_name_plural = _("overleggen met ouders")
        ordering = ["date", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party="student") | ~Q(with_name=""),
                name="plans_consultation_guardian_named",
                violation_error_message=_("Kies de ouder/verzorger met wie is overlegd."),
            )
        ]

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self._meta.verbose_name} {self.date}"


class PlanConsent(TenantOwned):
    """The decision on the action part (instemming met het handelingsdeel): given or refused
    (with the reason), by a guardian with authority or, from 18, by the student
    (``PLAN_CONSENT_AGE``). The newest decision that is not ``superseded`` counts; taking a plan
    back to draft to change it supersedes the decisions on the old text."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("besluit door"), max_length=20, choices=PlanConsentGiver.choices)
    guardian = models.ForeignKey(
        "students.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ouder/verzorger"),
    )
    given_by_name = models.CharField(_("naam"), max_length=150)
    date = models.DateField(_("datum"))
    decision = models.CharField(_("besluit"), max_length=20, choices=ConsentDecision.choices)
    reason = EncryptedTextField(_("reden van weigering"), blank=True)
    superseded = models.BooleanField(_("vervallen door wijziging van het plan"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("instemming met het handelingsdeel")
        verbose_name_plural = _("instemmingen met het handelingsdeel")
        ordering = ["date", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="refused") | ~Q(reason=""),
                name="plans_refusal_has_reason",
                violation_error_message=_("Vul de reden van de weigering in."),
            ),
            models.CheckConstraint(
                condition=~Q(given_by_name=""),
                name="plans_consent_named",
                violation_error_message=_("Vul in wie het besluit nam."),
            ),
        ]

    def __str__(self) -> str:  # never the reason: this ends up in logs
        return f"{self.get_decision_display()} {self.date}"

    @property
    def is_given(self) -> bool:
        return self.decision == ConsentDecision.GIVEN


class PlanEvaluation(TenantOwned):
    """An evaluation of a set plan (at least yearly, with the parents): per goal achieved,
    partly or not, a conclusion, the next steps, and the decision to continue or to draw up a
    new version (``led_to`` is that version)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="evaluations")
    date = models.DateField(_("datum evaluatie"))
    conclusion = EncryptedTextField(_("conclusie"))
    next_steps = EncryptedTextField(_("vervolgstappen"), blank=True)
    decision = models.CharField(_("besluit"), max_length=20, choices=EvaluationDecision.choices)
    led_to = models.ForeignKey(
        DevelopmentPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nieuwe versie"),
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatie OPP")
        verbose_name_plural = _("evaluaties OPP")
        ordering = ["-date", "-created_at", "-pk"]

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self._meta.verbose_name} {self.date}"


class PlanGoalResult(TenantOwned):
    """How far one goal was achieved at an evaluation."""

    evaluation = models.ForeignKey(PlanEvaluation, on_delete=models.CASCADE, related_name="results")
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="results")
    result = models.CharField(_("resultaat"), max_length=20, choices=GoalResult.choices)
    note = EncryptedTextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("resultaat per doel")
        verbose_name_plural = _("resultaten per doel")
        ordering = ["goal__position", "goal__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "goal"],
                name="plans_one_result_per_goal",
                violation_error_message=_("Dit doel is in deze evaluatie al beoordeeld."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.result}"
