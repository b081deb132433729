from django.db import models
from django.utils.translation import gettext_lazy as _


class GuardianRelation(models.TextChoices):
    MOTHER = "mother", _("Moeder")
    FATHER = "father", _("Vader")
    PARENT = "parent", _("Ouder")
    GUARDIAN = "guardian", _("Voogd")
    FOSTER_PARENT = "foster_parent", _("Pleegouder")
    OTHER = "other", _("Anders")


class RosterImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Geüpload, nog niet ingelezen")
    APPLIED = "applied", _("Ingelezen")
    CANCELLED = "cancelled", _("Afgebroken")
