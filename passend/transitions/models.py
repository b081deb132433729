"""A student's transitions (overstappen) PO → VO, VO → VO, VO → MBO and VO → VSO, with the warm
handover and what was shared with consent. Seed 001: the BPO "is betrokken bij overstap PO/VO
en VO/MBO".

The handover notes are narrative about the student: ``EncryptedTextField``, encrypted at rest,
never written to logs or audit data.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passend.caseload.choices import ConsentGiver
from passend.privacy.fields import EncryptedTextField
from passend.transitions.choices import Direction, SharedPart, TransitionKind


class Transition(models.Model):
    """A transition (overstap) of a student to or from the school: its kind, the sending or
    receiving school or institution (by name, with its DUO code when known, and linked when it
    is a school of the same partnership in passend), the date, the warm handover (warme
    overdracht) and what was shared with the other school under consent.

    Consent for sharing follows the rule of passend.caseload.consent: under 16 a guardian with
    legal authority gives it, from 16 the student, by the age on the day of consent. Sharing
    parts of the file needs a consent recorded as given (``shared_parts`` is empty otherwise).
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("school"),
    )
    student = models.ForeignKey(
        "students.Student",
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("leerling"),
    )
    kind = models.CharField(_("soort overstap"), max_length=10, choices=TransitionKind.choices)
    direction = models.CharField(_("richting"), max_length=10, choices=Direction.choices)
    other_school = models.ForeignKey(
        "organisations.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school in het samenwerkingsverband"),
    )
    other_name = models.CharField(_("school of instelling"), max_length=200)
    other_duo_code = models.CharField(_("DUO-code"), max_length=6, blank=True)
    date = models.DateField(_("datum overstap"))
    handover_on = models.DateField(_("datum warme overdracht"), null=True, blank=True)
    handover_with = models.CharField(_("overdracht met"), max_length=150, blank=True)
    handover_notes = EncryptedTextField(_("verslag warme overdracht"), blank=True)
    shared_parts = models.JSONField(_("gedeelde onderdelen"), default=list, blank=True)
    consent_given = models.BooleanField(_("toestemming gegeven"), null=True, blank=True)
    consent_given_by = models.CharField(
        _("toestemming door"), max_length=20, choices=ConsentGiver.choices, blank=True
    )
    consent_guardian = models.ForeignKey(
        "students.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ouder/verzorger"),
    )
    # The guardian's name as it was: the record keeps who consented if the guardian is removed.
    consent_guardian_name = models.CharField(_("naam ouder/verzorger"), max_length=150, blank=True)
    consent_on = models.DateField(_("datum toestemming"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("overstap")
        verbose_name_plural = _("overstappen")
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["school", "date"]),
            models.Index(fields=["partnership", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[TransitionKind.VO_VO, TransitionKind.VO_VSO])
                | Q(kind=TransitionKind.PO_VO, direction=Direction.INCOMING)
                | Q(kind=TransitionKind.VO_MBO, direction=Direction.OUTGOING),
                name="transitions_direction_fits_kind",
                violation_error_message=_(
                    "Een overstap PO → VO is inkomend, een overstap VO → MBO uitgaand."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(other_name=""),
                name="transitions_other_named",
                violation_error_message=_("Vul de school of instelling in."),
            ),
            models.CheckConstraint(
                # consent_given is NULL when no consent is recorded: compared on its own it
                # would make the condition NULL, which a CHECK lets through.
                condition=Q(shared_parts=[])
                | (Q(consent_given__isnull=False) & Q(consent_given=True)),
                name="transitions_parts_need_consent",
                violation_error_message=_(
                    "Onderdelen delen kan alleen met een vastgelegde toestemming."
                ),
            ),
            models.CheckConstraint(
                condition=Q(consent_given__isnull=True)
                | (Q(consent_on__isnull=False) & ~Q(consent_given_by="")),
                name="transitions_consent_complete",
                violation_error_message=_("Vul in wie de toestemming gaf en op welke datum."),
            ),
            models.CheckConstraint(
                condition=~Q(consent_given_by=ConsentGiver.GUARDIAN) | ~Q(consent_guardian_name=""),
                name="transitions_consent_guardian_named",
                violation_error_message=_("Kies de ouder/verzorger die toestemming gaf."),
            ),
        ]

    def __str__(self) -> str:  # never the notes: this ends up in logs
        return f"{self.get_kind_display()} {self.get_direction_display().lower()} {self.date}"

    @property
    def shared_part_labels(self) -> list[str]:
        """The labels of the parts shared, in the order of SharedPart."""
        return [label for value, label in SharedPart.choices if value in self.shared_parts]

    @property
    def consent_recorded(self) -> bool:
        return self.consent_given is not None
