"""Forms of BPO assignments (inzet) and qualifications.

Choices of people come from querysets limited to the school's partnership (never a free user
id): the BPO from the people holding the bpo role in the SWV, the manager from the school's
director/coordinator and the SWV's partnership_admin. The service checks the same again for the
chosen year (passend.staffing.services).

Uploads reuse the checks of the quality framework's evidence files (extension and content agree,
at most settings.EVIDENCE_MAX_BYTES), narrowed to the types that fit: an agreement is a PDF, DOCX
or ODT; a diploma also a scan (PNG/JPEG).

Hours per year (normjaartaak) are not computed from the hours per week: left empty, they are
unknown, and aspect 5 flags that for a BPO employed by the school. The normjaartaak is agreed
per person (CAO VO), not a fixed multiple of the weekly hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.front.uploads import check_evidence_file, safe_filename
from passend.staffing import services
from passend.staffing.choices import AssignmentKind, EmploymentType, QualificationKind, Weekday

TEXT_MAX = 300
AGREEMENT_TYPES = (".pdf", ".docx", ".odt")
DIPLOMA_TYPES = (".pdf", ".docx", ".odt", ".png", ".jpg", ".jpeg")
CHECKBOX_CLASS = "utrecht-checkbox utrecht-checkbox--html-input"
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"
FILE_CLASS = "utrecht-file-input"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _decimal_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal"})


def check_upload(upload, allowed: tuple[str, ...], names: str):
    """The upload with a safe name, or ValidationError: a type outside ``allowed``, content that
    does not match the extension, or larger than settings.EVIDENCE_MAX_BYTES."""
    upload.name = safe_filename(upload.name)
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        check_evidence_file(upload)  # raises the size error
    if PurePosixPath(upload.name).suffix.lower() not in allowed:
        raise forms.ValidationError(
            _("Dit bestandstype is niet toegestaan. Kies een %(types)s.") % {"types": names},
            code="type",
        )
    check_evidence_file(upload)
    return upload


def _file_help(names: str) -> str:
    return _("%(types)s; maximaal %(max)s.") % {
        "types": names,
        "max": filesizeformat(settings.EVIDENCE_MAX_BYTES),
    }


class PersonChoiceField(forms.ModelChoiceField):
    """A person by name with the e-mail address, so namesakes can be told apart; the option
    values are public codes, not database ids."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} – {obj.email}"


@dataclass(frozen=True)
class _Span:
    """A period like a school year (start, end), for querysets over several years."""

    start: date
    end: date


def school_year_choices():
    """Last, this and next school year: assignments are recorded for the running year, planned
    for the next and corrected for the last."""
    from passend.organisations.models import SchoolYear

    current = SchoolYear.current()
    SchoolYear.get_or_create_for_start_year(current.start.year + 1)
    return SchoolYear.objects.filter(
        start__gte=date(current.start.year - 1, 8, 1),
        start__lte=date(current.start.year + 1, 8, 1),
    ).order_by("start")


class AssignmentForm(StyledFormMixin, forms.Form):
    """Create (``assignment`` None) or change an assignment of a BPO at ``school``.

    On change the person, school year and kind stay as they are (a new person or year is a new
    assignment).
    """

    school_year = forms.ModelChoiceField(
        label=_("Schooljaar"), queryset=None, to_field_name="name", empty_label=None
    )
    bpo = PersonChoiceField(
        label=_("Bpo'er"),
        queryset=None,
        to_field_name="code",
        help_text=_(
            "Een bpo'er van deze school; voor BPO+ of in dienst van het samenwerkingsverband "
            "ook een bpo'er van een andere school van het SWV."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Soort inzet"),
        choices=AssignmentKind.choices,
        initial=AssignmentKind.REGULAR,
        widget=forms.RadioSelect,
    )
    request_note = forms.CharField(
        label=_("Verzoek (BPO+)"),
        required=False,
        max_length=TEXT_MAX,
        help_text=_("Alleen bij BPO+: waarvoor is de expertise gevraagd?"),
    )
    hours_per_week = forms.DecimalField(
        label=_("Uren per week"),
        min_value=Decimal("0"),
        max_value=Decimal("60"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=_decimal_input(),
    )
    annual_hours = forms.DecimalField(
        label=_("Uren per jaar (normjaartaak)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("2000"),
        max_digits=7,
        decimal_places=2,
        localize=True,
        widget=_decimal_input(),
        help_text=_(
            "Leeg laten als het nog niet bekend is. Bij een bpo'er in dienst van de school hoort "
            "hier de normjaartaak (aspect 5)."
        ),
    )
    employment_type = forms.ChoiceField(label=_("Dienstverband"), choices=EmploymentType.choices)
    employer_name = forms.CharField(
        label=_("Werkgever"),
        required=False,
        max_length=200,
        help_text=_("Bij externe inhuur: de organisatie waar de bpo'er in dienst is."),
    )
    manager = PersonChoiceField(
        label=_("Leidinggevende"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("– niet gekozen –"),
        help_text=_("De directeur of ondersteuningscoördinator, of de SWV-beheerder."),
    )
    manager_name = forms.CharField(
        label=_("Leidinggevende (naam)"),
        required=False,
        max_length=150,
        help_text=_("Als de leidinggevende geen account heeft, bijvoorbeeld bij inhuur."),
    )
    management_agreement = forms.FileField(
        label=_("Overeenkomst over de aansturing"),
        required=False,
        max_length=1000,
        widget=forms.FileInput(attrs={"accept": ",".join(AGREEMENT_TYPES)}),
    )
    remove_agreement = forms.BooleanField(
        label=_("Huidige overeenkomst verwijderen"), required=False
    )
    management_agreement_date = forms.DateField(
        label=_("Datum overeenkomst aansturing"), required=False, widget=_date_input()
    )
    salary_scale = forms.IntegerField(
        label=_("Salarisschaal (CAO VO)"),
        required=False,
        min_value=1,
        max_value=18,
        help_text=_(
            "Het kwaliteitskader vraagt minimaal schaal 10; een lagere schaal kan, maar wordt "
            "gemarkeerd."
        ),
    )
    start_date = forms.DateField(label=_("Begindatum"), widget=_date_input())
    end_date = forms.DateField(label=_("Einddatum"), required=False, widget=_date_input())
    workplace_confirmed = forms.BooleanField(
        label=_("De bpo'er heeft een werkplek op school (aspect 2)"), required=False
    )
    student_system_access = forms.BooleanField(
        label=_("De bpo'er heeft toegang tot het leerlingvolgsysteem (aspect 3)"),
        required=False,
    )
    presence_days = forms.MultipleChoiceField(
        label=_("Aanwezigheidsdagen (aspect 4)"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    presence_note = forms.CharField(
        label=_("Aanwezigheid: toelichting"),
        required=False,
        max_length=TEXT_MAX,
        help_text=_("Bijvoorbeeld: bij het SOT-overleg op dinsdagmiddag."),
    )

    def __init__(self, *args, school, assignment=None, **kwargs) -> None:
        from passend.organisations.models import SchoolYear

        super().__init__(*args, **kwargs)
        self.school = school
        self.assignment = assignment
        if assignment is not None:
            for name in ("school_year", "bpo", "kind"):
                del self.fields[name]
            year = assignment.school_year
            span = _Span(year.start, year.end)
            if not assignment.management_agreement:
                del self.fields["remove_agreement"]
            if assignment.kind != AssignmentKind.PLUS:
                del self.fields["request_note"]
        else:
            del self.fields["remove_agreement"]
            years = school_year_choices()
            self.fields["school_year"].queryset = years
            self.initial.setdefault("school_year", SchoolYear.current().name)
            span = _Span(years[0].start, years[len(years) - 1].end)
            self.fields["bpo"].queryset = services.bpo_candidates(school, span)
            self.fields["kind"].widget.attrs["class"] = RADIO_CLASS
        self.fields["manager"].queryset = services.manager_candidates(school, span)
        self.fields["presence_days"].widget.attrs["class"] = CHECKBOX_CLASS
        self.fields["management_agreement"].widget.attrs["class"] = FILE_CLASS
        self.fields["management_agreement"].help_text = _(
            "Verplicht bij externe inhuur (aspect 6). %(types)s"
        ) % {"types": _file_help("PDF, DOCX of ODT")}

    GROUPS = (
        (
            _("Wie en wanneer"),
            ("school_year", "bpo", "kind", "request_note", "start_date", "end_date"),
        ),
        (_("Uren"), ("hours_per_week", "annual_hours")),
        (
            _("Dienstverband en aansturing (aspect 5 en 6)"),
            (
                "employment_type",
                "employer_name",
                "salary_scale",
                "manager",
                "manager_name",
                "management_agreement",
                "remove_agreement",
                "management_agreement_date",
            ),
        ),
        (
            _("Randvoorwaarden (aspect 2, 3 en 4)"),
            ("workplace_confirmed", "student_system_access", "presence_days", "presence_note"),
        ),
    )

    def groups(self) -> list[tuple[str, list]]:
        """The fields under headings, as the form shows them."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.GROUPS
        ]

    def clean_management_agreement(self):
        upload = self.cleaned_data.get("management_agreement")
        if not upload:
            return None
        return check_upload(upload, AGREEMENT_TYPES, "PDF, DOCX of ODT")

    def clean(self):
        data = super().clean()
        year = data.get("school_year") or (self.assignment and self.assignment.school_year)
        start, end = data.get("start_date"), data.get("end_date")
        if year is not None and start is not None and not (year.start <= start <= year.end):
            self.add_error(
                "start_date",
                _("De begindatum valt niet in schooljaar %(year)s.") % {"year": year.name},
            )
        if start is not None and end is not None and end < start:
            self.add_error("end_date", _("De einddatum ligt vóór de begindatum."))
        if data.get("management_agreement") and data.get("remove_agreement"):
            self.add_error(
                "remove_agreement",
                _("Kies een nieuwe overeenkomst óf verwijder de huidige, niet allebei."),
            )
        return data

    def fixed_fields(self) -> dict:
        """What a new assignment is: school year, person, kind (create only)."""
        data = self.cleaned_data
        return {"school_year": data["school_year"], "bpo": data["bpo"], "kind": data["kind"]}

    def terms(self) -> dict:
        """The fields both create and update take, as the service names them."""
        data = self.cleaned_data
        return {
            "request_note": data.get("request_note", ""),
            "annual_hours": data["annual_hours"],
            "employer_name": data["employer_name"],
            "manager": data["manager"],
            "manager_name": data["manager_name"],
            "management_agreement_date": data["management_agreement_date"],
            "salary_scale": data["salary_scale"],
            "end_date": data["end_date"],
            "workplace_confirmed": data["workplace_confirmed"],
            "student_system_access": data["student_system_access"],
            "presence_days": list(data["presence_days"]),
            "presence_note": data["presence_note"],
            "hours_per_week": data["hours_per_week"],
            "employment_type": data["employment_type"],
            "start_date": data["start_date"],
        }


class EndAssignmentForm(StyledFormMixin, forms.Form):
    end_date = forms.DateField(
        label=_("Laatste werkdag"),
        widget=_date_input(),
        error_messages={"required": _("Vul de einddatum in.")},
    )


class QualificationForm(StyledFormMixin, forms.Form):
    """A qualification of the signed-in BPO (aspect 13)."""

    kind = forms.ChoiceField(label=_("Soort opleiding"), choices=QualificationKind.choices)
    title = forms.CharField(
        label=_("Opleiding"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Master Educational Needs (SEN) of Lerarenopleiding VO."),
    )
    institution = forms.CharField(label=_("Instelling"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Jaar behaald"), required=False, min_value=1950)
    evidence_file = forms.FileField(
        label=_("Diploma of certificaat"),
        required=False,
        max_length=1000,
        widget=forms.FileInput(attrs={"accept": ",".join(DIPLOMA_TYPES)}),
    )
    remove_file = forms.BooleanField(label=_("Huidig bestand verwijderen"), required=False)

    def __init__(self, *args, has_file: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(this_year))
        self.fields["year"].widget.attrs["max"] = this_year
        self.fields["evidence_file"].widget.attrs["class"] = FILE_CLASS
        self.fields["evidence_file"].help_text = _("Optioneel. %(types)s") % {
            "types": _file_help("PDF, DOCX, ODT, PNG of JPEG")
        }
        if not has_file:
            del self.fields["remove_file"]

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        return check_upload(upload, DIPLOMA_TYPES, "PDF, DOCX, ODT, PNG of JPEG")

    def clean(self):
        data = super().clean()
        if data.get("evidence_file") and data.get("remove_file"):
            self.add_error(
                "remove_file", _("Kies een nieuw bestand óf verwijder het huidige, niet allebei.")
            )
        return data
