from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DueConfig(AppConfig):
    name = "passend.due"
    verbose_name = _("Te doen")
