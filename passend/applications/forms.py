"""Forms of applications: start one from a case, the dossier of a draft, an expert advice, the
dossier consent, the SWV's decision and an objection, the kinds a partnership uses, and the
filters of the lists. The rules (kinds in use, two advices for a TLV, who consents at which
age, the category and end date of a TLV, the objection period) live in
passend.applications.services; their ValidationErrors are shown on these forms."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from passend.applications import services
from passend.applications.choices import (
    ApplicationKind,
    ApplicationStatus,
    DossierPart,
    ExpertProfession,
    Outcome,
    TlvCategory,
)
from passend.caseload.choices import ConsentGiver
from passend.front.forms import StyledFormMixin

TEXT_MAX = services.TEXT_MAX
CHECKBOX_CLASS = "utrecht-checkbox utrecht-checkbox--html-input"
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _kind_choices(partnership, current: str = "") -> list[tuple[str, str]]:
    kinds = set(services.kinds_in_use(partnership)) | ({current} if current else set())
    return [(value, label) for value, label in ApplicationKind.choices if value in kinds]


class StartForm(StyledFormMixin, forms.Form):
    """The kind of a new application (among the kinds the partnership uses)."""

    kind = forms.ChoiceField(label=_("Soort aanvraag"), choices=(), widget=forms.RadioSelect)

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices(partnership)
        self.fields["kind"].widget.attrs["class"] = RADIO_CLASS


class ObservationChoiceField(forms.ModelMultipleChoiceField):
    """Class observations of the case by date and lesson (never the report: a label is short)."""

    def label_from_instance(self, obj) -> str:
        day = date_format(obj.date, "j F Y")
        return f"{day} – {obj.lesson}" if obj.lesson else day


class RecommendationChoiceField(forms.ModelMultipleChoiceField):
    """Recommendations of the case by date and audience."""

    def label_from_instance(self, obj) -> str:
        return _("%(date)s – voor %(audience)s") % {
            "date": date_format(obj.date, "j F Y"),
            "audience": obj.get_audience_display(),
        }


class DossierForm(StyledFormMixin, forms.Form):
    """The dossier of a draft application."""

    kind = forms.ChoiceField(label=_("Soort aanvraag"), choices=())
    question = forms.CharField(
        label=_("Ondersteuningsvraag"),
        help_text=_("Overgenomen uit de casus; pas aan voor de aanvraag waar nodig."),
        max_length=TEXT_MAX,
        required=False,
        widget=_textarea(4),
    )
    tried = forms.CharField(
        label=_("Wat is al geprobeerd"),
        help_text=_("De ondersteuning die de school al heeft geboden, en met welk resultaat."),
        max_length=TEXT_MAX,
        required=False,
        widget=_textarea(6),
    )
    observations = ObservationChoiceField(
        label=_("Klassenobservaties uit de casus"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recommendations = RecommendationChoiceField(
        label=_("Handelingsadviezen uit de casus"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mdo_on = forms.DateField(
        label=_("Datum multidisciplinair overleg (MDO)"), widget=_date_input(), required=False
    )

    def __init__(self, *args, application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case = application.case
        self.fields["kind"].choices = _kind_choices(application.partnership_id, application.kind)
        self.fields["observations"].queryset = case.observations.order_by("date", "pk")
        self.fields["recommendations"].queryset = case.recommendations.order_by("date", "pk")
        for name in ("observations", "recommendations"):
            self.fields[name].widget.attrs["class"] = CHECKBOX_CLASS

    @classmethod
    def initial_for(cls, application) -> dict:
        return {
            "kind": application.kind,
            "question": application.question,
            "tried": application.tried,
            "observations": list(application.observations.all()),
            "recommendations": list(application.recommendations.all()),
            "mdo_on": application.mdo_on,
        }


class AdviceForm(StyledFormMixin, forms.Form):
    """An expert's advice (deskundigenadvies)."""

    profession = forms.ChoiceField(
        label=_("Beroep"),
        choices=[("", _("(kies)")), *ExpertProfession.choices],
        help_text=_("Voor een TLV is één van de twee deskundigen orthopedagoog of psycholoog."),
    )
    name = forms.CharField(label=_("Naam deskundige"), max_length=services.NAME_MAX)
    given_on = forms.DateField(label=_("Datum advies"), widget=_date_input())
    advice = forms.CharField(label=_("Advies"), max_length=TEXT_MAX, widget=_textarea(8))
    independent = forms.BooleanField(
        label=_(
            "De deskundige verklaart onafhankelijk te zijn: niet verbonden aan de school of de "
            "aanvrager en niet eerder bij de leerling betrokken"
        ),
        required=False,
    )


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_relation_display()})"


class DossierConsentForm(StyledFormMixin, forms.Form):
    """Who consented to sending the dossier to the SWV, when, and with which parts."""

    given_by = forms.ChoiceField(
        label=_("Toestemming gegeven door"), choices=ConsentGiver.choices, widget=forms.RadioSelect
    )
    guardian = GuardianChoiceField(
        label=_("Ouder/verzorger met gezag"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(kies bij toestemming van een ouder/verzorger)"),
        help_text=_("Alleen bij toestemming van een ouder/verzorger (leerling jonger dan 16)."),
    )
    given_on = forms.DateField(label=_("Datum toestemming"), widget=_date_input())
    parts = forms.MultipleChoiceField(
        label=_("Onderdelen die naar het SWV mogen"),
        choices=DossierPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "De deskundigenadviezen, de naam, school en klas van de leerling en de datum van het "
            "MDO gaan altijd mee met de aanvraag."
        ),
    )

    def __init__(self, *args, application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        student = application.student
        today = timezone.localdate()
        self.fields["guardian"].queryset = student.guardians.filter(has_authority=True)
        self.fields["given_by"].initial = (
            ConsentGiver.STUDENT if student.gives_own_consent_on(today) else ConsentGiver.GUARDIAN
        )
        self.fields["given_by"].widget.attrs["class"] = RADIO_CLASS
        self.fields["parts"].widget.attrs["class"] = CHECKBOX_CLASS
        self.fields["given_on"].initial = today

    @classmethod
    def initial_for(cls, consent) -> dict:
        if consent is None:
            return {}
        return {
            "given_by": consent.given_by,
            "guardian": consent.guardian,
            "given_on": consent.given_on,
            "parts": consent.parts,
        }


class DecisionForm(StyledFormMixin, forms.Form):
    """The SWV's decision (besluit) on an application under review."""

    outcome = forms.ChoiceField(
        label=_("Besluit"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    decision_number = forms.CharField(
        label=_("Besluitnummer"), max_length=services.DECISION_NUMBER_MAX
    )
    decided_on = forms.DateField(
        label=_("Datum besluit"), widget=_date_input(), initial=timezone.localdate
    )
    category = forms.ChoiceField(
        label=_("Bekostigingscategorie"),
        choices=[("", _("(geen)")), *TlvCategory.choices],
        required=False,
        help_text=_("Verplicht bij het toekennen van een TLV; een arrangement heeft er geen."),
    )
    starts_on = forms.DateField(label=_("Ingangsdatum"), widget=_date_input(), required=False)
    ends_on = forms.DateField(
        label=_("Einddatum"),
        widget=_date_input(),
        required=False,
        help_text=_("Bij een TLV zonder einddatum: 31 juli van het schooljaar van de ingang."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs["class"] = RADIO_CLASS


class ObjectionForm(StyledFormMixin, forms.Form):
    filed_on = forms.DateField(
        label=_("Bezwaar ontvangen op"), widget=_date_input(), initial=timezone.localdate
    )


class KindsForm(StyledFormMixin, forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Soorten aanvragen die de scholen kunnen indienen"),
        choices=ApplicationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].widget.attrs["class"] = CHECKBOX_CLASS


OPEN = ""
ALL = "all"


class ListFilterForm(StyledFormMixin, forms.Form):
    """Filters of the application lists: status and kind, and for the SWV the school."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (OPEN, _("Alle lopende aanvragen")),
            *ApplicationStatus.choices,
            (ALL, _("Alle aanvragen")),
        ],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[("", _("Alle soorten")), *ApplicationKind.choices],
        required=False,
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("Alle scholen"),
    )

    def __init__(self, *args, schools=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools.order_by("name", "pk")
            # A draft is never the SWV's: its list offers no such status.
            self.fields["status"].choices = [
                c for c in self.fields["status"].choices if c[0] != ApplicationStatus.DRAFT
            ]
