from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "passend.staffing"
    verbose_name = _("Inzet bpo")

    def ready(self) -> None:
        from passend.staffing import evidence  # noqa: F401  (registers evidence providers)
