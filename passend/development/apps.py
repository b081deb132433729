from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "passend.development"
    verbose_name = _("Deskundigheidsbevordering")

    def ready(self) -> None:
        from passend.development import evidence  # noqa: F401  (registers evidence providers)
