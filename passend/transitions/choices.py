from django.db import models
from django.utils.translation import gettext_lazy as _


class TransitionKind(models.TextChoices):
    """The kind of transition (overstap): from primary to secondary school, between secondary
    schools, to vocational education, or to special secondary education."""

    PO_VO = "po_vo", _("PO → VO")
    VO_VO = "vo_vo", _("VO → VO")
    VO_MBO = "vo_mbo", _("VO → MBO")
    VO_VSO = "vo_vso", _("VO → VSO")


class Direction(models.TextChoices):
    """Whether the student comes to the school (from the sending school) or leaves it (for the
    receiving school or institution)."""

    INCOMING = "incoming", _("Inkomend")
    OUTGOING = "outgoing", _("Uitgaand")


class SharedPart(models.TextChoices):
    """What of the student's file went to (or came from) the other school, with consent."""

    EDUCATION_REPORT = "education_report", _("Onderwijskundig rapport")
    SUPPORT_SUMMARY = "support_summary", _("Samenvatting van de ondersteuningsbehoefte")
    PLAN = "plan", _("Ontwikkelingsperspectiefplan (OPP)")
    RECOMMENDATIONS = "recommendations", _("Handelingsadviezen")
    OBSERVATIONS = "observations", _("Observatieverslagen")
    RESEARCH = "research", _("Onderzoeksverslagen")


#: The kinds whose other school can be a school of the same partnership in passend (the other
#: side of PO → VO is a primary school, of VO → MBO a vocational institution: never in passend).
KINDS_WITH_PASSEND_SCHOOL = frozenset({TransitionKind.VO_VO, TransitionKind.VO_VSO})
#: The one direction a kind allows at a secondary school (the others go either way).
FIXED_DIRECTION = {
    TransitionKind.PO_VO: Direction.INCOMING,
    TransitionKind.VO_MBO: Direction.OUTGOING,
}
