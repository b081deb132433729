"""Forms of the werkafspraken pages: the school-year switch of a school's list, a new
werkafspraak (school year and BPO), and the editor (arrangements plus a formset of tasks)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.forms import formset_factory
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from passend.activities.choices import TaskArea
from passend.agreements import services
from passend.agreements.models import MAX_TASK_HOURS, WorkAgreement
from passend.front.forms import StyledFormMixin
from passend.staffing.choices import Weekday

CHECKBOX_CLASS = "utrecht-checkbox utrecht-checkbox--html-input"
#: Empty task rows below the existing tasks of the editor.
EXTRA_TASK_ROWS = 3
#: More task rows than any werkafspraak needs (the shipped task description has 40 tasks).
MAX_TASK_ROWS = 200
TASK_TEXT_MAX = 2000


def _field_label(name: str) -> str:
    return str(WorkAgreement._meta.get_field(name).verbose_name).capitalize()


def _help(name: str) -> str:
    return WorkAgreement._meta.get_field(name).help_text


def year_choices(school_year):
    """The current and the next school year (werkafspraken are made for the running year and
    prepared for the next); ``school_year`` is added when it is another one."""
    from passend.organisations.models import SchoolYear

    current = SchoolYear.current()
    following = SchoolYear.get_or_create_for_start_year(current.start.year + 1)
    pks = {current.pk, following.pk} | ({school_year.pk} if school_year else set())
    return SchoolYear.objects.filter(pk__in=pks).order_by("start")


class YearForm(StyledFormMixin, forms.Form):
    """The school year of a school's werkafspraken list (``?jaar=2026-2027``, GET)."""

    jaar = forms.ChoiceField(label=_l("Schooljaar"))

    def __init__(self, *args, years, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(y.name, y.name) for y in years]


class AgreementCreateForm(StyledFormMixin, forms.Form):
    """School year and BPO of new werkafspraken at ``school``."""

    school_year = forms.ModelChoiceField(
        label=_l("Schooljaar"), queryset=None, to_field_name="name", empty_label=None
    )
    bpo = forms.ModelChoiceField(
        label=_l("Bpo'er"),
        queryset=None,
        to_field_name="code",
        empty_label=_l("– kies een bpo'er –"),
        help_text=_l(
            "Bpo'ers met de rol bpo'er op de school of met een inzet op de school in het gekozen "
            "schooljaar."
        ),
    )

    def __init__(self, *args, school, **kwargs) -> None:
        from passend.accounts.models import User

        super().__init__(*args, **kwargs)
        years = list(year_choices(None))
        self.fields["school_year"].queryset = year_choices(None)
        candidates = set()
        for year in years:
            candidates |= set(services.bpo_choices(school, year).values_list("pk", flat=True))
        self.fields["bpo"].queryset = User.objects.filter(pk__in=candidates).order_by(
            "full_name", "email"
        )
        self.fields["bpo"].label_from_instance = lambda u: u.full_name or u.email


class AgreementForm(StyledFormMixin, forms.Form):
    """The arrangements of a draft (aspects 4, 6, 7 and 9) and the revision it started from."""

    presence_days = forms.MultipleChoiceField(
        label=_l("Aanwezigheidsdagen (aspect 4)"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    presence_times = forms.CharField(required=False, max_length=300)
    sot_participation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    management = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sot_informed = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presence_days"].widget.attrs["class"] = CHECKBOX_CLASS
        for name in services.AGREEMENT_FIELDS:
            if name == "presence_days":
                continue
            self.fields[name].label = _field_label(name)
            self.fields[name].help_text = _help(name)
        self.fields["presence_times"].label = _("Aanwezigheidstijden (aspect 4)")
        self.fields["sot_participation"].label = _(
            "Deelname aan het ondersteuningsteam (SOT, aspect 7)"
        )
        self.fields["management"].label = _("Aansturing (aspect 6)")
        self.fields["sot_informed"].label = _("Informeren van de overige SOT-leden (aspect 9)")

    @classmethod
    def initial_for(cls, agreement: WorkAgreement) -> dict:
        initial = {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}
        initial["revision"] = agreement.revision
        return initial

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in services.AGREEMENT_FIELDS}
        fields["presence_days"] = [d for d in Weekday.values if d in data["presence_days"]]
        return fields


def parse_hours(text: str) -> Decimal | None:
    """ "7,5" or "7.5" → Decimal("7.5"); None for anything that is not a number."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class TaskRowForm(StyledFormMixin, forms.Form):
    """One task of the editor. A row without a task text is left out (an emptied row removes
    the task); ``origin`` is the id of the task of the previous version it continues."""

    area = forms.ChoiceField(
        label=_l("Taakgebied"),
        choices=[("", _l("– kies een taakgebied –")), *TaskArea.choices],
        required=False,
    )
    description = forms.CharField(
        label=_l("Taak"),
        required=False,
        max_length=TASK_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
    )
    hours = forms.CharField(label=_l("Uren per schooljaar"), required=False, max_length=10)
    origin = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "size": "6"}
        )

    @property
    def is_blank(self) -> bool:
        return not (getattr(self, "cleaned_data", {}).get("description") or "").strip()

    def clean(self):
        data = super().clean()
        if not (data.get("description") or "").strip():
            return data
        if not data.get("area"):
            self.add_error("area", _("Kies een taakgebied."))
        hours = parse_hours(data.get("hours") or "")
        if hours is None:
            self.add_error("hours", _("Vul een aantal uren in, bijvoorbeeld 12 of 7,5."))
        elif hours < 0 or hours > MAX_TASK_HOURS:
            self.add_error(
                "hours",
                _("Het aantal uren ligt tussen 0 en %(max)s.") % {"max": MAX_TASK_HOURS},
            )
        elif hours != hours.quantize(Decimal("0.1")):
            self.add_error("hours", _("Gebruik hoogstens één decimaal."))
        else:
            data["hours"] = hours
        return data

    def task_input(self) -> services.TaskInput:
        data = self.cleaned_data
        return services.TaskInput(
            data["area"], data["description"].strip(), data["hours"], data.get("origin")
        )


TaskFormSet = formset_factory(
    TaskRowForm, extra=EXTRA_TASK_ROWS, max_num=MAX_TASK_ROWS, absolute_max=MAX_TASK_ROWS
)


def task_initial(tasks) -> list[dict]:
    """The editor's rows for the current tasks (hours as typed in Dutch: "7,5")."""
    return [
        {
            "area": t.area,
            "description": t.description,
            "hours": floatformat(t.hours, -1),
            "origin": t.origin_id,
        }
        for t in tasks
    ]
