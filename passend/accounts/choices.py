from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of product.md. A person can hold several, at several places, for a date range."""

    PARTNERSHIP_ADMIN = "partnership_admin", _("SWV-beheerder")
    CONSULTANT = "consultant", _("Consulent")
    OFFICE = "office", _("Communicatiemedewerker")
    DIRECTOR = "director", _("Directeur")
    COORDINATOR = "coordinator", _("Ondersteuningscoördinator")
    BPO = "bpo", _("Begeleider passend onderwijs")
    PARTNER = "partner", _("Kernpartner SOT")
    MENTOR = "mentor", _("Mentor")


#: Roles held at the level of the partnership (SWV); the others are held at one school.
PARTNERSHIP_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.CONSULTANT, Role.OFFICE})
SCHOOL_ROLES = frozenset(set(Role) - PARTNERSHIP_ROLES)
