"""Applications to the partnership (aanvragen bij het SWV) for a student whose support need goes
beyond basic support: an arrangement (within the school or Op Maat), a toelaatbaarheidsverklaring
(TLV) for VSO or PrO, or LWOO where the SWV uses it. The school's coordinator and BPOs draw up
the dossier from a support case, with two expert advices for a TLV and the consent that says
which parts of the dossier go to the SWV; the SWV (consultant, partnership_admin) reviews and
decides; an objection can follow within six weeks.

Narrative fields (the support question, what was tried, the expert advice texts) are
``EncryptedTextField``: encrypted at rest, never written to logs or audit data.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.applications.choices import (
    DEFAULT_KINDS,
    TLV_KINDS,
    ApplicationKind,
    ApplicationStatus,
    DossierPart,
    ExpertProfession,
    Outcome,
    TlvCategory,
)
from passend.caseload.choices import ConsentGiver
from passend.privacy.fields import EncryptedTextField

#: An objection (bezwaarschrift) reaches the SWV within six weeks of the decision (Awb 6:7).
OBJECTION_DAYS = 42

_TLV = sorted(TLV_KINDS)


class ApplicationPolicy(models.Model):
    """Which application kinds a partnership uses (aanvraagsoorten van het SWV), kept by its
    partnership_admin. Without a row the partnership uses ``DEFAULT_KINDS``. Not student data."""

    partnership = models.OneToOneField(
        "organisations.Partnership",
        on_delete=models.CASCADE,
        related_name="application_policy",
        verbose_name=_("samenwerkingsverband"),
    )
    kinds = models.JSONField(_("soorten aanvragen in gebruik"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("bijgewerkt door"),
    )
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("aanvraagsoorten van het SWV")
        verbose_name_plural = _("aanvraagsoorten van de SWV's")

    def __str__(self) -> str:
        return f"{self.partnership_id}: {', '.join(self.kinds)}"

    @classmethod
    def kinds_for(cls, partnership) -> list[str]:
        """The kinds ``partnership`` uses, in the order of ApplicationKind."""
        policy = cls.objects.filter(partnership=partnership).first()
        chosen = set(policy.kinds) if policy is not None else set(DEFAULT_KINDS)
        return [k for k in ApplicationKind.values if k in chosen]


class Application(models.Model):
    """An application to the SWV (aanvraag arrangement of toelaatbaarheidsverklaring) for one
    student, drawn up from one of the student's support cases. The dossier is the support
    question, what was tried, chosen class observations and recommendations of the case, the
    OPP, the MDO date and the expert advices; the dossier consent (DossierConsent) says which
    of those parts the SWV receives. The decision fields are the SWV's (beschikking)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("samenwerkingsverband"),
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("school"),
    )
    student = models.ForeignKey(
        "students.Student",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("leerling"),
    )
    # RESTRICT: a case with an application cannot be deleted on its own; with the student
    # (retention) both go.
    case = models.ForeignKey(
        "caseload.SupportCase",
        on_delete=models.RESTRICT,
        related_name="applications",
        verbose_name=_("casus"),
    )
    kind = models.CharField(_("soort aanvraag"), max_length=32, choices=ApplicationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    question = EncryptedTextField(_("ondersteuningsvraag"), blank=True)
    tried = EncryptedTextField(_("wat is al geprobeerd"), blank=True)
    observations = models.ManyToManyField(
        "caseload.Observation",
        blank=True,
        related_name="applications",
        verbose_name=_("klassenobservaties"),
    )
    recommendations = models.ManyToManyField(
        "caseload.Recommendation",
        blank=True,
        related_name="applications",
        verbose_name=_("handelingsadviezen"),
    )
    mdo_on = models.DateField(_("datum MDO"), null=True, blank=True)
    submitted_on = models.DateField(_("ingediend op"), null=True, blank=True)
    outcome = models.CharField(_("besluit"), max_length=20, choices=Outcome.choices, blank=True)
    decision_number = models.CharField(_("besluitnummer"), max_length=50, blank=True)
    decided_on = models.DateField(_("datum besluit"), null=True, blank=True)
    category = models.CharField(
        _("bekostigingscategorie"), max_length=1, choices=TlvCategory.choices, blank=True
    )
    starts_on = models.DateField(_("ingangsdatum"), null=True, blank=True)
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    objection_filed_on = models.DateField(_("bezwaar ingediend op"), null=True, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["partnership", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category="") | models.Q(kind__in=_TLV, outcome=Outcome.GRANTED),
                name="applications_category_only_for_granted_tlv",
                violation_error_message=_(
                    "Een bekostigingscategorie hoort alleen bij een toegekende TLV."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=_TLV, outcome=Outcome.GRANTED)
                | ~models.Q(category=""),
                name="applications_granted_tlv_has_category",
                violation_error_message=_("Kies de bekostigingscategorie van de TLV."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="applications_ends_after_start",
                violation_error_message=_("De einddatum ligt vóór de ingangsdatum."),
            ),
            models.CheckConstraint(
                condition=models.Q(objection_filed_on__isnull=True)
                | models.Q(objection_filed_on__gte=models.F("decided_on")),
                name="applications_objection_after_decision",
                violation_error_message=_("Het bezwaar ligt vóór de datum van het besluit."),
            ),
        ]

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self.get_kind_display()} · {self.code}"

    @property
    def is_tlv(self) -> bool:
        return self.kind in TLV_KINDS

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    def objection_deadline(self) -> datetime.date | None:
        """The last day an objection can be filed: six weeks after the decision."""
        if self.decided_on is None:
            return None
        return self.decided_on + datetime.timedelta(days=OBJECTION_DAYS)


def school_year_end(day: datetime.date) -> datetime.date:
    """31 July of the school year that ``day`` falls in (the default end of a TLV: OSO
    recommends "bij einde schooljaar 31 juli")."""
    from passend.organisations.models import SchoolYear

    return datetime.date(SchoolYear.start_year_of(day) + 1, 7, 31)


class ApplicationStatusChange(models.Model):
    """One step of an application's status (statusgeschiedenis)."""

    partnership = models.ForeignKey(
        "organisations.Partnership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("samenwerkingsverband"),
    )
    school = models.ForeignKey(
        "organisations.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("aanvraag"),
    )
    from_status = models.CharField(
        _("van"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("naar"), max_length=20, choices=ApplicationStatus.choices)
    changed_at = models.DateTimeField(_("op"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )

    class Meta:
        verbose_name = _("statuswijziging aanvraag")
        verbose_name_plural = _("statuswijzigingen aanvragen")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"


class ExpertAdvice(models.Model):
    """An expert's advice on the application (deskundigenadvies). For a TLV two are needed, one
    by an orthopedagogue or psychologist, each independent of the school and the applicant
    (onafhankelijkheidsverklaring)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("samenwerkingsverband"),
    )
    school = models.ForeignKey(
        "organisations.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="advices", verbose_name=_("aanvraag")
    )
    profession = models.CharField(_("beroep"), max_length=32, choices=ExpertProfession.choices)
    name = models.CharField(_("naam deskundige"), max_length=150)
    given_on = models.DateField(_("datum advies"))
    advice = EncryptedTextField(_("advies"))
    independent = models.BooleanField(
        _("onafhankelijkheidsverklaring"),
        default=False,
        help_text=_(
            "De deskundige is niet verbonden aan de school of de aanvrager en was niet eerder "
            "bij de leerling betrokken."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("deskundigenadvies")
        verbose_name_plural = _("deskundigenadviezen")
        ordering = ["given_on", "created_at", "pk"]

    def __str__(self) -> str:  # never the advice text: this ends up in logs
        return f"{self.get_profession_display()} {self.given_on}"


class DossierConsent(models.Model):
    """The consent to send the dossier to the SWV (toestemming dossier): who gave it — a
    guardian with legal authority under 16, the student from 16 (the rule of
    passend.caseload.consent) — on which day, and which parts of the dossier it covers
    (``parts``, DossierPart values). The SWV sees only those parts. The guardian's name is kept
    with the consent, so it stays readable when the roster drops the guardian."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("samenwerkingsverband"),
    )
    school = models.ForeignKey(
        "organisations.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="dossier_consent",
        verbose_name=_("aanvraag"),
    )
    given_by = models.CharField(_("gegeven door"), max_length=20, choices=ConsentGiver.choices)
    guardian = models.ForeignKey(
        "students.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ouder/verzorger"),
    )
    guardian_name = models.CharField(_("naam ouder/verzorger"), max_length=150, blank=True)
    given_on = models.DateField(_("datum toestemming"))
    parts = models.JSONField(_("onderdelen van het dossier"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("toestemming dossier")
        verbose_name_plural = _("toestemmingen dossier")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(given_by=ConsentGiver.STUDENT) | ~models.Q(guardian_name=""),
                name="applications_dossier_consent_guardian_named",
                violation_error_message=_("Kies de ouder/verzorger die toestemming gaf."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.given_on}"

    def includes(self, part: str) -> bool:
        return part in self.parts

    @property
    def part_labels(self) -> list[str]:
        return [label for value, label in DossierPart.choices if value in self.parts]
