from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseloadConfig(AppConfig):
    name = "passend.caseload"
    verbose_name = _("Begeleiding")
