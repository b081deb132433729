from django.db import models
from django.utils.translation import gettext_lazy as _


class EmploymentType(models.TextChoices):
    """Who employs the BPO (seed 000 §3–4, aspects 5–6; seed 001: SWV-employed team)."""

    SCHOOL = "school", _("In dienst van de school")
    BOARD = "board", _("In dienst van het eigen schoolbestuur")
    HIRED = "hired", _("Extern ingehuurd")
    SWV = "swv", _("In dienst van het samenwerkingsverband")


class AssignmentKind(models.TextChoices):
    REGULAR = "regular", _("Vaste bpo'er van de school")
    PLUS = "plus", _("BPO+ (expertise op verzoek)")


class Weekday(models.TextChoices):
    MONDAY = "mon", _("maandag")
    TUESDAY = "tue", _("dinsdag")
    WEDNESDAY = "wed", _("woensdag")
    THURSDAY = "thu", _("donderdag")
    FRIDAY = "fri", _("vrijdag")


class QualificationKind(models.TextChoices):
    """The qualifications of aspect 13 of the Koers VO framework."""

    TEACHING_PO = "teaching_po", _("Onderwijsbevoegdheid PO")
    TEACHING_VO = "teaching_vo", _("Onderwijsbevoegdheid VO")
    TEACHING_VSO = "teaching_vso", _("Onderwijsbevoegdheid VSO")
    SEN = "sen", _("HBO/master speciale onderwijszorg (bijv. Master SEN)")
    PSYCHOLOGY = "psychology", _("HBO/WO psychologie of orthopedagogiek")
    OTHER = "other", _("Overig")


TEACHING_KINDS = frozenset(
    {QualificationKind.TEACHING_PO, QualificationKind.TEACHING_VO, QualificationKind.TEACHING_VSO}
)


class ProcedureStatus(models.TextChoices):
    OPEN = "open", _("Loopt")
    COMPLETED = "completed", _("Afgerond")
    CANCELLED = "cancelled", _("Gestopt")


class ProcedureStep(models.TextChoices):
    """The appointment procedure of seed 000 §5, in order."""

    TASKS_AGREED = "tasks_agreed", _("Verwachte werkzaamheden besproken en overeenstemming bereikt")
    QUALIFICATIONS_CHECKED = (
        "qualifications_checked",
        _("Opleiding en deskundigheid getoetst aan het kwaliteitskader"),
    )
    INTRODUCTION_MEETING = "introduction_meeting", _("Kennismaking met de consulent van het SWV")
    DETAILS_TO_OFFICE = (
        "details_to_office",
        _("Persoonsgegevens doorgegeven aan de communicatiemedewerker van het SWV"),
    )
    ADDED_TO_DIRECTORY = (
        "added_to_directory",
        _("Opgenomen in het overzicht van ondersteuningscoördinatoren en bpo'ers"),
    )
