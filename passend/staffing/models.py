"""BPO staffing: assignments to schools, qualifications, the appointment procedure, hours."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from passend.staffing.choices import (
    AssignmentKind,
    EmploymentType,
    ProcedureStatus,
    ProcedureStep,
    QualificationKind,
)


def _random_name(folder: str, filename: str) -> str:
    # Never the client's name on disk: a random name keeps the extension only.
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


def agreement_upload_to(instance, filename: str) -> str:
    return _random_name("agreements", filename)


def qualification_upload_to(instance, filename: str) -> str:
    return _random_name("qualifications", filename)


class BpoAssignment(models.Model):
    """A BPO working at a school in a school year (inzet bpo'er), with the terms of aspects 1–6.

    ``kind=plus`` records BPO+ hours: expertise a BPO gives at another school on request.
    A school can have several BPOs and a BPO several schools.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="bpo_assignments",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "organisations.SchoolYear",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("schooljaar"),
    )
    bpo = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bpo_assignments",
        verbose_name=_("bpo'er"),
    )
    kind = models.CharField(
        _("soort"), max_length=10, choices=AssignmentKind.choices, default=AssignmentKind.REGULAR
    )
    request_note = models.CharField(
        _("verzoek (BPO+)"),
        max_length=300,
        blank=True,
        help_text=_("Waarvoor is de BPO+ gevraagd?"),
    )
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    annual_hours = models.DecimalField(
        _("uren per jaar (normjaartaak)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("2000"))],
    )
    employment_type = models.CharField(
        _("dienstverband"), max_length=10, choices=EmploymentType.choices
    )
    employer_name = models.CharField(
        _("werkgever"), max_length=200, blank=True, help_text=_("Bij inhuur: de organisatie.")
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leidinggevende"),
    )
    manager_name = models.CharField(
        _("leidinggevende (naam)"),
        max_length=150,
        blank=True,
        help_text=_("Als de leidinggevende geen account heeft, bijv. bij inhuur."),
    )
    management_agreement = models.FileField(
        _("overeenkomst over aansturing"),
        upload_to=agreement_upload_to,
        max_length=200,
        blank=True,
    )
    management_agreement_filename = models.CharField(max_length=200, blank=True)
    management_agreement_date = models.DateField(
        _("datum overeenkomst aansturing"), null=True, blank=True
    )
    salary_scale = models.PositiveSmallIntegerField(
        _("salarisschaal"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(18)],
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    workplace_confirmed = models.BooleanField(_("werkplek op school (aspect 2)"), default=False)
    student_system_access = models.BooleanField(
        _("toegang tot het leerlingvolgsysteem (aspect 3)"), default=False
    )
    presence_days = models.JSONField(_("aanwezigheidsdagen (aspect 4)"), default=list, blank=True)
    presence_note = models.CharField(_("aanwezigheid: toelichting"), max_length=300, blank=True)
    procedure = models.OneToOneField(
        "staffing.AppointmentProcedure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignment",
        verbose_name=_("benoemingsprocedure"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("inzet bpo'er")
        verbose_name_plural = _("inzet bpo'ers")
        ordering = ["school__name", "bpo__full_name"]
        indexes = [models.Index(fields=["partnership", "school_year"])]
        constraints = [
            models.CheckConstraint(
                name="bpo_assignment_dates_in_order",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bpo} – {self.school.name} ({self.school_year})"

    @property
    def is_hired_in(self) -> bool:
        return self.employment_type == EmploymentType.HIRED

    @property
    def lacks_management_agreement(self) -> bool:
        """Aspect 6: with external hire the agreement on management must be in writing."""
        return self.is_hired_in and not (
            self.management_agreement and self.management_agreement_date
        )

    @property
    def manager_display(self) -> str:
        return str(self.manager) if self.manager_id else self.manager_name


class Qualification(models.Model):
    """A diploma or qualification of a BPO (opleiding), evidence for aspect 13."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("bpo'er"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=QualificationKind.choices)
    title = models.CharField(_("opleiding"), max_length=200)
    institution = models.CharField(_("instelling"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("jaar behaald"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    evidence_file = models.FileField(
        _("diploma of certificaat"), upload_to=qualification_upload_to, max_length=200, blank=True
    )
    evidence_filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("kwalificatie")
        verbose_name_plural = _("kwalificaties")
        ordering = ["user", "kind", "-year"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class AppointmentProcedure(models.Model):
    """The procedure for appointing a new BPO at a school (seed 000 §5), a tracked checklist."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="appointment_procedures",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "organisations.SchoolYear",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("schooljaar"),
    )
    candidate_name = models.CharField(_("naam kandidaat"), max_length=150)
    candidate_email = models.EmailField(_("e-mailadres kandidaat"))
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account kandidaat"),
    )
    planned_hours_per_week = models.DecimalField(
        _("beoogde uren per week"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    employment_type = models.CharField(
        _("dienstverband"), max_length=10, choices=EmploymentType.choices
    )
    planned_start = models.DateField(_("beoogde begindatum"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProcedureStatus.choices, default=ProcedureStatus.OPEN
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    class Meta:
        verbose_name = _("benoemingsprocedure")
        verbose_name_plural = _("benoemingsprocedures")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.candidate_name} – {self.school.name}"


class AppointmentStep(models.Model):
    """One step of the appointment procedure: done by whom, when, with an optional date/note."""

    procedure = models.ForeignKey(
        AppointmentProcedure, on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField(_("stap"), max_length=30, choices=ProcedureStep.choices)
    done_at = models.DateTimeField(_("afgevinkt op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("datum"), null=True, blank=True)
    note = models.CharField(_("notitie"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("stap benoemingsprocedure")
        verbose_name_plural = _("stappen benoemingsprocedure")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "step"],
                name="appointment_step_once",
                violation_error_message=_("Deze stap bestaat al."),
            )
        ]

    def __str__(self) -> str:
        return self.get_step_display()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class HoursPolicy(models.Model):
    """The SWV's formula for BPO hours per school in a school year (urentoekenning).

    hours = base_hours + hours_per_unit × students / students_per_unit, rounded to whole
    half-days of ``half_day_hours`` (nearest, halves up), and at least ``minimum_hours``.
    Hours are per week.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="hours_policies"
    )
    school_year = models.ForeignKey(
        "organisations.SchoolYear",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("schooljaar"),
    )
    base_hours = models.DecimalField(
        _("basisuren per vestiging"), max_digits=5, decimal_places=2, default=Decimal("4")
    )
    hours_per_unit = models.DecimalField(
        _("uren per eenheid leerlingen"), max_digits=5, decimal_places=2, default=Decimal("1")
    )
    students_per_unit = models.PositiveIntegerField(
        _("leerlingen per eenheid"), default=100, validators=[MinValueValidator(1)]
    )
    half_day_hours = models.DecimalField(
        _("lengte dagdeel (uren)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("4"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    minimum_hours = models.DecimalField(
        _("minimum uren per vestiging"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("urenbeleid")
        verbose_name_plural = _("urenbeleid")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "school_year"],
                name="hours_policy_one_per_year",
                violation_error_message=_("Dit schooljaar heeft al urenbeleid."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.school_year}"


class HoursAllocation(models.Model):
    """The hours per week a school is allocated under the policy (toegekende uren), stored when
    the policy is saved, with the student count it was computed from."""

    policy = models.ForeignKey(HoursPolicy, on_delete=models.CASCADE, related_name="allocations")
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School", on_delete=models.CASCADE, related_name="hours_allocations"
    )
    student_count = models.PositiveIntegerField(_("leerlingen"), null=True, blank=True)
    student_count_suppressed = models.BooleanField(default=False)
    hours = models.DecimalField(_("toegekende uren per week"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("urentoekenning")
        verbose_name_plural = _("urentoekenningen")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "school"],
                name="hours_allocation_one_per_school",
                violation_error_message=_("Deze school heeft al een toekenning."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name}: {self.hours}"
