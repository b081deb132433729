from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionsConfig(AppConfig):
    name = "passend.transitions"
    verbose_name = _("Overstappen")
