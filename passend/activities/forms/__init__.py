"""Forms of the activity log: one activity, a week's lines at once, a CSV upload."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from passend.activities.choices import TaskArea
from passend.activities.services import NOTE_MAX, SUB_AREA_MAX, _parse_hours
from passend.front.forms import StyledFormMixin


class HoursField(forms.CharField):
    """Hours as typed: "1,5" or "1.5"; 0,25 to 12."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 8)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": "5"})

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        hours = _parse_hours(value)
        if hours is None:
            raise forms.ValidationError(_("Vul een aantal uren in, bijvoorbeeld 1,5."))
        if hours < Decimal("0.25") or hours > Decimal("12"):
            raise forms.ValidationError(_("Het aantal uren moet tussen 0,25 en 12 liggen."))
        if hours != hours.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Gebruik hoogstens twee decimalen."))
        return hours


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActivityForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_l("Datum"), widget=DateInput())
    school = forms.ModelChoiceField(label=_l("School"), queryset=None, empty_label=None)
    area = forms.ChoiceField(label=_l("Taakgebied"), choices=TaskArea.choices)
    hours = HoursField(label=_l("Uren"), help_text=_l("Bijvoorbeeld 1,5 voor anderhalf uur."))
    sub_area = forms.CharField(
        label=_l("Onderdeel (optioneel)"), required=False, max_length=SUB_AREA_MAX
    )
    note = forms.CharField(label=_l("Notitie (optioneel)"), required=False, max_length=NOTE_MAX)

    def __init__(self, *args, schools, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["hours"].widget.attrs["autofocus"] = True


class BulkRowForm(StyledFormMixin, forms.Form):
    """One line of the week grid; a line without hours is skipped."""

    day = forms.TypedChoiceField(label=_l("Dag"), choices=(), required=False)
    school = forms.ModelChoiceField(
        label=_l("School"), queryset=None, empty_label=None, required=False
    )
    area = forms.ChoiceField(label=_l("Taakgebied"), choices=TaskArea.choices, required=False)
    hours = HoursField(label=_l("Uren"), required=False)
    note = forms.CharField(label=_l("Notitie"), required=False, max_length=NOTE_MAX)

    def __init__(self, *args, schools, days, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["day"].choices = [(d.isoformat(), d) for d in days]
        self.days = {d.isoformat(): d for d in days}

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return data.get("hours") is None and not data.get("note")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("hours") is None:
            if data.get("note"):
                self.add_error("hours", _("Vul het aantal uren in."))
            return data
        for name in ("day", "school", "area"):
            if not data.get(name):
                self.add_error(name, _("Dit veld is verplicht."))
        if data.get("day"):
            data["date"] = self.days[data["day"]]
        return data


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_l("CSV-bestand"),
        help_text=_l(
            "Kolommen: datum;school (vestigingscode);taakgebied;uren;onderdeel;notitie. "
            "Scheidingsteken ; of , — uren met komma of punt."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Kies een CSV-bestand (.csv)."))
        return upload
