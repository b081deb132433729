from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """An OPP moves draft → in consultation (op overeenstemming gericht overleg with the parents)
    → set (vastgesteld). A set version never changes; a change is a new version."""

    DRAFT = "draft", _("Concept")
    IN_CONSULTATION = "in_consultation", _("In overleg met ouders")
    SET = "set", _("Vastgesteld")


class PlanTrigger(models.TextChoices):
    """What started the six weeks within which the OPP must be set."""

    ENROLMENT = "enrolment", _("Inschrijving")
    EXTRA_SUPPORT = "extra_support", _("Start extra ondersteuning")
    PLACEMENT = "placement", _("Definitieve plaatsing")


class ExitDestination(models.TextChoices):
    """The expected exit destination (verwachte uitstroombestemming, uitstroomprofiel): the
    diploma and follow-up in regular VO, praktijkonderwijs, the three VSO exit profiles (the OSO
    codes 1–3), and MBO or work straight away."""

    VWO = "vwo", _("Vwo-diploma, doorstroom naar het wo")
    HAVO = "havo", _("Havo-diploma, doorstroom naar het hbo")
    VMBO_GT = "vmbo_gt", _("Vmbo gemengde of theoretische leerweg, doorstroom naar mbo 3/4")
    VMBO_KB = "vmbo_kb", _("Vmbo kaderberoepsgerichte leerweg, doorstroom naar mbo 3/4")
    VMBO_BB = "vmbo_bb", _("Vmbo basisberoepsgerichte leerweg, doorstroom naar mbo 2")
    MBO_ENTRY = "mbo_entry", _("Mbo entreeopleiding (niveau 1)")
    PRO = "pro", _("Praktijkonderwijs, doorstroom naar arbeid of entreeopleiding")
    VSO_EDUCATION = "vso_education", _("Vso, uitstroomprofiel vervolgonderwijs")
    VSO_LABOUR = "vso_labour", _("Vso, uitstroomprofiel arbeidsmarktgericht")
    VSO_DAY_ACTIVITIES = "vso_day_activities", _("Vso, uitstroomprofiel dagbesteding")
    LABOUR = "labour", _("Arbeid (regulier of beschut werk)")


class ConsultationParty(models.TextChoices):
    """With whom the plan was discussed (OOGO): a guardian, the student, or both."""

    GUARDIAN = "guardian", _("Ouder/verzorger")
    STUDENT = "student", _("Leerling")
    GUARDIAN_AND_STUDENT = "guardian_and_student", _("Ouder/verzorger en leerling")


class PlanConsentGiver(models.TextChoices):
    """Who decides on the action part: a guardian with authority until the student is 18, then
    the student (passend.plans.models.PLAN_CONSENT_AGE says why 18 and not 16)."""

    GUARDIAN = "guardian", _("Ouder/verzorger met gezag")
    STUDENT = "student", _("Leerling (18 jaar of ouder)")


class ConsentDecision(models.TextChoices):
    GIVEN = "given", _("Instemming gegeven")
    REFUSED = "refused", _("Instemming geweigerd")


class GoalResult(models.TextChoices):
    ACHIEVED = "achieved", _("Behaald")
    PARTLY = "partly", _("Deels behaald")
    NOT_ACHIEVED = "not_achieved", _("Niet behaald")


class EvaluationDecision(models.TextChoices):
    """What the yearly evaluation decides: carry on with this version, or draw up a new one."""

    CONTINUE = "continue", _("Plan ongewijzigd voortzetten")
    NEW_VERSION = "new_version", _("Nieuwe versie van het plan opstellen")
