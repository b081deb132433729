"""The quality framework (kwaliteitskader BPO) and the schools' yearly self-assessment."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passend.quality.choices import (
    EDITABLE_STATUSES,
    AssessmentStatus,
    FrameworkStatus,
    Rating,
    Responsibility,
)


class QualityFramework(models.Model):
    """A version of a partnership's quality framework for one school year (kwaliteitskader).

    A draft can be edited; a published framework is immutable (a change needs a new version,
    made by copying). Assessments refer to the published version they were made against.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership",
        on_delete=models.CASCADE,
        related_name="quality_frameworks",
        verbose_name=_("samenwerkingsverband"),
    )
    school_year = models.ForeignKey(
        "organisations.SchoolYear",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("schooljaar"),
    )
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.TextField(_("inleiding"), blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    minimum_salary_scale = models.PositiveSmallIntegerField(
        _("minimale salarisschaal (CAO VO)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    assessment_due = models.DateField(
        _("zelfevaluatie indienen vóór"),
        null=True,
        blank=True,
        help_text=_("Na deze datum zien scholen die nog niet hebben ingediend een melding."),
    )
    published_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("gekopieerd van"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("kwaliteitskader")
        verbose_name_plural = _("kwaliteitskaders")
        ordering = ["-school_year__start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "school_year", "version"],
                name="quality_framework_version_unique",
                violation_error_message=_("Deze versie bestaat al voor dit schooljaar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.school_year}, v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT

    def assessment_overdue(self, on: date) -> bool:
        return self.assessment_due is not None and on > self.assessment_due


class QualitySection(models.Model):
    """A section of the framework (e.g. Randvoorwaarden), in order."""

    framework = models.ForeignKey(
        QualityFramework,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("kwaliteitskader"),
    )
    position = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.CharField(_("inleidende tekst"), max_length=300, blank=True)
    responsibility = models.CharField(
        _("verantwoordelijkheid"), max_length=10, choices=Responsibility.choices
    )

    class Meta:
        verbose_name = _("onderdeel")
        verbose_name_plural = _("onderdelen")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "title"],
                name="quality_section_title_unique",
                violation_error_message=_("Dit kader heeft al een onderdeel met deze titel."),
            )
        ]

    def __str__(self) -> str:
        return self.title


def number_key(number: str) -> tuple[int, ...]:
    """Sort key of an aspect number: '9' < '10' < '16' < '16.1' < '16.2' < '17'."""
    return tuple(int(part) for part in number.split("."))


class QualityAspect(models.Model):
    """A numbered requirement of the framework (kwaliteitsaspect), e.g. ``13`` or ``16.2``.

    Sub-aspects (16.1 …) have a ``parent``; ``sort_key`` keeps numeric order in SQL.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        QualityFramework,
        on_delete=models.CASCADE,
        related_name="aspects",
        verbose_name=_("kwaliteitskader"),
    )
    section = models.ForeignKey(
        QualitySection,
        on_delete=models.CASCADE,
        related_name="aspects",
        verbose_name=_("onderdeel"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("hoofdaspect"),
    )
    number = models.CharField(_("nummer"), max_length=10)
    sort_key = models.CharField(max_length=40, editable=False)
    text = models.TextField(_("tekst"))
    responsibility = models.CharField(
        _("verantwoordelijkheid"), max_length=10, choices=Responsibility.choices
    )

    class Meta:
        verbose_name = _("kwaliteitsaspect")
        verbose_name_plural = _("kwaliteitsaspecten")
        ordering = ["framework", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"],
                name="quality_aspect_number_unique",
                violation_error_message=_("Dit nummer bestaat al in dit kader."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.sort_key = self.make_sort_key(self.number)
        if kwargs.get("update_fields") is not None and "number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)

    @staticmethod
    def make_sort_key(number: str) -> str:
        return ".".join(f"{part:04d}" for part in number_key(number))

    @property
    def is_sub_aspect(self) -> bool:
        return self.parent_id is not None


class QualityAssessment(models.Model):
    """A school's yearly self-assessment against the framework (zelfevaluatie kwaliteitskader).

    draft → submitted (coordinator or director) → reviewed (consultant) → reopened → submitted …
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="quality_assessments",
        verbose_name=_("school"),
    )
    school_year = models.ForeignKey(
        "organisations.SchoolYear",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("schooljaar"),
    )
    framework = models.ForeignKey(
        QualityFramework,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("kwaliteitskader"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("algemene reactie consulent"), blank=True)
    reopen_reason = models.TextField(_("reden heropenen"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")
        ordering = ["-school_year__start"]
        indexes = [models.Index(fields=["partnership", "school_year", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="quality_assessment_one_per_school_year",
                violation_error_message=_("Deze school heeft al een zelfevaluatie dit schooljaar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.school_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def evidence_upload_to(instance: AspectRating, filename: str) -> str:
    # Never the client's name on disk: a random name keeps the extension only.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.school_id}/{uuid.uuid4().hex}{suffix}"


class AspectRating(models.Model):
    """The school's rating of one aspect, with evidence and comments, and the review comment."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        QualityAssessment,
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("zelfevaluatie"),
    )
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="+")
    aspect = models.ForeignKey(
        QualityAspect, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("aspect")
    )
    rating = models.CharField(
        _("oordeel"), max_length=20, choices=Rating.choices, blank=True, default=""
    )
    evidence = models.TextField(_("onderbouwing"), max_length=5000, blank=True)
    evidence_file = models.FileField(
        _("bewijsstuk"), upload_to=evidence_upload_to, max_length=200, blank=True
    )
    evidence_filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    comment = models.TextField(_("toelichting"), max_length=5000, blank=True)
    review_comment = models.TextField(_("reactie consulent"), max_length=5000, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("beoordeling aspect")
        verbose_name_plural = _("beoordelingen aspecten")
        ordering = ["aspect__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "aspect"],
                name="aspect_rating_one_per_aspect",
                violation_error_message=_("Dit aspect is al beoordeeld in deze zelfevaluatie."),
            ),
            models.CheckConstraint(
                name="aspect_rating_valid_rating",
                condition=Q(rating__in=["", *Rating.values]),
                violation_error_message=_("Onbekend oordeel."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspect.number}: {self.get_rating_display() or '?'}"
