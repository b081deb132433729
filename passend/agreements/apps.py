from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "passend.agreements"
    verbose_name = _("Werkafspraken")

    def ready(self) -> None:
        from passend.agreements import evidence  # noqa: F401  (registers evidence providers)
