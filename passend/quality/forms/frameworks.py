"""Forms of the quality framework pages: import, edit, copy, publish, aspects."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.organisations.models import SchoolYear
from passend.quality.choices import Responsibility
from passend.quality.frameworkfile import MAX_BYTES, NUMBER, FrameworkFileError, parse

#: At most this many problems of a malformed file are listed; the rest are counted.
MAX_PROBLEMS_SHOWN = 200


def school_year_choices() -> list[tuple[str, str]]:
    """The school years one can pick: the existing ones plus the current and the next.

    Computed by name, without creating rows: a form that is only shown writes nothing.
    """
    current = SchoolYear.start_year_of(timezone.localdate())
    names = set(SchoolYear.objects.values_list("name", flat=True))
    names |= {SchoolYear.name_for_start_year(current), SchoolYear.name_for_start_year(current + 1)}
    return [(name, name) for name in sorted(names, reverse=True)]


def school_year_for(name: str) -> SchoolYear:
    """The SchoolYear row for a validated name (created for the current or next year)."""
    return SchoolYear.get_or_create_for_start_year(SchoolYear.parse_name(name))


class FrameworkImportForm(StyledFormMixin, forms.Form):
    """A framework file (JSON) becomes a new draft version for a school year."""

    file = forms.FileField(
        label=_("Bestand (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    school_year = forms.ChoiceField(
        label=_("Schooljaar"),
        required=False,
        help_text=_("Leeg: het schooljaar dat in het bestand staat."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "Formaat passend-quality-framework/1, ten hoogste %(kb)s kB."
        ) % {"kb": MAX_BYTES // 1024}
        self.fields["school_year"].choices = [
            ("", _("Schooljaar uit het bestand")),
            *school_year_choices(),
        ]
        self.parsed = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(kb)s kB."), params={"kb": MAX_BYTES // 1024}
            )
        raw = upload.read(MAX_BYTES + 1)
        try:
            self.parsed = parse(raw)
        except FrameworkFileError as error:
            problems = error.problems
            shown = [forms.ValidationError(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
            if len(problems) > MAX_PROBLEMS_SHOWN:
                shown.append(
                    forms.ValidationError(
                        _("… en nog %(n)s andere problemen."),
                        params={"n": len(problems) - MAX_PROBLEMS_SHOWN},
                    )
                )
            raise forms.ValidationError(shown) from None
        return upload

    def clean(self):
        data = super().clean()
        if self.parsed is not None and not data.get("school_year"):
            if not self.parsed.school_year:
                self.add_error("school_year", _("Het bestand noemt geen schooljaar; kies er een."))
            else:
                data["school_year"] = self.parsed.school_year
        return data


class FrameworkForm(StyledFormMixin, forms.Form):
    """A framework's own fields. Once published only the due date can change (the rest is
    shown, disabled)."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    introduction = forms.CharField(
        label=_("Inleiding"), required=False, max_length=20000, widget=forms.Textarea
    )
    source = forms.CharField(label=_("Bron"), required=False, max_length=300)
    minimum_salary_scale = forms.IntegerField(
        label=_("Minimale salarisschaal (CAO VO)"), required=False, min_value=1, max_value=20
    )
    assessment_due = forms.DateField(
        label=_("Zelfevaluatie indienen vóór"),
        required=False,
        help_text=_("Na deze datum zien scholen die nog niet hebben ingediend een melding."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    CONTENT_FIELDS = ("title", "introduction", "source", "minimum_salary_scale")

    def __init__(self, *args, framework, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {name: getattr(framework, name) for name in (*self.CONTENT_FIELDS, "assessment_due")},
        )
        super().__init__(*args, **kwargs)
        self.framework = framework
        if not framework.is_draft:
            for name in self.CONTENT_FIELDS:
                self.fields[name].disabled = True

    def changes(self) -> dict:
        """The fields to hand to services.update_framework."""
        if not self.framework.is_draft:
            return {"assessment_due": self.cleaned_data["assessment_due"]}
        return dict(self.cleaned_data)


class FrameworkCopyForm(StyledFormMixin, forms.Form):
    school_year = forms.ChoiceField(label=_("Naar schooljaar"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = school_year_choices()


class FrameworkPublishForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat een vastgesteld kader niet meer kan worden gewijzigd."),
        error_messages={"required": _("Bevestig dat je het kader wilt vaststellen.")},
    )


class AspectForm(StyledFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Nummer"),
        max_length=10,
        help_text=_("Bijvoorbeeld 7, of 16.2 voor een subaspect van 16."),
    )
    section = forms.ModelChoiceField(
        label=_("Onderdeel"),
        queryset=None,
        empty_label=None,
        help_text=_("Een subaspect staat altijd in het onderdeel van zijn hoofdaspect."),
    )
    text = forms.CharField(label=_("Tekst"), max_length=5000, widget=forms.Textarea)
    responsibility = forms.ChoiceField(
        label=_("Verantwoordelijkheid"),
        required=False,
        help_text=_("Leeg: die van het onderdeel."),
    )

    def __init__(self, *args, framework, aspect=None, **kwargs) -> None:
        if aspect is not None:
            kwargs.setdefault(
                "initial",
                {
                    "number": aspect.number,
                    "section": aspect.section_id,
                    "text": aspect.text,
                    "responsibility": aspect.responsibility,
                },
            )
        super().__init__(*args, **kwargs)
        # Sections of this framework only: another framework's section is not a choice.
        self.fields["section"].queryset = framework.sections.order_by("position")
        self.fields["responsibility"].choices = [
            ("", _("Zoals het onderdeel")),
            *Responsibility.choices,
        ]

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip().rstrip(".")
        if not NUMBER.fullmatch(number):
            raise forms.ValidationError(_("Geef een nummer zoals 7 of 16.2."))
        return number
