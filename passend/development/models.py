"""Professional development: SWV events with registration and attendance; own records."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from passend.development.choices import EventKind, EventMode, RegistrationStatus


def certificate_upload_to(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"certificates/{uuid.uuid4().hex}{suffix}"


class PdEvent(models.Model):
    """A professional-development event of the SWV (intervisie, netwerkcafé, webinar, …)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="pd_events"
    )
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort"), max_length=30, choices=EventKind.choices)
    mode = models.CharField(_("vorm"), max_length=10, choices=EventMode.choices)
    description = models.TextField(_("omschrijving"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    location = models.CharField(_("locatie"), max_length=300, blank=True)
    online_url = models.URLField(_("link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("maximum aantal deelnemers"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    hours = models.DecimalField(
        _("studie-uren"), max_digits=5, decimal_places=2, default=Decimal("2")
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                name="pd_event_ends_after_start",
                condition=Q(ends_at__gt=F("starts_at")),
                violation_error_message=_("De bijeenkomst eindigt na het begin."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class PdRegistration(models.Model):
    """A person's registration for an event; ``attended`` is recorded by the office."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(PdEvent, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pd_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="pd_registration_once",
                violation_error_message=_("Je bent al aangemeld."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"


class PdRecord(models.Model):
    """A BPO's own professional development outside the SWV's events (aspect 12)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pd_records"
    )
    title = models.CharField(_("cursus of activiteit"), max_length=200)
    provider = models.CharField(_("aanbieder"), max_length=200, blank=True)
    date = models.DateField(_("datum"))
    hours = models.DecimalField(
        _("uren"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    certificate = models.FileField(
        _("certificaat"), upload_to=certificate_upload_to, max_length=200, blank=True
    )
    certificate_filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("eigen professionalisering")
        verbose_name_plural = _("eigen professionalisering")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title
