from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """Professional development organised by the SWV (seed 000 §6)."""

    INTERVISION = "intervision", _("Intervisie")
    CASE_DISCUSSION = "case_discussion", _("Casuïstiek")
    NETWORK_CAFE = "network_cafe", _("Netwerkcafé")
    EXPERIENCE_AFTERNOON = "experience_afternoon", _("Ervaringsmiddag")
    THEME_MEETING = "theme_meeting", _("Themabijeenkomst")
    WEBINAR = "webinar", _("Webinar")
    WORKSHOP = "workshop", _("Werkatelier")


class EventMode(models.TextChoices):
    ON_SITE = "on_site", _("Op locatie")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Aangemeld")
    WAITLISTED = "waitlisted", _("Wachtlijst")
    CANCELLED = "cancelled", _("Afgemeld")
