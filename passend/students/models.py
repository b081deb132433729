"""Students (leerlingen) of a school, their guardians, and roster imports.

Data minimisation (AVG; OSO SWV-dossier rule PaO.LL12): only what the BPO's work needs — the
school's own student number, name, date of birth (for the consent age of 16), class, year,
level, mentor, enrolment dates, and guardians with relation and legal authority. There is no
BSN or onderwijsnummer field, and there never will be (a test guards it).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.students.choices import GuardianRelation, RosterImportStatus

#: From this age a student gives consent themself (UAVG art. 5).
CONSENT_AGE = 16


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Completed years on ``day`` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Student(models.Model):
    """A student (leerling) of a school, as the school's student system knows them."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="students",
        verbose_name=_("school"),
    )
    student_number = models.CharField(_("leerlingnummer"), max_length=20)
    first_name = models.CharField(_("roepnaam"), max_length=80)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=80)
    date_of_birth = models.DateField(_("geboortedatum"))
    class_name = models.CharField(_("klas"), max_length=20, blank=True)
    year_of_study = models.PositiveSmallIntegerField(
        _("leerjaar"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    level = models.CharField(_("niveau"), max_length=40, blank=True)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor_students",
        verbose_name=_("mentor"),
    )
    enrolled_on = models.DateField(_("ingeschreven op"))
    left_on = models.DateField(_("uitgeschreven op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"],
                name="students_number_unique_per_school",
                violation_error_message=_("Dit leerlingnummer bestaat al op deze school."),
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("enrolled_on")),
                name="students_left_after_enrolled",
                violation_error_message=_("De uitschrijfdatum ligt vóór de inschrijfdatum."),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "left_on"]),
            models.Index(fields=["school", "last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.date_of_birth, day)

    def gives_own_consent_on(self, day: datetime.date) -> bool:
        """From 16 the student consents; before that a guardian with legal authority."""
        return self.age_on(day) >= CONSENT_AGE


class Guardian(models.Model):
    """A parent or guardian (ouder/verzorger) of a student; ``has_authority`` is legal authority
    (gezag), which consent for a student under 16 needs."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("naam"), max_length=150)
    relation = models.CharField(_("relatie"), max_length=20, choices=GuardianRelation.choices)
    has_authority = models.BooleanField(_("heeft gezag"), default=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=1)

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


def roster_upload_to(instance, filename: str) -> str:
    return f"private/rosters/{uuid.uuid4().hex}"


class RosterImport(models.Model):
    """One upload of the school's roster (CSV/XLSX export of the student system): the column
    mapping, and after applying the counts. The uploaded file holds personal data: it is deleted
    as soon as the import is applied or cancelled."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="roster_imports",
        verbose_name=_("school"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(upload_to=roster_upload_to, blank=True)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RosterImportStatus.choices,
        default=RosterImportStatus.UPLOADED,
    )
    mapping = models.JSONField(_("kolomindeling"), default=dict, blank=True)
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    created_at = models.DateTimeField(_("geüpload"), auto_now_add=True)
    applied_at = models.DateTimeField(_("ingelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("import leerlingenbestand")
        verbose_name_plural = _("imports leerlingenbestand")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.school} {self.original_name}"
