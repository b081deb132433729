"""Forms of transitions: the transition with its warm handover and consent, and the filters of a
school's list. The choices are limited to what fits the student (the partnership's other
schools, the guardians with legal authority); the rules live in passend.transitions.services,
whose ValidationErrors are shown on these forms."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.caseload.choices import ConsentGiver
from passend.front.forms import StyledFormMixin
from passend.organisations.models import SchoolYear
from passend.transitions import services
from passend.transitions.choices import Direction, SharedPart, TransitionKind

CHECKBOX_CLASS = "utrecht-checkbox utrecht-checkbox--html-input"
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"
YES, NO = "yes", "no"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.location_code})"


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_relation_display()})"


class TransitionForm(StyledFormMixin, forms.Form):
    """A transition: kind, direction, the other school, date, warm handover, consent, parts."""

    kind = forms.ChoiceField(label=_("Soort overstap"), choices=TransitionKind.choices)
    direction = forms.ChoiceField(
        label=_("Richting"),
        choices=Direction.choices,
        widget=forms.RadioSelect,
        help_text=_("Een overstap PO → VO is inkomend, een overstap VO → MBO uitgaand."),
    )
    other_school = SchoolChoiceField(
        label=_("School in het samenwerkingsverband"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(geen: een school of instelling buiten passend)"),
        help_text=_("Alleen bij VO → VO en VO → VSO."),
    )
    other_name = forms.CharField(
        label=_("Of de naam van de school of instelling"),
        max_length=services.NAME_MAX,
        required=False,
        help_text=_("De basisschool, mbo-instelling of school buiten het samenwerkingsverband."),
    )
    other_duo_code = forms.CharField(
        label=_("DUO-code"),
        max_length=8,
        required=False,
        help_text=_("Instellingscode (zoals 20KZ) of vestigingscode (zoals 20KZ00), als bekend."),
    )
    date = forms.DateField(label=_("Datum overstap"), widget=_date_input())
    handover_on = forms.DateField(
        label=_("Datum warme overdracht"), widget=_date_input(), required=False
    )
    handover_with = forms.CharField(
        label=_("Warme overdracht met"),
        max_length=services.WITH_MAX,
        required=False,
        help_text=_("Bijvoorbeeld: de leerkracht van groep 8 en de intern begeleider."),
    )
    handover_notes = forms.CharField(
        label=_("Verslag van de warme overdracht"),
        max_length=services.TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Alleen wat nodig is voor een goede start. Dit verslag wordt versleuteld."),
    )
    consent = forms.ChoiceField(
        label=_("Toestemming om gegevens te delen"),
        choices=[
            ("", _("Niet vastgelegd")),
            (YES, _("Ja, toestemming gegeven")),
            (NO, _("Nee, toestemming geweigerd")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    consent_given_by = forms.ChoiceField(
        label=_("Toestemming gegeven of geweigerd door"),
        choices=[("", _("(kies)")), *ConsentGiver.choices],
        required=False,
        help_text=_("Onder de 16 een ouder/verzorger met gezag, vanaf 16 de leerling zelf."),
    )
    consent_guardian = GuardianChoiceField(
        label=_("Ouder/verzorger met gezag"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(kies bij een ouder/verzorger)"),
    )
    consent_on = forms.DateField(label=_("Datum toestemming"), widget=_date_input(), required=False)
    shared_parts = forms.MultipleChoiceField(
        label=_("Gedeelde onderdelen"),
        choices=SharedPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen met toestemming."),
    )

    def __init__(self, *args, student, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other_school"].queryset = services.other_school_choices(student)
        self.fields["consent_guardian"].queryset = student.guardians.filter(has_authority=True)
        self.fields["direction"].widget.attrs["class"] = RADIO_CLASS
        self.fields["consent"].widget.attrs["class"] = RADIO_CLASS
        self.fields["shared_parts"].widget.attrs["class"] = CHECKBOX_CLASS

    @classmethod
    def initial_for(cls, transition) -> dict:
        consent = {True: YES, False: NO}.get(transition.consent_given, "")
        return {
            "kind": transition.kind,
            "direction": transition.direction,
            "other_school": transition.other_school,
            "other_name": "" if transition.other_school_id else transition.other_name,
            "other_duo_code": "" if transition.other_school_id else transition.other_duo_code,
            "date": transition.date,
            "handover_on": transition.handover_on,
            "handover_with": transition.handover_with,
            "handover_notes": transition.handover_notes,
            "consent": consent,
            "consent_given_by": transition.consent_given_by,
            "consent_guardian": transition.consent_guardian,
            "consent_on": transition.consent_on,
            "shared_parts": transition.shared_parts,
        }

    def service_input(self) -> services.TransitionInput:
        data = self.cleaned_data
        return services.TransitionInput(
            kind=data["kind"],
            direction=data["direction"],
            date=data["date"],
            other_school=data["other_school"],
            other_name=data["other_name"],
            other_duo_code=data["other_duo_code"],
            handover_on=data["handover_on"],
            handover_with=data["handover_with"],
            handover_notes=data["handover_notes"],
            shared_parts=data["shared_parts"],
            consent_given={YES: True, NO: False}.get(data["consent"]),
            consent_given_by=data["consent_given_by"],
            consent_guardian=data["consent_guardian"],
            consent_on=data["consent_on"],
        )


ALL = ""


def year_choices() -> list[tuple[str, str]]:
    """The school years a list can be filtered on: three back, the current one and the next."""
    current = SchoolYear.start_year_of(timezone.localdate())
    names = [SchoolYear.name_for_start_year(y) for y in range(current + 1, current - 4, -1)]
    return [(ALL, _("Alle schooljaren")), *((n, n) for n in names)]


class TransitionFilterForm(StyledFormMixin, forms.Form):
    """Filters of a school's transitions: kind, direction and school year."""

    kind = forms.ChoiceField(
        label=_("Soort overstap"),
        choices=[(ALL, _("Alle soorten")), *TransitionKind.choices],
        required=False,
    )
    direction = forms.ChoiceField(
        label=_("Richting"),
        choices=[(ALL, _("Inkomend en uitgaand")), *Direction.choices],
        required=False,
    )
    year = forms.ChoiceField(label=_("Schooljaar"), choices=(), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()

    def filters(self) -> dict:
        """The valid filters (an invalid value counts as no filter)."""
        if not self.is_bound:
            return {"kind": ALL, "direction": ALL, "year": ALL}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name, ALL) or ALL for name in ("kind", "direction", "year")}
