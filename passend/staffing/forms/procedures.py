"""Forms of the appointment procedure: start it for a candidate, tick a step."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.staffing.choices import EmploymentType

NOTE_MAX = 500


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def school_year_choices():
    """The current and the next school year: a procedure prepares this year or the next."""
    from passend.organisations.models import SchoolYear

    current = SchoolYear.current()
    following = SchoolYear.get_or_create_for_start_year(current.start.year + 1)
    return SchoolYear.objects.filter(pk__in=[current.pk, following.pk]).order_by("start")


class ProcedureForm(StyledFormMixin, forms.Form):
    candidate_name = forms.CharField(label=_("Naam kandidaat"), max_length=150)
    candidate_email = forms.EmailField(
        label=_("E-mailadres kandidaat"),
        max_length=254,
        help_text=_(
            "Bij het afronden krijgt de kandidaat met dit adres een account en een uitnodiging."
        ),
    )
    planned_hours_per_week = forms.DecimalField(
        label=_("Beoogde uren per week"),
        min_value=Decimal("0.5"),
        max_value=Decimal("60"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    employment_type = forms.ChoiceField(label=_("Dienstverband"), choices=EmploymentType.choices)
    school_year = forms.ModelChoiceField(
        label=_("Schooljaar"), queryset=None, to_field_name="name", empty_label=None
    )
    planned_start = forms.DateField(label=_("Beoogde begindatum"), widget=_date_input())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = school_year_choices()
        self.fields["school_year"].queryset = years
        if not self.is_bound:
            self.initial.setdefault("school_year", years.first().name)

    def clean(self):
        data = super().clean()
        year, start = data.get("school_year"), data.get("planned_start")
        if year is not None and start is not None and not (year.start <= start <= year.end):
            self.add_error(
                "planned_start",
                _("De begindatum valt niet in schooljaar %(year)s.") % {"year": year.name},
            )
        return data


class StepForm(StyledFormMixin, forms.Form):
    """Tick a step (``action=done``, also to change its date or note) or untick it (``undo``)."""

    action = forms.ChoiceField(
        choices=[("done", "done"), ("undo", "undo")], required=False, widget=forms.HiddenInput
    )
    date = forms.DateField(label=_("Datum"), required=False, widget=_date_input())
    note = forms.CharField(
        label=_("Notitie"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, date_label=None, date_help=None, note_help=None, **kwargs):
        super().__init__(*args, **kwargs)
        if date_label is None:
            del self.fields["date"]
        else:
            self.fields["date"].label = date_label
            if date_help:
                self.fields["date"].help_text = date_help
        if note_help:
            self.fields["note"].help_text = note_help

    def top_errors(self) -> list[str]:
        """Errors not shown at a visible field: the form's own and the hidden action's."""
        errors = list(self.non_field_errors())
        for field in self.hidden_fields():
            errors += list(field.errors)
        return errors

    def clean_action(self) -> str:
        # Set by the button pressed; Enter in a field submits the first button: tick.
        return self.cleaned_data["action"] or "done"
