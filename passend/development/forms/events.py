"""Forms of SWV events: create/edit an event, and the office's attendance list."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from passend.development.choices import EventKind, EventMode
from passend.front.forms import StyledFormMixin

DESCRIPTION_MAX = 5000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class EventForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Soort bijeenkomst"), choices=EventKind.choices)
    mode = forms.ChoiceField(label=_("Vorm"), choices=EventMode.choices)
    starts_at = forms.DateTimeField(
        label=_("Begint"), widget=_datetime_input(), input_formats=[DATETIME_FORMAT]
    )
    ends_at = forms.DateTimeField(
        label=_("Eindigt"), widget=_datetime_input(), input_formats=[DATETIME_FORMAT]
    )
    location = forms.CharField(
        label=_("Locatie"),
        max_length=300,
        required=False,
        help_text=_("Adres of gebouw; nodig bij een bijeenkomst op locatie."),
    )
    online_url = forms.URLField(
        label=_("Link naar de online bijeenkomst"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_("Een https-link; nodig bij een online bijeenkomst."),
    )
    capacity = forms.IntegerField(
        label=_("Maximum aantal deelnemers"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Leeg: geen maximum. Wie zich aanmeldt als het vol is, komt op de wachtlijst."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hours = forms.DecimalField(
        label=_("Studie-uren"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        initial=Decimal("2"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Hoeveel uren deelname telt voor de professionalisering."),
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends_at", _("De bijeenkomst eindigt na het begin."))
        mode = data.get("mode")
        if mode == EventMode.ON_SITE and not data.get("location", "").strip():
            self.add_error("location", _("Geef de locatie van de bijeenkomst op."))
        if mode == EventMode.ONLINE and not data.get("online_url"):
            self.add_error("online_url", _("Geef de link naar de online bijeenkomst op."))
        return data

    @classmethod
    def initial_for(cls, event) -> dict:
        return {
            name: getattr(event, name)
            for name in cls.base_fields
            if getattr(event, name, None) is not None
        }
