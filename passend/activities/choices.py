from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskArea(models.TextChoices):
    """The BPO's task areas (taakgebieden): seed 000 aspect 8 names student, parents, team and
    school organisation; seed 001 adds policy contribution and professionalisation."""

    STUDENT = "student", _("Leerling")
    PARENTS = "parents", _("Ouders")
    TEAM = "team", _("Docenten en team")
    ORGANISATION = "organisation", _("Schoolorganisatie")
    POLICY = "policy", _("Beleidsontwikkeling")
    PROFESSIONALISATION = "professionalisation", _("Professionalisering")
