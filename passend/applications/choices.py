from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    """What is applied for at the SWV (seed 001: a TLV or an arrangement Op Maat; LWOO and
    PrO where the SWV uses them). Which kinds a partnership uses is its ApplicationPolicy."""

    ARRANGEMENT_WITHIN_SCHOOL = "arrangement_within_school", _("Arrangement binnen school")
    ARRANGEMENT_OP_MAAT = "arrangement_op_maat", _("Arrangement Op Maat")
    TLV_VSO = "tlv_vso", _("TLV voortgezet speciaal onderwijs (VSO)")
    TLV_PRO = "tlv_pro", _("TLV praktijkonderwijs (PrO)")
    LWOO = "lwoo", _("Leerwegondersteunend onderwijs (LWOO)")


#: The kinds that are a toelaatbaarheidsverklaring: two expert advices, a funding category, an
#: end date that defaults to 31 July.
TLV_KINDS = frozenset({ApplicationKind.TLV_VSO, ApplicationKind.TLV_PRO})

#: The kinds a partnership uses until its partnership_admin chooses (LWOO is on its way out:
#: OSO keeps it "alleen voor historisch relevante gegevens").
DEFAULT_KINDS = tuple(k for k in ApplicationKind.values if k != ApplicationKind.LWOO)


class ApplicationStatus(models.TextChoices):
    """draft → submitted → under_review → granted | refused → objection → closed."""

    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend bij het SWV")
    UNDER_REVIEW = "under_review", _("In behandeling bij het SWV")
    GRANTED = "granted", _("Toegekend")
    REFUSED = "refused", _("Afgewezen")
    OBJECTION = "objection", _("Bezwaar ingediend")
    CLOSED = "closed", _("Afgesloten")


#: Waiting for the SWV's decision.
AWAITING_DECISION = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW})
#: Decided, objection still possible.
DECIDED = frozenset({ApplicationStatus.GRANTED, ApplicationStatus.REFUSED})


class Outcome(models.TextChoices):
    """The SWV's decision (besluit)."""

    GRANTED = "granted", _("Toegekend")
    REFUSED = "refused", _("Afgewezen")


class TlvCategory(models.TextChoices):
    """The funding category of a TLV (bekostigingscategorie, OSO codelijst 31)."""

    L = "L", _("Laag (L)")
    M = "M", _("Midden (M)")
    H = "H", _("Hoog (H)")


class ExpertProfession(models.TextChoices):
    """The profession of an expert who advises on a TLV (deskundigenadvies): one of the two
    must be an orthopedagogue or psychologist."""

    ORTHOPEDAGOGUE = "orthopedagogue", _("Orthopedagoog")
    PSYCHOLOGIST = "psychologist", _("Psycholoog")
    CHILD_PSYCHIATRIST = "child_psychiatrist", _("Kinder- en jeugdpsychiater")
    PEDAGOGUE = "pedagogue", _("Pedagoog")
    SOCIAL_WORKER = "social_worker", _("Maatschappelijk werker")
    PHYSICIAN = "physician", _("Arts")
    OTHER = "other", _("Andere deskundige")


#: At least one of the two advices on a TLV comes from one of these professions.
QUALIFYING_PROFESSIONS = frozenset({ExpertProfession.ORTHOPEDAGOGUE, ExpertProfession.PSYCHOLOGIST})


class DossierPart(models.TextChoices):
    """A part of the dossier that the consent may include (the expert advices, the student's
    name, school and the MDO date always go with the application)."""

    QUESTION = "question", _("Ondersteuningsvraag")
    TRIED = "tried", _("Wat is al geprobeerd")
    OBSERVATIONS = "observations", _("Klassenobservaties")
    RECOMMENDATIONS = "recommendations", _("Handelingsadviezen")
    PLAN = "plan", _("Ontwikkelingsperspectiefplan (OPP)")
    CONTACTS = "contacts", _("Overzicht van de contactmomenten")
