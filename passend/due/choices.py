from django.db import models
from django.utils.translation import gettext_lazy as _


class DueGroup(models.TextChoices):
    """How the due page and the start page panel group the items."""

    OVERDUE = "overdue", _("Te laat")
    SOON = "soon", _("Binnenkort")
