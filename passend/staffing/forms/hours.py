"""The hours policy form: the formula's parameters, within sensible bounds (a wrong number is a
form error, never a 500 or a database overflow)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.staffing.hours import Formula


def _hours_field(label, help_text, *, minimum="0", maximum="60") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal(minimum),
        max_value=Decimal(maximum),
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class HoursPolicyForm(StyledFormMixin, forms.Form):
    base_hours = _hours_field(
        _("Basisuren per vestiging"),
        _("Uren per week die elke vestiging krijgt, ongeacht de grootte."),
    )
    hours_per_unit = _hours_field(
        _("Uren per eenheid leerlingen"),
        _("Uren per week erbij voor elke eenheid leerlingen (zie hieronder)."),
    )
    students_per_unit = forms.IntegerField(
        label=_("Leerlingen per eenheid"),
        help_text=_("Bijvoorbeeld 100: per 100 leerlingen komen de uren hierboven erbij."),
        min_value=1,
        max_value=10000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    half_day_hours = _hours_field(
        _("Lengte van een dagdeel (uren)"),
        _(
            "De uitkomst wordt afgerond op hele dagdelen van deze lengte; precies een half "
            "dagdeel wordt naar boven afgerond."
        ),
        minimum="0.5",
        maximum="12",
    )
    minimum_hours = _hours_field(
        _("Minimum uren per vestiging"),
        _("Geen vestiging krijgt minder dan dit (0 = geen minimum)."),
    )

    @classmethod
    def initial_for(cls, formula: Formula) -> dict:
        return {name: getattr(formula, name) for name in Formula.FIELDS}

    def formula(self) -> Formula:
        """The formula of a valid form."""
        return Formula(**{name: self.cleaned_data[name] for name in Formula.FIELDS})
