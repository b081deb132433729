"""The organisation model: partnership (SWV) → school board → school (DUO location)."""

import uuid
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passend.organisations.choices import Domain, EnrollmentSource


class Partnership(models.Model):
    """A samenwerkingsverband (SWV): the regional partnership of school boards; the tenant."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    duo_number = models.CharField(
        _("DUO-administratienummer"),
        max_length=20,
        unique=True,
        help_text=_("Bijvoorbeeld VO 28-12."),
    )

    class Meta:
        verbose_name = _("samenwerkingsverband")
        verbose_name_plural = _("samenwerkingsverbanden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolBoard(models.Model):
    """A school board (schoolbestuur / bevoegd gezag), identified by DUO's bevoegd gezag number.

    Boards are national entities; a board can have schools in several partnerships.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    duo_number = models.CharField(_("bevoegd-gezagnummer"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("schoolbestuur")
        verbose_name_plural = _("schoolbesturen")
        ordering = ["duo_number"]

    def __str__(self) -> str:
        return self.name or self.duo_number


class SchoolQuerySet(models.QuerySet["School"]):
    def visible_to(self, user) -> "SchoolQuerySet":
        """Schools the user may see; see passend.accounts.access for the rules."""
        from passend.accounts.access import scope_for

        return scope_for(user).schools(self)


class School(models.Model):
    """One school location (vestiging) as DUO registers it: instellingscode + vestigingscode."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("samenwerkingsverband"),
    )
    board = models.ForeignKey(
        SchoolBoard,
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("schoolbestuur"),
    )
    institution_code = models.CharField(_("instellingscode"), max_length=4)
    location_code = models.CharField(_("vestigingscode"), max_length=6, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("plaats"), max_length=100, blank=True)
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)
    education_structure = models.CharField(_("onderwijsstructuur"), max_length=100, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name", "location_code"]
        indexes = [models.Index(fields=["partnership", "name"])]
        constraints = [
            models.CheckConstraint(
                name="school_location_code_extends_institution_code",
                condition=Q(location_code__startswith=models.F("institution_code")),
                violation_error_message=_("De vestigingscode begint met de instellingscode."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.location_code})"


class SchoolYear(models.Model):
    """A school year (schooljaar), 1 August – 31 July, written ``2025-2026``."""

    name = models.CharField(_("naam"), max_length=9, unique=True)
    start = models.DateField(_("begin"), unique=True)
    end = models.DateField(_("einde"))

    class Meta:
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                name="school_year_runs_august_to_july",
                condition=Q(start__month=8, start__day=1, end__month=7, end__day=31),
                violation_error_message=_(
                    "Een schooljaar loopt van 1 augustus tot en met 31 juli."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def start_year_of(day: date) -> int:
        return day.year if day.month >= 8 else day.year - 1

    @classmethod
    def name_for_start_year(cls, start_year: int) -> str:
        return f"{start_year}-{start_year + 1}"

    @classmethod
    def get_or_create_for_start_year(cls, start_year: int) -> "SchoolYear":
        year, _created = cls.objects.get_or_create(
            start=date(start_year, 8, 1),
            defaults={
                "name": cls.name_for_start_year(start_year),
                "end": date(start_year + 1, 7, 31),
            },
        )
        return year

    @classmethod
    def current(cls, on: date | None = None) -> "SchoolYear":
        from django.utils import timezone

        return cls.get_or_create_for_start_year(cls.start_year_of(on or timezone.localdate()))

    @classmethod
    def parse_name(cls, name: str) -> int:
        """The start year of ``2025-2026``; ValueError for anything else."""
        parts = name.strip().split("-")
        if len(parts) != 2 or not all(p.isascii() and p.isdecimal() and len(p) == 4 for p in parts):
            raise ValueError(f"not a school year like 2025-2026: {name!r}")
        start, end = int(parts[0]), int(parts[1])
        if end != start + 1:
            raise ValueError(f"a school year spans two consecutive years: {name!r}")
        return start


class Enrollment(models.Model):
    """Students per school per school year (leerlingaantal), as counted on 1 October.

    DUO suppresses small numbers as ``<5``; such a count is stored as NULL with ``*_suppressed``.
    """

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("school")
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+", verbose_name=_("SWV")
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("schooljaar")
    )
    student_count = models.PositiveIntegerField(_("aantal leerlingen"), null=True, blank=True)
    student_count_suppressed = models.BooleanField(_("aantal < 5 (afgeschermd)"), default=False)
    vavo_count = models.PositiveIntegerField(_("uitbesteed aan VAVO"), null=True, blank=True)
    vavo_count_suppressed = models.BooleanField(_("VAVO < 5 (afgeschermd)"), default=False)
    source = models.CharField(
        _("bron"), max_length=10, choices=EnrollmentSource.choices, default=EnrollmentSource.DUO
    )
    count_date = models.DateField(_("teldatum"))

    class Meta:
        verbose_name = _("leerlingaantal")
        verbose_name_plural = _("leerlingaantallen")
        ordering = ["-school_year__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="enrollment_one_per_school_year",
                violation_error_message=_("Er is al een leerlingaantal voor dit schooljaar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}: {self.display_count}"

    @property
    def display_count(self) -> str:
        return "<5" if self.student_count_suppressed else str(self.student_count or 0)


class SupportTeam(models.Model):
    """The school support team (schoolondersteuningsteam, SOT) of a school in a school year."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="support_teams", verbose_name=_("school")
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+", verbose_name=_("SWV")
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("schooljaar")
    )

    class Meta:
        verbose_name = _("schoolondersteuningsteam")
        verbose_name_plural = _("schoolondersteuningsteams")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="support_team_one_per_school_year",
                violation_error_message=_("Deze school heeft al een SOT in dit schooljaar."),
            )
        ]

    def __str__(self) -> str:
        return f"SOT {self.school.name} {self.school_year}"


class SupportTeamMember(models.Model):
    """A member of the SOT, tagged by domain; a core partner may have no account."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(
        SupportTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("SOT")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_team_memberships",
        verbose_name=_("gebruiker"),
    )
    name = models.CharField(_("naam"), max_length=150)
    function = models.CharField(_("functie"), max_length=150, blank=True)
    domain = models.CharField(_("domein"), max_length=32, choices=Domain.choices)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("SOT-lid")
        verbose_name_plural = _("SOT-leden")
        ordering = ["domain", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_domain_display()})"
