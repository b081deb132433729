"""Mutations of students (leerlingen) and their guardians: one function per action, each in a
transaction, checking the actor's right (the school's coordinator, passend.students.access
ROSTER_ROLES) and writing an audit event with codes only (never names or other personal data).

The field rules live here and are shared with the roster import (passend.students.roster):
a date of birth not in the future with a plausible age (8 to 25), a student number unique per
school, a leaving date not before the enrolment date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.accounts.access import scope_for
from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.audit.services import record
from passend.students import access
from passend.students.choices import GuardianRelation
from passend.students.models import Guardian, Student, age_on

#: The fields of a student a coordinator (or the roster) sets.
STUDENT_FIELDS = (
    "student_number",
    "first_name",
    "name_prefix",
    "last_name",
    "date_of_birth",
    "class_name",
    "year_of_study",
    "level",
    "mentor",
    "enrolled_on",
    "left_on",
)
MIN_AGE = 8
MAX_AGE = 25
#: Guardians per student (the edit page's formset and the roster's ouder1/ouder2 columns).
MAX_GUARDIANS = 6


def may_manage(user, school) -> bool:
    """Create and edit students, import the roster: the school's coordinator."""
    return school.pk in scope_for(user).school_ids(access.ROSTER_ROLES)


def mentors_of(school):
    """Users holding the mentor role at ``school`` today."""
    return User.objects.filter(
        pk__in=Membership.objects.current()
        .filter(school=school, role=Role.MENTOR)
        .values("user_id")
    ).order_by("full_name", "email")


# --- Field rules (shared with the roster import) -------------------------------------------------


def birth_date_problem(born: datetime.date | None, today: datetime.date) -> str | None:
    if born is None:
        return _("Vul de geboortedatum in.")
    if born > today:
        return _("De geboortedatum ligt in de toekomst.")
    age = age_on(born, today)
    if not MIN_AGE <= age <= MAX_AGE:
        return _(
            "Met deze geboortedatum is de leerling %(age)s jaar; verwacht %(min)s t/m %(max)s."
        ) % {
            "age": age,
            "min": MIN_AGE,
            "max": MAX_AGE,
        }
    return None


def year_problem(year) -> str | None:
    if year is not None and not 1 <= year <= 6:
        return _("Het leerjaar ligt tussen 1 en 6.")
    return None


def dates_problem(enrolled_on, left_on) -> str | None:
    if enrolled_on and left_on and left_on < enrolled_on:
        return _("De uitschrijfdatum ligt vóór de inschrijfdatum.")
    return None


LENGTHS = {
    "student_number": 20,
    "first_name": 80,
    "name_prefix": 20,
    "last_name": 80,
    "class_name": 20,
    "level": 40,
}


def _student_problems(school, data: dict, *, exclude_pk: int | None = None) -> dict:
    today = timezone.localdate()
    problems: dict[str, list[str]] = {}

    def add(name, text):
        if text:
            problems.setdefault(name, []).append(text)

    for name in ("student_number", "first_name", "last_name"):
        if not data.get(name):
            add(name, _("Dit veld is verplicht."))
    for name, limit in LENGTHS.items():
        if len(data.get(name) or "") > limit:
            add(name, _("Hoogstens %(n)s tekens.") % {"n": limit})
    add("date_of_birth", birth_date_problem(data.get("date_of_birth"), today))
    add("year_of_study", year_problem(data.get("year_of_study")))
    if not data.get("enrolled_on"):
        add("enrolled_on", _("Vul de inschrijfdatum in."))
    add("left_on", dates_problem(data.get("enrolled_on"), data.get("left_on")))
    mentor = data.get("mentor")
    if mentor is not None and not mentors_of(school).filter(pk=mentor.pk).exists():
        add("mentor", _("Kies een mentor van deze school."))
    number = data.get("student_number")
    if number:
        taken = Student.objects.filter(school=school, student_number=number)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            add("student_number", _("Dit leerlingnummer bestaat al op deze school."))
    return problems


# --- Guardians -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuardianInput:
    """One guardian row; ``code`` names an existing guardian of the student (edit page)."""

    name: str
    relation: str = GuardianRelation.PARENT
    has_authority: bool = True
    email: str = ""
    phone: str = ""
    code: str = ""


def _guardian_problems(guardians: list[GuardianInput]) -> list[str]:
    problems = []
    if len(guardians) > MAX_GUARDIANS:
        problems.append(_("Hoogstens %(n)s ouders/verzorgers.") % {"n": MAX_GUARDIANS})
    for number, g in enumerate(guardians, start=1):
        prefix = _("Ouder/verzorger %(n)s:") % {"n": number}
        if not g.name.strip() or len(g.name) > 150:
            problems.append(f"{prefix} {_('vul een naam in van hoogstens 150 tekens.')}")
        if g.relation not in GuardianRelation.values:
            problems.append(f"{prefix} {_('kies een relatie.')}")
        if g.email:
            try:
                validate_email(g.email)
            except ValidationError:
                problems.append(f"{prefix} {_('het e-mailadres is ongeldig.')}")
        if len(g.phone) > 30:
            problems.append(f"{prefix} {_('het telefoonnummer is te lang.')}")
    return problems


def protected_guardian_ids(guardian_ids) -> set[int]:
    """Guardians a consent refers to: they stay recorded (the consent's history needs them)."""
    from passend.caseload.models import Consent

    return set(
        Consent.objects.filter(guardian_id__in=guardian_ids).values_list("guardian_id", flat=True)
    )


def _write_guardians(student: Student, guardians: list[GuardianInput]) -> None:
    existing = {str(g.code): g for g in student.guardians.all()}
    keep: set[int] = set()
    for position, item in enumerate(guardians, start=1):
        guardian = existing.get(item.code) if item.code else None
        guardian = guardian or Guardian(student=student)
        guardian.name = item.name.strip()
        guardian.relation = item.relation
        guardian.has_authority = item.has_authority
        guardian.email = item.email.strip()
        guardian.phone = item.phone.strip()
        guardian.position = position
        guardian.save()
        keep.add(guardian.pk)
    removed = [g.pk for g in existing.values() if g.pk not in keep]
    if protected_guardian_ids(removed):
        raise ValidationError(
            _(
                "Een ouder/verzorger die toestemming heeft gegeven, kan niet worden verwijderd: "
                "de toestemming verwijst naar hem of haar."
            ),
            code="protected",
        )
    Guardian.objects.filter(pk__in=removed).delete()


# --- Students ------------------------------------------------------------------------------------


def _clean(fields: dict) -> dict:
    data = {name: fields.get(name) for name in STUDENT_FIELDS}
    for name in LENGTHS:
        data[name] = (data[name] or "").strip()
    return data


def _raise(problems: dict, guardian_problems: list[str]) -> None:
    if guardian_problems:
        problems = {**problems, "__all__": guardian_problems}
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def create_student(school, fields: dict, guardians: list[GuardianInput], *, acting_user):
    """A new student of ``school`` with guardians (the coordinator)."""
    if not may_manage(acting_user, school):
        raise PermissionDenied
    data = _clean(fields)
    _raise(_student_problems(school, data), _guardian_problems(guardians))
    student = Student.objects.create(partnership=school.partnership, school=school, **data)
    _write_guardians(student, guardians)
    record(
        "student.created",
        actor=acting_user,
        obj=student,
        guardians=len(guardians),
    )
    return student


@transaction.atomic
def update_student(student: Student, fields: dict, guardians: list[GuardianInput], *, acting_user):
    """Change a student's data and guardians (the coordinator); the audit names the changed
    fields, not their values."""
    if not may_manage(acting_user, student.school):
        raise PermissionDenied
    data = _clean(fields)
    _raise(
        _student_problems(student.school, data, exclude_pk=student.pk),
        _guardian_problems(guardians),
    )
    changed = [name for name, value in data.items() if getattr(student, name) != value]
    for name, value in data.items():
        setattr(student, name, value)
    student.save()
    _write_guardians(student, guardians)
    record(
        "student.updated",
        actor=acting_user,
        obj=student,
        fields=changed,
        guardians=len(guardians),
    )
    return student
