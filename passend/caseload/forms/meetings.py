"""Forms of SOT meetings: planning (kind, date, place, chair, attendees), putting a case on the
agenda, the minutes of an item with its action points, and presence. The rules (who may see
which case, dates, owners among the attendees) live in passend.caseload.meetings."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.caseload import meetings
from passend.caseload.choices import MeetingKind
from passend.caseload.forms.cases import (
    CHECKBOX_CLASS,
    TEXT_MAX,
    PersonChoiceField,
    _date_input,
    _textarea,
)
from passend.front.forms import StyledFormMixin


class MeetingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=MeetingKind.choices)
    date = forms.DateField(label=_("Datum"), widget=_date_input(), initial=timezone.localdate)
    starts_at = forms.TimeField(
        label=_("Aanvang"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    location = forms.CharField(label=_("Locatie"), max_length=150, required=False)
    chair = PersonChoiceField(
        label=_("Voorzitter"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(nog niet bekend)"),
    )
    attendees = forms.MultipleChoiceField(
        label=_("Deelnemers"),
        help_text=_(
            "De coördinator, de bpo'ers en de leden van het SOT van dit schooljaar. Een partner "
            "kan alleen deelnemen aan de bespreking van casussen die met hem of haar zijn "
            "gedeeld met geldige toestemming."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(
        label=_("Overige deelnemers van de school"),
        help_text=_("Eén per regel: naam, functie (bijvoorbeeld: Ilse de Boer, mentor 2B)."),
        required=False,
        max_length=5000,
        widget=_textarea(3),
    )

    def __init__(self, *args, school, on=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = meetings.candidates(school, on or timezone.localdate())
        self.fields["attendees"].choices = [(c.key, c.label) for c in self.candidates]
        self.fields["attendees"].widget.attrs["class"] = CHECKBOX_CLASS
        from passend.accounts.models import User

        staff = [c.user.pk for c in self.candidates if c.user is not None and not c.domain]
        self.fields["chair"].queryset = User.objects.filter(pk__in=staff).order_by("full_name")

    @classmethod
    def initial_for(cls, meeting) -> dict:
        people = list(meeting.attendees.all())
        keys = []
        for candidate in meetings.candidates(meeting.school, meeting.date):
            if any(
                (
                    a.user_id is not None
                    and candidate.user is not None
                    and a.user_id == candidate.user.pk
                )
                or (a.user_id is None and candidate.user is None and a.name == candidate.name)
                for a in people
            ):
                keys.append(candidate.key)
        others = [
            ", ".join(p for p in (a.name, a.function) if p)
            for a in people
            if a.user_id is None and not a.domain
        ]
        return {
            "kind": meeting.kind,
            "date": meeting.date,
            "starts_at": meeting.starts_at,
            "location": meeting.location,
            "chair": meeting.chair,
            "attendees": keys,
            "others": "\n".join(others),
        }


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        student = obj.student
        return f"{student.full_name} ({student.class_name or '–'}) · {obj.get_status_display()}"


class AgendaForm(StyledFormMixin, forms.Form):
    case = CaseChoiceField(
        label=_("Casus"),
        queryset=None,
        to_field_name="code",
        empty_label=_("(kies een casus)"),
    )

    def __init__(self, *args, meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = meetings.agenda_choices(meeting)


class MinutesForm(StyledFormMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Verslag"),
        help_text=_("Wat is besproken. Alleen wat nodig is voor de ondersteuning."),
        max_length=TEXT_MAX,
        required=False,
        widget=_textarea(6),
    )
    decisions = forms.CharField(
        label=_("Afspraken"), max_length=TEXT_MAX, required=False, widget=_textarea(4)
    )


class ActionPointForm(StyledFormMixin, forms.Form):
    """One action point; an empty row is left out."""

    code = forms.CharField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("Actie"), max_length=TEXT_MAX, required=False)
    owner = PersonChoiceField(
        label=_("Wie"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(iemand anders)"),
    )
    owner_name = forms.CharField(
        label=_("Wie (als het geen deelnemer met een account is)"), max_length=150, required=False
    )
    due_on = forms.DateField(label=_("Uiterlijk"), widget=_date_input(), required=False)
    delete = forms.BooleanField(label=_("Verwijderen"), required=False)

    def __init__(self, *args, owners=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("code") and not (
            (data.get("description") or "").strip() or data.get("due_on")
        )


ActionPointFormSet = formset_factory(ActionPointForm, extra=2, max_num=30, validate_max=True)


def action_initial(item) -> list[dict]:
    return [
        {
            "code": str(p.code),
            "description": p.description,
            "owner": p.owner.code if p.owner_id else None,
            "owner_name": p.owner_name,
            "due_on": p.due_on,
        }
        for p in item.action_points.select_related("owner")
    ]


def action_inputs(formset, item) -> list[meetings.ActionInput]:
    """The formset's rows for the service; ``code`` of an existing point becomes its pk."""
    by_code = {str(p.code): p.pk for p in item.action_points.all()}
    rows = []
    for form in formset.forms:
        if form.is_blank:
            continue
        data = form.cleaned_data
        code = data.get("code") or ""
        rows.append(
            meetings.ActionInput(
                description=data.get("description") or "",
                due_on=data.get("due_on"),
                owner=data.get("owner"),
                owner_name=data.get("owner_name") or "",
                pk=by_code.get(code, -1) if code else None,
                delete=bool(data.get("delete")),
            )
        )
    return rows
