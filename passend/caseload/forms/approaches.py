"""The form of an approach in the partnership's library (methodiek, programma, instrument)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.caseload.choices import ApproachKind
from passend.front.forms import StyledFormMixin


class ApproachForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    kind = forms.ChoiceField(label=_("Soort"), choices=ApproachKind.choices)
    description = forms.CharField(
        label=_("Beschrijving"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    url = forms.URLField(
        label=_("Meer informatie (webadres)"), required=False, assume_scheme="https"
    )
    active = forms.BooleanField(
        label=_("In gebruik"),
        required=False,
        initial=True,
        help_text=_("Alleen aanpakken die in gebruik zijn, kunnen in nieuwe adviezen staan."),
    )

    @classmethod
    def initial_for(cls, approach) -> dict:
        return {
            "name": approach.name,
            "kind": approach.kind,
            "description": approach.description,
            "url": approach.url,
            "active": approach.active,
        }
