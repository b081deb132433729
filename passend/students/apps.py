from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "passend.students"
    verbose_name = _("Leerlingen")
