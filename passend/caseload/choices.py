from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """A support case moves signal → analysis → advice → guidance → evaluation → closed."""

    SIGNAL = "signal", _("Signalering")
    ANALYSIS = "analysis", _("Analyse")
    ADVICE = "advice", _("Advies")
    GUIDANCE = "guidance", _("Begeleiding")
    EVALUATION = "evaluation", _("Evaluatie")
    CLOSED = "closed", _("Afgesloten")


class SignalSource(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    TEACHER = "teacher", _("Docent")
    PARENTS = "parents", _("Ouders")
    STUDENT = "student", _("Leerling zelf")
    COORDINATOR = "coordinator", _("Ondersteuningscoördinator")
    BPO = "bpo", _("Bpo'er")
    PARTNER = "partner", _("SOT-partner")
    OTHER = "other", _("Anders")


class ContactKind(models.TextChoices):
    STUDENT = "student", _("Leerling")
    PARENTS = "parents", _("Ouders")
    MENTOR = "mentor", _("Mentor")
    TEACHER = "teacher", _("Docent")
    PARTNER = "partner", _("SOT-partner")
    EXTERNAL = "external", _("Extern")


class Audience(models.TextChoices):
    """Whom a handelingsadvies is for."""

    TEACHER = "teacher", _("Docent(en)")
    MENTOR = "mentor", _("Mentor")
    PARENTS = "parents", _("Ouders")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Nog niet opgepakt")
    IN_PROGRESS = "in_progress", _("Wordt uitgevoerd")
    DONE = "done", _("Uitgevoerd")
    NOT_FOLLOWED = "not_followed", _("Niet opgevolgd")


class ApproachKind(models.TextChoices):
    METHOD = "method", _("Methodiek")
    PROGRAMME = "programme", _("Programma")
    INSTRUMENT = "instrument", _("Instrument")


class ConsentGiver(models.TextChoices):
    GUARDIAN = "guardian", _("Ouder/verzorger met gezag")
    STUDENT = "student", _("Leerling (16 jaar of ouder)")


class MeetingKind(models.TextChoices):
    SOT = "sot", _("SOT-overleg")
    STUDENT_DISCUSSION = "student_discussion", _("Leerlingbespreking")
    MDO = "mdo", _("Multidisciplinair overleg (MDO)")
