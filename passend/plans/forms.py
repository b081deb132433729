"""Forms of development plans (OPP): the plan itself (perspective part, action part texts, the
student's view), its goals (a formset, all or nothing), a consultation with the parents, the
decision on the action part, the setting, and an evaluation with a result per goal.

The choices are limited to what fits the student (their cases, their guardians); the rules
(who decides at which age, a refusal's reason, dates, what setting needs) live in
passend.plans.services, whose ValidationErrors are shown on these forms."""

from __future__ import annotations

import datetime

from django import forms
from django.forms import formset_factory
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.plans import access, clocks, services
from passend.plans.choices import (
    ConsentDecision,
    ConsultationParty,
    EvaluationDecision,
    ExitDestination,
    GoalResult,
    PlanConsentGiver,
    PlanTrigger,
)

TEXT_MAX = services.TEXT_MAX
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"
TEXTAREA_CLASS = "utrecht-textarea utrecht-textarea--html-textarea"
YES, NO = "yes", "no"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _text(label, *, rows: int = 4, required: bool = False, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        widget=_textarea(rows),
        help_text=help_text,
    )


def _radios(field: forms.Field) -> None:
    field.widget.attrs["class"] = RADIO_CLASS


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("Casus van %(date)s (%(status)s)") % {
            "date": formats.date_format(obj.signalled_on, "j F Y"),
            "status": obj.get_status_display().lower(),
        }


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_relation_display()})"


class PlanForm(StyledFormMixin, forms.Form):
    """The trigger, the perspective part, the action part's texts and the student's view."""

    case = CaseChoiceField(
        label=_("Casus"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(geen casus)"),
        help_text=_("De ondersteuningsvraag waaruit het OPP voortkomt, als die er is."),
    )
    trigger = forms.ChoiceField(label=_("Aanleiding"), choices=PlanTrigger.choices)
    trigger_date = forms.DateField(
        label=_("Startdatum"),
        widget=_date_input(),
        help_text=_(
            "Datum van inschrijving, start van de extra ondersteuning of definitieve plaatsing. "
            "Het OPP wordt binnen zes weken daarna vastgesteld."
        ),
    )
    exit_destination = forms.ChoiceField(
        label=_("Verwachte uitstroombestemming"),
        choices=[("", _("(nog niet bepaald)")), *ExitDestination.choices],
        required=False,
    )
    exit_explanation = _text(_("Onderbouwing van de uitstroombestemming"))
    hindering_factors = _text(
        _("Belemmerende factoren"), help_text=_("Wat belemmert de ontwikkeling van de leerling?")
    )
    supporting_factors = _text(
        _("Bevorderende factoren"), help_text=_("Wat helpt de leerling, waar liggen de kansen?")
    )
    programme_deviations = _text(_("Afwijkingen van het reguliere onderwijsprogramma"))
    support_offered = _text(_("Te bieden begeleiding en ondersteuning"))
    student_view = _text(
        _("Mening van de leerling"),
        help_text=_(
            "Wat vindt de leerling van het plan? Leg het vast in de woorden van de leerling."
        ),
    )
    student_heard_on = forms.DateField(
        label=_("Leerling gehoord op"), widget=_date_input(), required=False
    )

    def __init__(self, *args, user, student, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cases = access.case_choices(user, student).order_by("-signalled_on", "-pk")
        self.fields["case"].queryset = cases

    @staticmethod
    def initial_new(student, today: datetime.date, case=None) -> dict:
        """A new plan: enrolment as the trigger for a student who enrolled less than six weeks
        ago, else the start of extra support today."""
        recent = clocks.days_after(student.enrolled_on, today) <= clocks.SET_WITHIN_DAYS
        return {
            "case": case.code if case is not None else None,
            "trigger": PlanTrigger.ENROLMENT if recent else PlanTrigger.EXTRA_SUPPORT,
            "trigger_date": student.enrolled_on if recent else today,
        }

    @staticmethod
    def initial_for(plan) -> dict:
        initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
        initial["case"] = plan.case.code if plan.case_id else None
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "case": data["case"],
            "fields": {name: data[name] for name in services.PLAN_FIELDS},
        }


class GoalForm(StyledFormMixin, forms.Form):
    """One goal; an empty new row is left out, an existing one is removed with ``delete``."""

    code = forms.CharField(required=False, widget=forms.HiddenInput)
    goal = forms.CharField(
        label=_("Doel"), max_length=TEXT_MAX, required=False, widget=_textarea(2)
    )
    approach = forms.CharField(
        label=_("Aanpak"), max_length=TEXT_MAX, required=False, widget=_textarea(2)
    )
    who = forms.CharField(label=_("Wie"), max_length=services.SHORT_MAX, required=False)
    when = forms.CharField(
        label=_("Wanneer"),
        max_length=services.SHORT_MAX,
        required=False,
        help_text=_("Bijvoorbeeld: wekelijks, tot de kerstvakantie."),
    )
    measure = forms.CharField(
        label=_("Wanneer is het doel bereikt?"),
        max_length=TEXT_MAX,
        required=False,
        widget=_textarea(2),
    )
    delete = forms.BooleanField(label=_("Dit doel verwijderen"), required=False)

    TEXTS = ("goal", "approach", "who", "when", "measure")

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("code") and not any((data.get(n) or "").strip() for n in self.TEXTS)

    @property
    def is_dropped(self) -> bool:
        return self.is_blank or bool(self.cleaned_data.get("delete"))

    def clean(self):
        data = super().clean()
        if self.is_dropped:
            return data
        if not (data.get("goal") or "").strip():
            self.add_error("goal", _("Beschrijf het doel."))
        if not (data.get("measure") or "").strip():
            self.add_error("measure", _("Beschrijf waaraan u ziet dat het doel bereikt is."))
        return data

    def goal_input(self) -> services.GoalInput:
        data = self.cleaned_data
        return services.GoalInput(
            code=data.get("code") or "", **{n: data.get(n) or "" for n in self.TEXTS}
        )


GoalFormSet = formset_factory(
    GoalForm, extra=2, max_num=services.MAX_GOALS, validate_max=True, absolute_max=100
)


def goal_initial(plan) -> list[dict]:
    return [
        {
            "code": str(g.code),
            "goal": g.goal,
            "approach": g.approach,
            "who": g.who,
            "when": g.when,
            "measure": g.measure,
        }
        for g in plan.goals.all()
    ]


def goal_inputs(formset) -> list[services.GoalInput]:
    return [form.goal_input() for form in formset.forms if not form.is_dropped]


class ConsultationForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Datum"), widget=_date_input(), initial=timezone.localdate)
    party = forms.ChoiceField(
        label=_("Overleg met"), choices=ConsultationParty.choices, widget=forms.RadioSelect
    )
    guardian = GuardianChoiceField(
        label=_("Ouder/verzorger"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(kies bij overleg met een ouder/verzorger)"),
    )
    summary = _text(
        _("Verslag"),
        rows=5,
        required=True,
        help_text=_("Wat is besproken, en waarover is (nog) geen overeenstemming?"),
    )
    agreement_reached = forms.TypedChoiceField(
        label=_("Overeenstemming bereikt over het plan?"),
        choices=[(YES, _("Ja")), (NO, _("Nee"))],
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, student, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = student.guardians.all()
        _radios(self.fields["party"])
        _radios(self.fields["agreement_reached"])


class ConsentForm(StyledFormMixin, forms.Form):
    """The decision on the action part; who decides follows the student's age (the service)."""

    given_by = forms.ChoiceField(
        label=_("Besluit door"),
        choices=PlanConsentGiver.choices,
        widget=forms.RadioSelect,
    )
    guardian = GuardianChoiceField(
        label=_("Ouder/verzorger met gezag"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(kies bij een besluit van een ouder/verzorger)"),
    )
    date = forms.DateField(label=_("Datum"), widget=_date_input(), initial=timezone.localdate)
    decision = forms.ChoiceField(
        label=_("Besluit over het handelingsdeel"),
        choices=ConsentDecision.choices,
        widget=forms.RadioSelect,
    )
    reason = _text(
        _("Reden van weigering"),
        help_text=_("Verplicht als de instemming is geweigerd."),
    )

    def __init__(self, *args, student, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = student.guardians.filter(has_authority=True)
        self.fields["given_by"].initial = services.consent_giver_on(student, timezone.localdate())
        _radios(self.fields["given_by"])
        _radios(self.fields["decision"])


class SetForm(StyledFormMixin, forms.Form):
    set_on = forms.DateField(
        label=_("Vastgesteld op"), widget=_date_input(), initial=timezone.localdate
    )


class EvaluationForm(StyledFormMixin, forms.Form):
    """The evaluation, with a result and a note for every goal of the plan."""

    date = forms.DateField(
        label=_("Datum evaluatie"), widget=_date_input(), initial=timezone.localdate
    )
    conclusion = _text(_("Conclusie"), rows=5, required=True)
    next_steps = _text(_("Vervolgstappen"))
    decision = forms.ChoiceField(
        label=_("Besluit"), choices=EvaluationDecision.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, goals, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for number, goal in enumerate(goals, start=1):
            name = services.result_field(goal)
            self.fields[name] = forms.ChoiceField(
                label=_("Resultaat doel %(n)s") % {"n": number},
                choices=GoalResult.choices,
                widget=forms.RadioSelect(attrs={"class": RADIO_CLASS}),
            )
            self.fields[f"note_{goal.code}"] = forms.CharField(
                label=_("Toelichting doel %(n)s") % {"n": number},
                max_length=TEXT_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": TEXTAREA_CLASS}),
            )
        _radios(self.fields["decision"])

    def goal_rows(self) -> list[tuple]:
        """(goal, result field, note field) per goal, for the template."""
        return [
            (goal, self[services.result_field(goal)], self[f"note_{goal.code}"])
            for goal in self.goals
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "results": [
                services.ResultInput(
                    goal_code=str(goal.code),
                    result=data[services.result_field(goal)],
                    note=data.get(f"note_{goal.code}") or "",
                )
                for goal in self.goals
            ],
            "conclusion": data["conclusion"],
            "next_steps": data["next_steps"],
            "decision": data["decision"],
        }
