"""Werkafspraken (aspects 8–10 of the Koers VO framework, seed 000 §4 and §7; seed 001).

- ``TaskDescription`` (taakomschrijving): the partnership's template (``school`` empty), seeded
  from the seeds' task lists, and a school's own copy that it adopts and adapts (aspect 8).
- ``WorkAgreement`` (werkafspraken) with ``AgreedTask`` rows: per school, BPO and school year,
  versioned. A version is editable only as a draft; once the coordinator and the BPO both
  confirmed it is immutable, and a change goes into the next version (aspect 9).
- ``AgreementEvaluation`` with ``EvaluationArea`` rows: annual or interim evaluation of the BPO's
  functioning per task area, realised hours from the activity log (aspect 10).
- ``Competency``, ``CompetencyProfile``, ``CompetencyRating``: the competentieprofiel of §7.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passend.activities.choices import TaskArea
from passend.agreements.choices import (
    AgreementStatus,
    CompetencyDomain,
    CompetencyLevel,
    EvaluationDecision,
    EvaluationKind,
    EvaluationStatus,
)

#: Hours of one agreed task in a school year (a full-time normjaartaak is 1659 hours).
MAX_TASK_HOURS = Decimal("1659")


class TaskDescription(models.Model):
    """Taakomschrijving bpo'er (aspect 8). Without ``school`` it is the partnership's template
    (one per partnership); with ``school`` it is the school's adopted, possibly adapted, copy
    (one per school)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="task_descriptions"
    )
    school = models.OneToOneField(
        "organisations.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="task_description",
        verbose_name=_("school"),
    )
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.TextField(_("inleiding"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("taakomschrijving")
        verbose_name_plural = _("taakomschrijvingen")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(school__isnull=True),
                name="agreements_one_template_per_partnership",
                violation_error_message=_("Dit SWV heeft al een voorbeeldtaakomschrijving."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_template(self) -> bool:
        return self.school_id is None


class TaskDescriptionItem(models.Model):
    """One task of a task description, under a task area; ``source`` names where the text comes
    from (e.g. "Drechtsteden 2" or "Kwaliteitskader 16.1")."""

    description = models.ForeignKey(TaskDescription, on_delete=models.CASCADE, related_name="items")
    area = models.CharField(_("taakgebied"), max_length=20, choices=TaskArea.choices)
    text = models.TextField(_("taak"))
    source = models.CharField(_("bron"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("taak uit de taakomschrijving")
        verbose_name_plural = _("taken uit de taakomschrijving")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class WorkAgreementQuerySet(models.QuerySet["WorkAgreement"]):
    def latest_versions(self) -> WorkAgreementQuerySet:
        """Only the newest version of each (school, BPO, school year)."""
        newer = WorkAgreement.objects.filter(
            school=models.OuterRef("school"),
            bpo=models.OuterRef("bpo"),
            school_year=models.OuterRef("school_year"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer))


class WorkAgreement(models.Model):
    """Werkafspraken between the school (its ondersteuningscoördinator) and a BPO for one school
    year: concrete tasks per task area with hours, presence (aspect 4), SOT participation
    (aspect 7), management (aspect 6) and how the other SOT members are informed (aspect 9).

    Versions: version 1 is made at the start of the year; an evaluation that adjusts the
    agreements opens the next version, copied from the latest. Only a draft can change.
    ``revision`` counts saves of the draft, so that two people editing at once do not overwrite
    each other (the second save is refused with a conflict message).
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="work_agreements",
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
        related_name="work_agreements",
        verbose_name=_("bpo'er"),
    )
    assignment = models.ForeignKey(
        "staffing.BpoAssignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_agreements",
        verbose_name=_("inzet"),
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("vorige versie"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    presence_days = models.JSONField(_("aanwezigheidsdagen"), default=list, blank=True)
    presence_times = models.CharField(
        _("aanwezigheidstijden"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: dinsdag 8.30–16.00 uur, donderdag ochtend."),
    )
    sot_participation = models.TextField(
        _("deelname aan het ondersteuningsteam (SOT)"),
        blank=True,
        help_text=_("Welke overleggen, hoe vaak, met welke rol."),
    )
    management = models.TextField(
        _("aansturing"),
        blank=True,
        help_text=_("Wie stuurt de bpo'er aan, en onder wiens regie werkt hij/zij (aspect 6)."),
    )
    sot_informed = models.TextField(
        _("informeren van de overige SOT-leden"),
        blank=True,
        help_text=_("Hoe de overige leden van het SOT op de hoogte zijn van het takenpakket."),
    )
    notes = models.TextField(_("overige afspraken"), blank=True)
    coordinator_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bevestigd door coördinator"),
    )
    coordinator_confirmed_at = models.DateTimeField(
        _("bevestigd door coördinator op"), null=True, blank=True
    )
    bpo_confirmed_at = models.DateTimeField(_("bevestigd door bpo'er op"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gezien door"),
    )
    acknowledged_at = models.DateTimeField(_("gezien op"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    objects = WorkAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("werkafspraken")
        verbose_name_plural = _("werkafspraken")
        ordering = ["-school_year__start", "school__name", "bpo__full_name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "bpo", "school_year", "version"],
                name="agreements_one_version_number",
                violation_error_message=_("Deze versie van de werkafspraken bestaat al."),
            )
        ]
        indexes = [models.Index(fields=["school", "school_year"])]

    def __str__(self) -> str:
        return f"{self.school} · {self.bpo} · {self.school_year} · v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == AgreementStatus.DRAFT

    @property
    def is_agreed(self) -> bool:
        return self.status in (AgreementStatus.AGREED, AgreementStatus.ACKNOWLEDGED)

    def hours_by_area(self, tasks=None) -> dict[str, Decimal]:
        """{area: agreed hours} in task-area order (areas without tasks left out)."""
        tasks = list(self.tasks.all()) if tasks is None else tasks
        result: dict[str, Decimal] = {}
        for area in TaskArea.values:
            hours = [t.hours for t in tasks if t.area == area]
            if hours:
                result[area] = sum(hours, Decimal(0))
        return result


class AgreedTask(models.Model):
    """One concrete task of a werkafspraak under a task area, with its hours in the school year.
    ``origin`` is the task of the previous version it was copied from (for the differences)."""

    agreement = models.ForeignKey(WorkAgreement, on_delete=models.CASCADE, related_name="tasks")
    area = models.CharField(_("taakgebied"), max_length=20, choices=TaskArea.choices)
    description = models.TextField(_("taak"))
    hours = models.DecimalField(
        _("uren per schooljaar"),
        max_digits=6,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_TASK_HOURS)],
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("afgesproken taak")
        verbose_name_plural = _("afgesproken taken")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0),
                name="agreements_task_hours_not_negative",
                violation_error_message=_("Uren kunnen niet negatief zijn."),
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class AgreementEvaluation(models.Model):
    """Evaluatie van het functioneren van de bpo'er en de werkafspraken (aspect 10): annual or
    interim, with the participants, per task area the agreed and realised hours and what went
    well / what to change, a conclusion and the decision to keep or adjust the agreements.
    While a draft, realised hours are read live from the activity log (school year start up to
    the evaluation date); on finalising they are stored, so the signed document does not change.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="agreement_evaluations",
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
        related_name="agreement_evaluations",
        verbose_name=_("bpo'er"),
    )
    agreement = models.ForeignKey(
        WorkAgreement,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("geëvalueerde werkafspraken"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=EvaluationKind.choices)
    date = models.DateField(_("datum"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ondersteuningscoördinator"),
    )
    bpo_present = models.BooleanField(_("bpo'er aanwezig"), default=True)
    home_manager_name = models.CharField(
        _("leidinggevende moederorganisatie"),
        max_length=150,
        blank=True,
        help_text=_(
            "Bij inhuur: de leidinggevende van de organisatie waar de bpo'er in dienst is."
        ),
    )
    other_participants = models.CharField(_("overige deelnemers"), max_length=300, blank=True)
    conclusion = models.TextField(_("conclusie"), blank=True)
    decision = models.CharField(
        _("besluit"), max_length=20, choices=EvaluationDecision.choices, blank=True
    )
    next_agreement = models.ForeignKey(
        WorkAgreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangepaste werkafspraken"),
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["school", "school_year", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date} · {self.school} · {self.bpo}"

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.FINAL


class EvaluationArea(models.Model):
    """One task area in an evaluation. ``realised_hours`` is stored when the evaluation is
    finalised (empty while it is a draft)."""

    evaluation = models.ForeignKey(
        AgreementEvaluation, on_delete=models.CASCADE, related_name="areas"
    )
    area = models.CharField(_("taakgebied"), max_length=20, choices=TaskArea.choices)
    agreed_hours = models.DecimalField(
        _("afgesproken uren"), max_digits=7, decimal_places=1, default=Decimal(0)
    )
    realised_hours = models.DecimalField(
        _("gerealiseerde uren"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    went_well = models.TextField(_("wat ging goed"), blank=True)
    to_change = models.TextField(_("wat moet anders"), blank=True)

    class Meta:
        verbose_name = _("taakgebied in de evaluatie")
        verbose_name_plural = _("taakgebieden in de evaluatie")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "area"],
                name="agreements_one_row_per_area",
                violation_error_message=_("Dit taakgebied staat al in de evaluatie."),
            )
        ]

    def __str__(self) -> str:
        return self.get_area_display()

    @property
    def sort_key(self) -> int:
        return TaskArea.values.index(self.area)


class Competency(models.Model):
    """One competency of the partnership's competentieprofiel (seed 000 §7), grouped by domain
    (leerling, docent, systeem). Retired competencies stay (``active`` off) so that old ratings
    keep their text."""

    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="competencies"
    )
    domain = models.CharField(_("domein"), max_length=20, choices=CompetencyDomain.choices)
    text = models.TextField(_("competentie"))
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        verbose_name = _("competentie")
        verbose_name_plural = _("competenties")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class CompetencyProfile(models.Model):
    """Competentieprofiel of a BPO at a school in a school year: the BPO's self-rating and the
    coordinator's rating per competency, and development goals. Shown in the evaluation."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="competency_profiles",
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
        related_name="competency_profiles",
        verbose_name=_("bpo'er"),
    )
    development_goals = models.TextField(_("ontwikkeldoelen"), blank=True)
    self_rated_at = models.DateTimeField(_("zelfbeoordeling bijgewerkt"), null=True, blank=True)
    coordinator_rated_at = models.DateTimeField(
        _("beoordeling coördinator bijgewerkt"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("competentieprofiel")
        verbose_name_plural = _("competentieprofielen")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "bpo", "school_year"],
                name="agreements_one_profile_per_year",
                violation_error_message=_("Er is al een competentieprofiel voor dit schooljaar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.bpo} · {self.school} · {self.school_year}"


class CompetencyRating(models.Model):
    """A BPO's self-rating and the coordinator's rating of one competency (4-point scale)."""

    profile = models.ForeignKey(CompetencyProfile, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    self_level = models.PositiveSmallIntegerField(
        _("zelfbeoordeling"), choices=CompetencyLevel.choices, null=True, blank=True
    )
    coordinator_level = models.PositiveSmallIntegerField(
        _("beoordeling coördinator"), choices=CompetencyLevel.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("beoordeling competentie")
        verbose_name_plural = _("beoordelingen competenties")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competency"],
                name="agreements_one_rating_per_competency",
                violation_error_message=_("Deze competentie is al beoordeeld in dit profiel."),
            ),
            models.CheckConstraint(
                condition=Q(self_level__gte=1, self_level__lte=4) | Q(self_level__isnull=True),
                name="agreements_self_level_on_scale",
                violation_error_message=_("Kies een score van 1 tot en met 4."),
            ),
            models.CheckConstraint(
                condition=Q(coordinator_level__gte=1, coordinator_level__lte=4)
                | Q(coordinator_level__isnull=True),
                name="agreements_coordinator_level_on_scale",
                violation_error_message=_("Kies een score van 1 tot en met 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency} {self.self_level}/{self.coordinator_level}"
