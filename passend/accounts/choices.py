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


#: Roles that can be held for the whole partnership (SWV): then they reach all its schools.
PARTNERSHIP_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.CONSULTANT, Role.OFFICE})
#: Roles that can be held at one school. A consultant is either SWV-wide or assigned to schools
#: (a koersconsulent has "their" schools), so that role is in both sets.
SCHOOL_ROLES = frozenset(set(Role) - {Role.PARTNERSHIP_ADMIN, Role.OFFICE})
#: Roles that must name a school / must not name one.
SCHOOL_ONLY_ROLES = SCHOOL_ROLES - PARTNERSHIP_ROLES
PARTNERSHIP_ONLY_ROLES = PARTNERSHIP_ROLES - SCHOOL_ROLES
