from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Vastgesteld")


class Responsibility(models.TextChoices):
    """Seed 000 §4: aspects 1–12 are the school's responsibility, 13–18 traits of the BPO."""

    SCHOOL = "school", _("Verantwoordelijkheid school")
    BPO = "bpo", _("Kenmerken bpo'er")


class Rating(models.TextChoices):
    MEETS = "meets", _("Voldoet")
    PARTLY = "partly", _("Voldoet deels")
    NOT_MET = "not_met", _("Voldoet niet")
    NOT_APPLICABLE = "not_applicable", _("N.v.t.")


#: A text symbol per rating, so the matrix is readable without colour (WCAG 1.4.1).
RATING_SYMBOLS = {
    Rating.MEETS: "✔",
    Rating.PARTLY: "◐",
    Rating.NOT_MET: "✘",
    Rating.NOT_APPLICABLE: "–",
    "": "?",
}


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    REVIEWED = "reviewed", _("Beoordeeld")
    REOPENED = "reopened", _("Heropend")


#: Statuses in which the school can still change its ratings.
EDITABLE_STATUSES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.REOPENED})
