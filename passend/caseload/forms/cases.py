"""Forms of support cases: the signal (open and edit a case), the status step, contacts, class
observations, recommendations (handelingsadviezen) with their follow-up, and the filters of the
case list. The business rules (dates not in the future, the BPO being one of the school,
approaches from the case's own partnership) live in passend.caseload.services; their
ValidationErrors are shown on these forms."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.caseload import services
from passend.caseload.choices import (
    Audience,
    CaseStatus,
    ContactKind,
    RecommendationStatus,
    SignalSource,
)
from passend.front.forms import StyledFormMixin
from passend.organisations.choices import Domain

TEXT_MAX = services.TEXT_MAX
CHECKBOX_CLASS = "utrecht-checkbox utrecht-checkbox--html-input"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _today_field(label) -> forms.DateField:
    return forms.DateField(label=label, widget=_date_input(), initial=timezone.localdate)


class PersonChoiceField(forms.ModelChoiceField):
    """A person by name; the option values are public codes."""

    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class CaseForm(StyledFormMixin, forms.Form):
    """The signal and the support question, the BPO and the SOT domains involved."""

    signal_source = forms.ChoiceField(label=_("Gesignaleerd door"), choices=SignalSource.choices)
    signalled_by_name = forms.CharField(
        label=_("Naam of functie van de melder"), max_length=150, required=False
    )
    signalled_on = _today_field(_("Datum signalering"))
    signal = forms.CharField(
        label=_("Signalering"),
        help_text=_("Wat is er gesignaleerd? Alleen wat nodig is voor de ondersteuning."),
        max_length=TEXT_MAX,
        widget=_textarea(),
    )
    question = forms.CharField(
        label=_("Ondersteuningsvraag"), max_length=TEXT_MAX, required=False, widget=_textarea(3)
    )
    bpo = PersonChoiceField(
        label=_("Bpo'er"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(nog niemand)"),
    )
    domains = forms.MultipleChoiceField(
        label=_("Betrokken domeinen van het SOT"),
        choices=Domain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bpo"].queryset = services.bpo_choices(school)
        self.fields["domains"].widget.attrs["class"] = CHECKBOX_CLASS

    @classmethod
    def initial_for(cls, case) -> dict:
        return {
            "signal_source": case.signal_source,
            "signalled_by_name": case.signalled_by_name,
            "signalled_on": case.signalled_on,
            "signal": case.signal,
            "question": case.question,
            "bpo": case.bpo,
            "domains": case.domains,
        }


class StatusForm(forms.Form):
    """The status a case moves to (one POST button per allowed step)."""

    status = forms.ChoiceField(choices=CaseStatus.choices)


class ContactForm(StyledFormMixin, forms.Form):
    date = _today_field(_("Datum"))
    kind = forms.ChoiceField(label=_("Contact met"), choices=ContactKind.choices)
    with_whom = forms.CharField(label=_("Naam of functie"), max_length=150, required=False)
    notes = forms.CharField(
        label=_("Verslag"), max_length=TEXT_MAX, required=False, widget=_textarea()
    )


class ObservationForm(StyledFormMixin, forms.Form):
    date = _today_field(_("Datum van de observatie"))
    lesson = forms.CharField(label=_("Les of vak"), max_length=120, required=False)
    teacher_name = forms.CharField(label=_("Docent"), max_length=150, required=False)
    report = forms.CharField(label=_("Observatieverslag"), max_length=TEXT_MAX, widget=_textarea(8))


class ApproachChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class RecommendationForm(StyledFormMixin, forms.Form):
    """A handelingsadvies; the approaches offered are the partnership's active ones."""

    date = _today_field(_("Datum"))
    audience = forms.ChoiceField(label=_("Advies voor"), choices=Audience.choices)
    text = forms.CharField(label=_("Advies"), max_length=TEXT_MAX, widget=_textarea(6))
    approaches = ApproachChoiceField(
        label=_("Aanpakken uit de bibliotheek"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approaches"].queryset = services.approach_choices_for_case(case)
        self.fields["approaches"].widget.attrs["class"] = CHECKBOX_CLASS


class FollowUpForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Opvolging"), choices=RecommendationStatus.choices)
    follow_up = forms.CharField(
        label=_("Toelichting opvolging"), max_length=TEXT_MAX, required=False, widget=_textarea(4)
    )


OPEN = ""
ALL = "all"
MINE = "mine"


class CaseFilterForm(StyledFormMixin, forms.Form):
    """Filters of a school's case list: status, only my cases, student name or number."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(OPEN, _("Alle open casussen")), *CaseStatus.choices, (ALL, _("Alle casussen"))],
        required=False,
    )
    bpo = forms.ChoiceField(
        label=_("Bpo'er"),
        choices=[("", _("Alle bpo'ers")), (MINE, _("Alleen mijn casussen"))],
        required=False,
    )
    q = forms.CharField(label=_("Zoek op naam of leerlingnummer"), max_length=100, required=False)

    def clean_q(self) -> str:
        # NUL bytes are dropped: PostgreSQL refuses them in a query parameter.
        return self.cleaned_data["q"].replace("\x00", "").strip()
