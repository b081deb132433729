"""Forms of the task descriptions (taakomschrijving, aspect 8) and the competency set.

A task description is edited as one ``DescriptionForm`` (title, introduction) with a formset of
``ItemForm`` rows; a row whose text is emptied is removed. The competency set is a formset of
``CompetencyForm`` rows: the existing competencies (retired by unticking "in gebruik", never
deleted) and a few empty rows for new ones, which are skipped while their text stays empty.
"""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from passend.activities.choices import TaskArea
from passend.agreements import services
from passend.agreements.choices import CompetencyDomain
from passend.front.forms import StyledFormMixin

#: Empty rows offered below the existing ones for new tasks or competencies.
EXTRA_ROWS = 3
#: Upper bound of rows accepted in one post (the shipped template has 40 tasks).
MAX_ROWS = 300
ITEM_TEXT_MAX = 2000

NO_CHOICE = [("", "—")]


class DescriptionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_l("Titel"), max_length=200)
    introduction = forms.CharField(
        label=_l("Inleiding"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class ItemForm(StyledFormMixin, forms.Form):
    """One task: task area, text and where the text comes from. Without text it is skipped."""

    area = forms.ChoiceField(
        label=_l("Taakgebied"), choices=NO_CHOICE + list(TaskArea.choices), required=False
    )
    text = forms.CharField(
        label=_l("Taak"),
        required=False,
        max_length=ITEM_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.CharField(label=_l("Bron"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        if data.get("text", "").strip() and not data.get("area"):
            self.add_error("area", _("Kies een taakgebied."))
        return data

    def item(self) -> services.ItemInput:
        data = self.cleaned_data
        return services.ItemInput(data["area"], data["text"], data["source"])


class AllRowsFormSet(forms.BaseFormSet):
    """Every row is cleaned, also an untouched empty one (Django skips those by default, which
    would leave them without ``cleaned_data``); the forms decide what an empty row means."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "empty_permitted": False}


class BaseItemFormSet(AllRowsFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("text", "").strip() for form in self.forms):
            raise forms.ValidationError(_("Een taakomschrijving heeft ten minste één taak."))

    def items(self) -> list[services.ItemInput]:
        """Every row in order, empty ones included (the service drops them, and numbers its
        messages by row)."""
        return [form.item() for form in self.forms]


ItemFormSet = formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=EXTRA_ROWS, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)


def description_forms(data, description, items) -> tuple[DescriptionForm, BaseItemFormSet]:
    """The bound (``data``) or initial form and formset for ``description`` with ``items``."""
    form = DescriptionForm(
        data,
        initial={"title": description.title, "introduction": description.introduction},
    )
    formset = ItemFormSet(
        data,
        prefix="items",
        initial=[{"area": i.area, "text": i.text, "source": i.source} for i in items],
    )
    return form, formset


class CompetencyForm(StyledFormMixin, forms.Form):
    """One competency. An existing one (``id``) needs its text; a new row is skipped while its
    text is empty."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    domain = forms.ChoiceField(
        label=_l("Domein"), choices=NO_CHOICE + list(CompetencyDomain.choices), required=False
    )
    text = forms.CharField(
        label=_l("Competentie"),
        required=False,
        max_length=ITEM_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    active = forms.BooleanField(label=_l("In gebruik"), required=False, initial=True)

    def __init__(self, *args, known_ids: frozenset[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.known_ids = known_ids

    @property
    def is_new_and_empty(self) -> bool:
        data = self.cleaned_data
        return data.get("id") is None and not data.get("text", "").strip()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("id") is not None and data["id"] not in self.known_ids:
            raise forms.ValidationError(_("Deze competentie hoort niet bij dit SWV."))
        if self.is_new_and_empty:
            return data
        if not data.get("text", "").strip():
            self.add_error(
                "text", _("Vul de competentie in; zet hem uit als hij niet meer gebruikt wordt.")
            )
        if not data.get("domain"):
            self.add_error("domain", _("Kies een domein."))
        return data


class BaseCompetencyFormSet(AllRowsFormSet):
    def rows(self) -> list[dict]:
        """The rows for services.update_competency_set: new rows without text left out."""
        return [
            {
                "id": form.cleaned_data["id"],
                "domain": form.cleaned_data["domain"],
                "text": form.cleaned_data["text"],
                "active": form.cleaned_data["active"],
            }
            for form in self.forms
            if not form.is_new_and_empty
        ]


CompetencyFormSet = formset_factory(
    CompetencyForm,
    formset=BaseCompetencyFormSet,
    extra=EXTRA_ROWS,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)


def competency_formset(data, competencies) -> BaseCompetencyFormSet:
    return CompetencyFormSet(
        data,
        prefix="competencies",
        initial=[
            {"id": c.pk, "domain": c.domain, "text": c.text, "active": c.active}
            for c in competencies
        ],
        form_kwargs={"known_ids": frozenset(c.pk for c in competencies)},
    )
