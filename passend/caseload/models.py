"""The BPO's caseload: support cases (ondersteuningsvragen) with their contacts, class
observations and recommendations (handelingsadviezen), the partnership's library of approaches,
and consent-governed sharing of a case with SOT partners.

Narrative fields (what the signal said, the support question, contact notes, observation
reports, recommendation texts and follow-up) are ``EncryptedTextField``: encrypted at rest, never
written to logs or audit data.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.caseload.choices import (
    ApproachKind,
    Audience,
    CaseStatus,
    ConsentGiver,
    ContactKind,
    MeetingKind,
    RecommendationStatus,
    SignalSource,
)
from passend.organisations.choices import Domain
from passend.privacy.fields import EncryptedTextField


class SupportCase(models.Model):
    """A student's support case (ondersteuningsvraag/casus/traject), from the signal to closure.
    ``domains`` lists the SOT domains involved (passend.organisations.choices.Domain)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="support_cases",
        verbose_name=_("school"),
    )
    student = models.ForeignKey(
        "students.Student",
        on_delete=models.CASCADE,
        related_name="support_cases",
        verbose_name=_("leerling"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.SIGNAL
    )
    signal_source = models.CharField(
        _("gesignaleerd door"), max_length=20, choices=SignalSource.choices
    )
    signalled_by_name = models.CharField(_("naam melder"), max_length=150, blank=True)
    signalled_on = models.DateField(_("datum signalering"))
    signal = EncryptedTextField(_("signalering"), help_text=_("Wat is er gesignaleerd?"))
    question = EncryptedTextField(_("ondersteuningsvraag"), blank=True)
    bpo = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_cases",
        verbose_name=_("bpo'er"),
    )
    domains = models.JSONField(_("betrokken domeinen"), default=list, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("ondersteuningsvraag")
        verbose_name_plural = _("ondersteuningsvragen")
        ordering = ["-signalled_on", "-created_at"]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["bpo", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.signalled_on}"


class CaseStatusChange(models.Model):
    """One step of a case's status, for the timeline."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"


class CaseRecord(models.Model):
    """Common fields of what is recorded in a case (contacts, observations, recommendations)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    date = models.DateField(_("datum"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-created_at"]


class Contact(CaseRecord):
    """A contact moment (contactmoment) in a case."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("contact met"), max_length=20, choices=ContactKind.choices)
    with_whom = models.CharField(_("naam/functie"), max_length=150, blank=True)
    notes = EncryptedTextField(_("verslag"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self._meta.verbose_name} {self.date}"


class Observation(CaseRecord):
    """A class observation (klassenobservatie) with its report."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="observations")
    lesson = models.CharField(_("les/vak"), max_length=120, blank=True)
    teacher_name = models.CharField(_("docent"), max_length=150, blank=True)
    report = EncryptedTextField(_("observatieverslag"))

    class Meta(CaseRecord.Meta):
        verbose_name = _("klassenobservatie")
        verbose_name_plural = _("klassenobservaties")

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self._meta.verbose_name} {self.date}"


class Approach(models.Model):
    """A method, programme or instrument in the partnership's library that recommendations can
    cite (methodiek/programma/instrument). Not student data."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="approaches"
    )
    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort"), max_length=20, choices=ApproachKind.choices)
    description = models.TextField(_("beschrijving"), blank=True)
    url = models.URLField(_("meer informatie"), blank=True)
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        verbose_name = _("aanpak")
        verbose_name_plural = _("aanpakken")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="caseload_approach_name_unique",
                violation_error_message=_("Er is al een aanpak met deze naam."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Recommendation(CaseRecord):
    """A handelingsadvies for teachers, the mentor or the parents, with its follow-up."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="recommendations")
    audience = models.CharField(_("voor"), max_length=20, choices=Audience.choices)
    text = EncryptedTextField(_("advies"))
    approaches = models.ManyToManyField(
        Approach, blank=True, related_name="recommendations", verbose_name=_("aanpakken")
    )
    status = models.CharField(
        _("opvolging"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    follow_up = EncryptedTextField(_("toelichting opvolging"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("handelingsadvies")
        verbose_name_plural = _("handelingsadviezen")

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self._meta.verbose_name} {self.date}"


class Consent(models.Model):
    """Consent (toestemming) to share a student's case with an SOT partner domain or a named
    partner, for a purpose. Under 16 a guardian with legal authority gives it; from 16 the
    student (age on the day of consent). Valid from ``given_on`` until ``expires_on`` (inclusive)
    unless withdrawn; a guardian's consent ends when the student turns 16."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="consents"
    )
    given_by = models.CharField(_("gegeven door"), max_length=20, choices=ConsentGiver.choices)
    guardian = models.ForeignKey(
        "students.Guardian",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("ouder/verzorger"),
    )
    domain = models.CharField(_("domein"), max_length=32, choices=Domain.choices, blank=True)
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("partner"),
    )
    purpose = models.CharField(_("doel"), max_length=300)
    given_on = models.DateField(_("datum toestemming"))
    expires_on = models.DateField(_("geldig tot en met"), null=True, blank=True)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(domain="") | models.Q(partner__isnull=False),
                name="caseload_consent_has_scope",
                violation_error_message=_("Kies een domein of een partner."),
            ),
            models.CheckConstraint(
                condition=models.Q(given_by="student") | models.Q(guardian__isnull=False),
                name="caseload_consent_guardian_named",
                violation_error_message=_("Kies de ouder/verzorger die toestemming gaf."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.purpose}"

    def is_valid_on(self, day: datetime.date) -> bool:
        """Whether this consent covers ``day`` (student and guardian must be loaded)."""
        if day < self.given_on:
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return False
        if self.expires_on is not None and day > self.expires_on:
            return False
        if self.given_by == ConsentGiver.STUDENT:
            return self.student.gives_own_consent_on(self.given_on)
        return (
            self.guardian is not None
            and self.guardian.has_authority
            and not self.student.gives_own_consent_on(day)
        )

    def covers(self, *, user_id: int, domains: set[str]) -> bool:
        return self.partner_id == user_id or (bool(self.domain) and self.domain in domains)


class CaseShare(models.Model):
    """A case shared with an SOT partner domain or a named partner. A partner sees the case only
    while a share and a valid consent both cover them."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="shares")
    domain = models.CharField(_("domein"), max_length=32, choices=Domain.choices, blank=True)
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_shares",
        verbose_name=_("partner"),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_on = models.DateField(_("gedeeld op"))
    ended_on = models.DateField(_("gestopt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("gedeeld met")
        verbose_name_plural = _("gedeeld met")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(domain="") | models.Q(partner__isnull=False),
                name="caseload_share_has_scope",
                violation_error_message=_("Kies een domein of een partner."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.domain or self.partner_id}"

    def covers(self, *, user_id: int, domains: set[str]) -> bool:
        return self.partner_id == user_id or (bool(self.domain) and self.domain in domains)


class Meeting(models.Model):
    """A meeting of the school's support team (SOT-overleg, leerlingbespreking, MDO): attendees,
    an agenda of cases with minutes, decisions and action points, and a recap once finalised.
    A finalised meeting is closed for changes (only action points can still be ticked off)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("school"),
    )
    kind = models.CharField(
        _("soort overleg"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.SOT
    )
    date = models.DateField(_("datum"))
    starts_at = models.TimeField(_("aanvang"), null=True, blank=True)
    location = models.CharField(_("locatie"), max_length=150, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voorzitter"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["-date", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


class MeetingAttendee(models.Model):
    """Someone at the meeting: a user (school staff or an SOT partner) or a name only. ``domain``
    is the SOT domain of a partner from outside the school; empty for the school's own staff.
    A partner attendee may only see agenda items whose case is shared with them under a valid
    consent (passend.caseload.meetings)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name=_("gebruiker"),
    )
    name = models.CharField(_("naam"), max_length=150)
    function = models.CharField(_("functie"), max_length=150, blank=True)
    domain = models.CharField(_("domein"), max_length=32, choices=Domain.choices, blank=True)
    present = models.BooleanField(_("aanwezig"), default=True)

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="caseload_attendee_once",
                violation_error_message=_("Deze persoon staat al op de deelnemerslijst."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """A case on a meeting's agenda, with the minutes and decisions of its discussion."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(
        SupportCase,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("casus"),
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    minutes = EncryptedTextField(_("verslag"), blank=True)
    decisions = EncryptedTextField(_("afspraken"), blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                name="caseload_agenda_case_once",
                violation_error_message=_("Deze casus staat al op de agenda."),
            )
        ]

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self.meeting_id} · {self.case_id}"


class ActionPoint(models.Model):
    """Who does what by when, agreed at an agenda item."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="action_points")
    description = EncryptedTextField(_("actie"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("wie"),
    )
    owner_name = models.CharField(_("wie (naam)"), max_length=150, blank=True)
    due_on = models.DateField(_("uiterlijk"))
    done_on = models.DateField(_("afgerond op"), null=True, blank=True)

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:  # never the narrative text: this ends up in logs
        return f"{self.item_id} · {self.due_on}"

    @property
    def who(self) -> str:
        return self.owner.full_name if self.owner_id else self.owner_name
