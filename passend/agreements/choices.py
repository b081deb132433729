from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    """A werkafspraak moves draft → agreed (coordinator and BPO each confirmed) → acknowledged
    (the director has taken note: aspect 9, "legt daarover verantwoording af aan de directie")."""

    DRAFT = "draft", _("Concept")
    AGREED = "agreed", _("Overeengekomen")
    ACKNOWLEDGED = "acknowledged", _("Gezien door de directie")


class EvaluationKind(models.TextChoices):
    """Aspect 10: at least one evaluation a year; interim ones when needed."""

    ANNUAL = "annual", _("Jaarlijkse evaluatie")
    INTERIM = "interim", _("Tussentijdse evaluatie")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    FINAL = "final", _("Vastgesteld")


class EvaluationDecision(models.TextChoices):
    """Aspect 10: "Op basis van de evaluatie worden de werkafspraken al dan niet aangepast"."""

    KEEP = "keep", _("Werkafspraken blijven ongewijzigd")
    ADJUST = "adjust", _("Werkafspraken worden aangepast")


class CompetencyDomain(models.TextChoices):
    """Seed 000 §7: competencies "op het terrein van de leerling, de docent en het systeem"."""

    STUDENT = "student", _("Leerling")
    TEACHER = "teacher", _("Docent")
    SYSTEM = "system", _("Systeem")


class CompetencyLevel(models.IntegerChoices):
    """The 4-point scale of self and coordinator ratings."""

    BEGINNING = 1, _("1 – beginnend")
    DEVELOPING = 2, _("2 – in ontwikkeling")
    PROFICIENT = 3, _("3 – bekwaam")
    EXPERT = 4, _("4 – expert")
