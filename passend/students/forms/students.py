"""Forms of the student pages: the list's search and filters, a student's data and the formset
of guardians (create and edit)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _l

from passend.front.forms import StyledFormMixin
from passend.students import services
from passend.students.choices import GuardianRelation
from passend.students.models import Student

#: The list filter "status": current students, those who left, or all.
CURRENT, LEFT, ALL = "huidig", "uitgeschreven", "alle"
STATUS_CHOICES = [
    (CURRENT, _l("Huidige leerlingen")),
    (LEFT, _l("Uitgeschreven leerlingen")),
    (ALL, _l("Alle leerlingen")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class StudentFilterForm(StyledFormMixin, forms.Form):
    """GET filters of the student list; anything unknown falls back to the defaults."""

    q = forms.CharField(
        label=_l("Zoek op naam, leerlingnummer of klas"), required=False, max_length=100
    )
    klas = forms.ChoiceField(label=_l("Klas"), required=False)
    status = forms.ChoiceField(label=_l("Leerlingen"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, classes: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["klas"].choices = [("", _l("Alle klassen"))] + [(c, c) for c in classes]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "klas": "", "status": CURRENT}
        data = self.cleaned_data
        return {
            # NUL bytes are dropped: PostgreSQL refuses them in a query parameter.
            "q": data["q"].replace("\x00", "").strip(),
            "klas": data["klas"],
            "status": data["status"] or CURRENT,
        }


def _label(name: str) -> str:
    return str(Student._meta.get_field(name).verbose_name).capitalize()


class StudentForm(StyledFormMixin, forms.Form):
    """A student's data; the rules themselves are checked by passend.students.services."""

    student_number = forms.CharField(max_length=20)
    first_name = forms.CharField(max_length=80)
    name_prefix = forms.CharField(max_length=20, required=False)
    last_name = forms.CharField(max_length=80)
    date_of_birth = forms.DateField(widget=DateInput)
    class_name = forms.CharField(max_length=20, required=False)
    year_of_study = forms.IntegerField(required=False)
    level = forms.CharField(
        max_length=40, required=False, help_text=_l("Bijvoorbeeld vmbo-bb, havo of vwo.")
    )
    mentor = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="code", empty_label=_l("– geen mentor –")
    )
    enrolled_on = forms.DateField(widget=DateInput)
    left_on = forms.DateField(
        widget=DateInput,
        required=False,
        help_text=_l("Alleen invullen als de leerling de school heeft verlaten."),
    )

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = _label(name)
        self.fields["mentor"].queryset = services.mentors_of(school)
        self.fields["mentor"].label_from_instance = lambda u: u.full_name or u.email

    @classmethod
    def initial_for(cls, student: Student) -> dict:
        initial = {name: getattr(student, name) for name in services.STUDENT_FIELDS}
        initial["mentor"] = student.mentor.code if student.mentor else None
        return initial


class GuardianForm(StyledFormMixin, forms.Form):
    """One guardian; a row without a name is left out (emptying a row removes the guardian)."""

    code = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_l("Naam"), max_length=150, required=False)
    relation = forms.ChoiceField(
        label=_l("Relatie"), choices=GuardianRelation.choices, initial=GuardianRelation.PARENT
    )
    has_authority = forms.BooleanField(label=_l("Heeft gezag"), required=False, initial=True)
    email = forms.EmailField(label=_l("E-mailadres"), required=False)
    phone = forms.CharField(label=_l("Telefoon"), max_length=30, required=False)

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or "").strip()

    def guardian_input(self) -> services.GuardianInput:
        data = self.cleaned_data
        return services.GuardianInput(
            name=data["name"].strip(),
            relation=data["relation"],
            has_authority=data["has_authority"],
            email=data["email"],
            phone=data["phone"].strip(),
            code=data["code"],
        )


GuardianFormSet = formset_factory(
    GuardianForm, extra=2, max_num=services.MAX_GUARDIANS, validate_max=True
)


def guardian_initial(student: Student | None) -> list[dict]:
    if student is None:
        return []
    return [
        {
            "code": str(g.code),
            "name": g.name,
            "relation": g.relation,
            "has_authority": g.has_authority,
            "email": g.email,
            "phone": g.phone,
        }
        for g in student.guardians.all()
    ]
