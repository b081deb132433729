"""Forms of the evaluation of the BPO's functioning and the werkafspraken (aspect 10): start one,
edit the draft (participants, conclusion, per task area what went well and what to change) and
finalise it with the decision to keep or adjust the werkafspraken.

The business rules (date inside the school year, the coordinator being one of the school, a
final evaluation not changing, the conflict check) live in passend.agreements.services; their
ValidationErrors are shown on these forms."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.agreements import services
from passend.agreements.choices import EvaluationDecision, EvaluationKind
from passend.agreements.models import AgreementEvaluation, EvaluationArea
from passend.front.forms import StyledFormMixin

TEXT_MAX = 5000
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"
CHECKBOX_CLASS = "utrecht-checkbox utrecht-checkbox--html-input"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PersonChoiceField(forms.ModelChoiceField):
    """A person by name with the e-mail address; the option values are public codes."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} – {obj.email}"


class EvaluationStartForm(StyledFormMixin, forms.Form):
    """Kind and date of a new evaluation; the date defaults to today, kept inside the school
    year of the werkafspraken (the service refuses a date outside it)."""

    kind = forms.ChoiceField(
        label=_("Soort evaluatie"),
        choices=EvaluationKind.choices,
        initial=EvaluationKind.ANNUAL,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label=_("Datum van het gesprek"), widget=_date_input())

    def __init__(self, *args, school_year, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date"].initial = min(max(today, school_year.start), school_year.end)
        self.fields["date"].help_text = _("Een datum in schooljaar %(year)s.") % {
            "year": school_year.name
        }
        self.fields["kind"].widget.attrs["class"] = RADIO_CLASS


class EvaluationForm(StyledFormMixin, forms.Form):
    """The draft evaluation's participants and conclusion. ``revision`` is the revision the
    editor started from (a save in between is refused as a conflict)."""

    date = forms.DateField(label=_("Datum van het gesprek"), widget=_date_input())
    coordinator = PersonChoiceField(
        label=_("Ondersteuningscoördinator"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(niemand)"),
    )
    bpo_present = forms.BooleanField(label=_("De bpo'er was aanwezig"), required=False)
    home_manager_name = forms.CharField(
        label=_("Leidinggevende moederorganisatie"),
        max_length=150,
        required=False,
        help_text=_(
            "Bij een ingehuurde bpo'er neemt bij voorkeur de leidinggevende van de organisatie "
            "waar de bpo'er in dienst is deel (aspect 10)."
        ),
    )
    other_participants = forms.CharField(
        label=_("Overige deelnemers"), max_length=300, required=False
    )
    conclusion = forms.CharField(
        label=_("Conclusie"),
        max_length=TEXT_MAX,
        required=False,
        widget=_textarea(5),
        help_text=_("Nodig om de evaluatie vast te stellen."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, evaluation: AgreementEvaluation, **kwargs) -> None:
        if not args or args[0] is None:
            kwargs.setdefault(
                "initial",
                {
                    "date": evaluation.date,
                    "coordinator": evaluation.coordinator,
                    "bpo_present": evaluation.bpo_present,
                    "home_manager_name": evaluation.home_manager_name,
                    "other_participants": evaluation.other_participants,
                    "conclusion": evaluation.conclusion,
                    "revision": evaluation.revision,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = services.coordinator_choices(
            evaluation.school, evaluation.school_year
        )
        self.fields["bpo_present"].widget.attrs["class"] = CHECKBOX_CLASS

    def service_fields(self) -> dict:
        """The cleaned values under the names of services.EVALUATION_FIELDS."""
        return {name: self.cleaned_data[name] for name in services.EVALUATION_FIELDS}


class AreaForm(StyledFormMixin, forms.Form):
    """What went well and what to change in one task area; ``row`` is the area's row (its
    agreed and live realised hours are shown beside the inputs, read-only)."""

    went_well = forms.CharField(
        label=_("Wat ging goed"), max_length=TEXT_MAX, required=False, widget=_textarea()
    )
    to_change = forms.CharField(
        label=_("Wat moet anders"), max_length=TEXT_MAX, required=False, widget=_textarea()
    )

    def __init__(self, *args, row: EvaluationArea, **kwargs) -> None:
        self.row = row
        super().__init__(*args, **kwargs)


class BaseAreaFormSet(forms.BaseFormSet):
    """One AreaForm per stored task-area row of the evaluation, in task-area order; the number
    of forms follows the rows, never the posted management form."""

    def __init__(self, *args, rows: list[EvaluationArea], **kwargs) -> None:
        self.rows = rows
        if not args or args[0] is None:
            kwargs.setdefault(
                "initial", [{"went_well": r.went_well, "to_change": r.to_change} for r in rows]
            )
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        return len(self.rows)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "row": self.rows[index]}

    def areas(self) -> dict[str, services.AreaInput]:
        return {
            form.row.area: services.AreaInput(
                form.cleaned_data.get("went_well", ""), form.cleaned_data.get("to_change", "")
            )
            for form in self.forms
        }


AreaFormSet = forms.formset_factory(AreaForm, formset=BaseAreaFormSet, extra=0)


class FinaliseForm(StyledFormMixin, forms.Form):
    """The decision that fixes the evaluation: keep the werkafspraken or adjust them."""

    decision = forms.ChoiceField(
        label=_("Besluit over de werkafspraken"),
        choices=EvaluationDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of de werkafspraken worden aangepast.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = RADIO_CLASS
