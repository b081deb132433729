"""The form of the competentieprofiel (seed 000 §7): one level (1–4, optional) per competency of
the profile, grouped by domain, and the development goals. The BPO fills in their self-rating,
the school's coordinator their own rating of the BPO; which one is decided by the view from
passend.agreements.access.profile_rights, never by the posted data."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.agreements.choices import CompetencyDomain, CompetencyLevel
from passend.agreements.models import CompetencyRating
from passend.front.forms import StyledFormMixin

GOALS_MAX = 5000


def level_label(level: int | None) -> str:
    """The label of a level on the 4-point scale, "–" when not rated."""
    return str(CompetencyLevel(level).label) if level else "–"


class RatingForm(StyledFormMixin, forms.Form):
    """``ratings``: the profile's CompetencyRating rows (with their competency), in display
    order; ``as_coordinator`` picks the level that is filled in."""

    development_goals = forms.CharField(
        label=_("Ontwikkeldoelen"),
        max_length=GOALS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Waaraan werkt de bpo'er dit schooljaar? Zichtbaar voor beide partijen."),
    )

    def __init__(
        self, *args, ratings: list[CompetencyRating], as_coordinator: bool, goals: str, **kwargs
    ) -> None:
        self.ratings = ratings
        self.level_field = "coordinator_level" if as_coordinator else "self_level"
        if not args or args[0] is None:
            initial = {"development_goals": goals}
            for rating in ratings:
                initial[self.field_name(rating)] = getattr(rating, self.level_field) or ""
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for rating in ratings:
            self.fields[self.field_name(rating)] = forms.TypedChoiceField(
                label=rating.competency.text,
                choices=[("", _("nog niet beoordeeld")), *CompetencyLevel.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
        # The competency fields render before the goals.
        self.order_fields([self.field_name(r) for r in ratings])
        for name, field in self.fields.items():
            if name != "development_goals":
                field.widget.attrs["class"] = "utrecht-select utrecht-select--html-select"

    @staticmethod
    def field_name(rating: CompetencyRating) -> str:
        return f"level_{rating.competency_id}"

    def domains(self) -> list[tuple[str, list]]:
        """(domain label, [(bound field, rating)]) in the order leerling, docent, systeem."""
        grouped: dict[str, list] = {value: [] for value in CompetencyDomain.values}
        for rating in self.ratings:
            grouped[rating.competency.domain].append((self[self.field_name(rating)], rating))
        return [
            (str(CompetencyDomain(domain).label), rows) for domain, rows in grouped.items() if rows
        ]

    def levels(self) -> dict[int, int | None]:
        """{competency id: level or None} for services.rate_competencies."""
        return {r.competency_id: self.cleaned_data[self.field_name(r)] for r in self.ratings}
