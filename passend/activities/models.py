"""The BPO's activity log (tijdsbesteding): time spent per task area, per school."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.activities.choices import TaskArea


class Activity(models.Model):
    """Time a BPO spent on one task area at one school on one day (activiteit).

    ``school_year`` is stored (derived from ``date``) so that totals per year need no date
    arithmetic in SQL; ``partnership`` is the tenant key.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="activities",
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
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("bpo'er"),
    )
    date = models.DateField(_("datum"))
    hours = models.DecimalField(
        _("uren"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("12"))],
    )
    area = models.CharField(_("taakgebied"), max_length=20, choices=TaskArea.choices)
    sub_area = models.CharField(_("onderdeel"), max_length=200, blank=True)
    note = models.CharField(_("notitie"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["bpo", "date"]),
            models.Index(fields=["school", "school_year", "area"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_area_display()} {self.hours}"
