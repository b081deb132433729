"""Privacy settings per partnership."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The usual term: a student file is kept 2 years after the student left (Aanpak IBP).
DEFAULT_RETENTION_YEARS = 2


class RetentionPolicy(models.Model):
    """Bewaartermijn: how many years after leaving a student's data (file, cases, consents) is
    kept before ``passend retention --apply`` deletes it. Without a policy the default of 2
    years applies."""

    partnership = models.OneToOneField(
        "organisations.Partnership", on_delete=models.CASCADE, related_name="retention_policy"
    )
    years_after_leaving = models.PositiveSmallIntegerField(
        _("jaren na uitschrijving"),
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.years_after_leaving}"
