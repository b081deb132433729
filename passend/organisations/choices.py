from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    """The four domains of the school support team (SOT), seed 000 §2."""

    EDUCATION_SUPPORT = "education_support", _("Onderwijsondersteuning")
    SAFETY = "safety", _("Veiligheid (leerplicht)")
    YOUTH_CARE = "youth_care", _("Jeugdhulp (SMW/wijkteam)")
    YOUTH_HEALTH = "youth_health", _("Jeugdgezondheidszorg")


class EnrollmentSource(models.TextChoices):
    DUO = "duo", _("DUO open data")
    SCHOOL = "school", _("Opgave school")
