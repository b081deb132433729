from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "passend.quality"
    verbose_name = _("Kwaliteitskader")

    def ready(self) -> None:
        from passend.quality import evidence  # noqa: F401  (registers the evidence providers)
