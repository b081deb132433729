"""The SWV directory (overzicht van ondersteuningscoördinatoren en bpo'ers, seed 000 §5): per
school its coordinators and BPOs with their contact details and hours, and its exports.

Who is listed: current coordinator and bpo roles at the partnership's schools, and everyone with
an assignment at one of them in the current school year that has not ended. Hours per week are
the sum of those assignments of the person at that school; a BPO+ assignment (expertise at
another school on request) is marked. A school without anyone gets a row of its own, so gaps show.

Who may read or maintain it is decided by the caller (passend.staffing.access); the builders here
cost a fixed number of queries, whatever the number of schools or people.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.organisations.models import School, SchoolYear
from passend.quality.reports import _text_cell, spreadsheet_safe
from passend.staffing.choices import AssignmentKind
from passend.staffing.models import BpoAssignment

LISTED_ROLES = (Role.COORDINATOR, Role.BPO)


def format_hours(value: Decimal) -> str:
    """Hours as people write them: 8, 8,5 (Dutch) or 8.5 (English); no trailing zeros."""
    return number_format(value.normalize() if value % 1 else int(value))


@dataclass
class DirectoryRow:
    """One person at one school (``user`` None: the school has no one listed)."""

    school: School
    user: User | None = None
    roles: set[str] = field(default_factory=set)
    hours: Decimal | None = None
    has_plus: bool = False
    has_regular: bool = False

    @property
    def role_labels(self) -> list[str]:
        labels = []
        if Role.COORDINATOR in self.roles:
            labels.append(str(Role.COORDINATOR.label))
        if Role.BPO in self.roles or self.has_regular:
            labels.append(_("Bpo'er"))
        if self.has_plus:
            labels.append(_("BPO+"))
        return labels

    @property
    def role_display(self) -> str:
        return ", ".join(self.role_labels)

    @property
    def hours_display(self) -> str:
        if self.hours is None:
            return ""
        return format_hours(self.hours)

    def matches(self, query: str) -> bool:
        haystack = [self.school.name]
        if self.user is not None:
            haystack += [self.user.full_name, self.user.email]
        return any(query in text.casefold() for text in haystack)


@dataclass
class Directory:
    partnership: object
    school_year: SchoolYear
    rows: list[DirectoryRow]
    query: str = ""

    @property
    def people(self) -> int:
        return len({row.user.pk for row in self.rows if row.user is not None})

    @property
    def schools(self) -> int:
        return len({row.school.pk for row in self.rows})


def listed_people(partnership, school_year: SchoolYear | None = None) -> QuerySet:
    """The users the partnership's directory lists (for the office's contact edit)."""
    school_year = school_year or SchoolYear.current()
    via_roles = (
        Membership.objects.current()
        .filter(partnership=partnership, role__in=LISTED_ROLES, school__isnull=False)
        .values("user_id")
    )
    via_assignments = (
        BpoAssignment.objects.filter(school__partnership=partnership, school_year=school_year)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .values("bpo_id")
    )
    return User.objects.filter(pk__in=via_roles) | User.objects.filter(pk__in=via_assignments)


def build_directory(partnership, *, query: str = "", school_year=None) -> Directory:
    """The directory of ``partnership``: three queries (schools, roles, assignments)."""
    school_year = school_year or SchoolYear.current()
    schools = list(School.objects.filter(partnership=partnership).order_by("name", "location_code"))
    rows: dict[int, dict[int, DirectoryRow]] = {school.pk: {} for school in schools}
    memberships = (
        Membership.objects.current()
        .filter(partnership=partnership, role__in=LISTED_ROLES, school__isnull=False)
        .select_related("user")
        .order_by()
    )
    by_school = {school.pk: school for school in schools}
    for membership in memberships:
        school = by_school.get(membership.school_id)
        if school is None:
            continue
        row = rows[school.pk].setdefault(
            membership.user_id, DirectoryRow(school=school, user=membership.user)
        )
        row.roles.add(membership.role)
    assignments = (
        BpoAssignment.objects.filter(school__partnership=partnership, school_year=school_year)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .select_related("bpo")
        .order_by()
    )
    for assignment in assignments:
        school = by_school.get(assignment.school_id)
        if school is None:
            continue
        row = rows[school.pk].setdefault(
            assignment.bpo_id, DirectoryRow(school=school, user=assignment.bpo)
        )
        row.hours = (row.hours or Decimal("0")) + assignment.hours_per_week
        if assignment.kind == AssignmentKind.PLUS:
            row.has_plus = True
        else:
            row.has_regular = True

    def order(row: DirectoryRow):
        coordinator_first = 0 if Role.COORDINATOR in row.roles else 1
        return (coordinator_first, row.user.full_name.casefold(), row.user.email)

    result: list[DirectoryRow] = []
    needle = query.strip().casefold()
    for school in schools:
        people = sorted(rows[school.pk].values(), key=order)
        school_rows = people or [DirectoryRow(school=school)]
        if needle:
            school_rows = [r for r in school_rows if r.matches(needle)]
        result.extend(school_rows)
    return Directory(partnership=partnership, school_year=school_year, rows=result, query=query)


# --- Exports -------------------------------------------------------------------------------------


def header() -> list[str]:
    return [
        _("School"),
        _("Vestigingscode"),
        _("Naam"),
        _("Rol"),
        _("E-mailadres"),
        _("Telefoonnummer"),
        _("Uren per week"),
    ]


def _values(row: DirectoryRow) -> list[str]:
    user = row.user
    return [
        row.school.name,
        row.school.location_code,
        user.full_name if user else "",
        row.role_display,
        user.email if user else "",
        user.phone if user else "",
    ]


def export_filename(directory: Directory, extension: str) -> str:
    stem = slugify(f"overzicht bpo {directory.partnership.name} {directory.school_year.name}")
    return f"{stem}.{extension}"


def directory_csv(directory: Directory) -> bytes:
    """The rows as CSV for Dutch Excel: UTF-8 with BOM, semicolons, CRLF, decimal comma; text
    that a spreadsheet would run as a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header())
    for row in directory.rows:
        hours = "" if row.hours is None else str(row.hours.normalize()).replace(".", ",")
        writer.writerow([spreadsheet_safe(value) for value in _values(row)] + [hours])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def directory_xlsx(directory: Directory) -> bytes:
    """The rows as an Excel workbook (frozen header, filter); hours as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.properties.title = _("Overzicht ondersteuningscoördinatoren en bpo'ers")
    workbook.properties.creator = "passend"
    sheet = workbook.active
    sheet.title = _("Overzicht")
    bold = Font(bold=True)
    columns = header()
    for column, value in enumerate(columns, start=1):
        _text_cell(sheet, 1, column, value).font = bold
    for number, row in enumerate(directory.rows, start=2):
        for column, value in enumerate(_values(row), start=1):
            _text_cell(sheet, number, column, value)
        if row.hours is not None:
            cell = sheet.cell(row=number, column=len(columns), value=float(row.hours))
            cell.number_format = "0.00"
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(directory.rows) + 1)}"
    for column, width in enumerate([36, 14, 28, 30, 34, 18, 14], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Maintenance by the office -------------------------------------------------------------------


def get_listed_person(partnership, user_code) -> User:
    """A person the partnership's directory lists (404 for anyone else)."""
    from django.http import Http404

    from passend.accounts.access import _parse_code

    person = listed_people(partnership).filter(code=_parse_code(user_code)).first()
    if person is None:
        raise Http404
    return person


def update_contact(
    person: User, *, partnership, full_name: str, phone: str, acting_user, request=None
) -> User:
    """The office (or partnership_admin) corrects a listed person's name and phone number."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from passend.accounts.access import scope_for
    from passend.audit.services import record
    from passend.staffing.access import DIRECTORY_MAINTAIN_ROLES

    if partnership.pk not in scope_for(acting_user).partnership_ids(DIRECTORY_MAINTAIN_ROLES):
        raise PermissionDenied
    if not listed_people(partnership).filter(pk=person.pk).exists():
        raise PermissionDenied
    values = {"full_name": full_name.strip(), "phone": phone.strip()}
    with transaction.atomic():
        changed = [name for name, value in values.items() if getattr(person, name) != value]
        if changed:
            for name in changed:
                setattr(person, name, values[name])
            person.clean_fields(
                exclude=[f.name for f in person._meta.fields if f.name not in changed]
            )
            person.save(update_fields=changed)
            record(
                "directory.contact_update",
                actor=acting_user,
                obj=person,
                partnership=partnership,
                request=request,
                fields=changed,
            )
    return person
