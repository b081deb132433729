"""Hours policy and allocation (urenbeleid en urentoekenning, seed 001: "de toekenning van uren
van de BPO is gerelateerd aan het leerlingenaantal van de vestiging").

The formula (``HoursPolicy``), per school location and per week::

    hours = base_hours + hours_per_unit × students / students_per_unit

rounded to the NEAREST whole number of half-days of ``half_day_hours``; a result exactly halfway
between two half-days rounds UP (in the school's favour: 10 hours with half-days of 4 hours is
2.5 half-days → 3 half-days = 12 hours). After rounding, the result is at least
``minimum_hours`` (the minimum itself is not rounded). All arithmetic is exact ``Decimal``;
no float is ever involved.

Which student count: the school's ``Enrollment`` (DUO count of 1 October) for the policy's
school year; without one, the most recent earlier one (the table says "telling 2024-2025").

- A suppressed count (DUO publishes ``<5``, stored as ``student_count_suppressed``) counts as
  0 students for the per-student part: the real number is unknown, below 5, and guessing it
  would put an invented number into a budget. The base hours still apply, so such a location
  gets the base hours rounded to half-days (and at least the minimum). The page marks the row
  with a footnote.
- A location without any count gets the same: the base hours (0 students), marked.

Reading this module's table costs a fixed number of queries (schools with their counts,
assignments, allocations), whatever the number of schools. Who may read or change it is decided
by the caller through passend.staffing.access.get_partnership_for_hours; ``save_policy`` checks
the edit right itself.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, Inexact, localcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from passend.accounts.access import scope_for
from passend.audit.services import record
from passend.organisations.models import Enrollment, Partnership, School, SchoolYear
from passend.staffing.access import HOURS_EDIT_ROLES
from passend.staffing.choices import AssignmentKind
from passend.staffing.models import BpoAssignment, HoursAllocation, HoursPolicy

#: Above this many hours per week for one location the formula is surely mistyped (5 FTE).
MAX_HOURS_PER_SCHOOL = Decimal("200")
CENT = Decimal("0.01")
ZERO = Decimal("0")

# --- The formula ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """The parameters of an hours policy, without the database."""

    base_hours: Decimal
    hours_per_unit: Decimal
    students_per_unit: int
    half_day_hours: Decimal
    minimum_hours: Decimal

    FIELDS = (
        "base_hours",
        "hours_per_unit",
        "students_per_unit",
        "half_day_hours",
        "minimum_hours",
    )

    @classmethod
    def of(cls, policy: HoursPolicy) -> Formula:
        return cls(**{name: getattr(policy, name) for name in cls.FIELDS})

    @classmethod
    def default(cls) -> Formula:
        """The model's defaults: 4 hours per location + 1 hour per 100 students, half-days of
        4 hours, no minimum."""
        return cls(**{name: HoursPolicy._meta.get_field(name).get_default() for name in cls.FIELDS})

    def as_dict(self) -> dict[str, str]:
        """For the audit log (JSON): every value as text, e.g. ``{"base_hours": "4.00"}``."""
        return {name: str(getattr(self, name)) for name in self.FIELDS}

    def problems(self) -> dict[str, str]:
        """What makes this formula unusable, per field (empty when it can be applied)."""
        problems = {}
        for name in ("base_hours", "hours_per_unit", "minimum_hours"):
            if getattr(self, name) < 0:
                problems[name] = _("Vul een getal van 0 of meer in.")
        if self.students_per_unit < 1:
            problems["students_per_unit"] = _("Vul een aantal leerlingen van 1 of meer in.")
        if self.half_day_hours <= 0:
            problems["half_day_hours"] = _("Een dagdeel duurt langer dan 0 uur.")
        return problems


def counted_students(student_count: int | None, suppressed: bool) -> int:
    """The number of students the formula uses: a suppressed ``<5`` count and a missing count
    are 0 (see the module docstring); otherwise the count."""
    if suppressed or student_count is None:
        return 0
    return student_count


def compute_hours(formula: Formula, students: int) -> Decimal:
    """Hours per week for a location with ``students`` students (a pure function).

    ``raw / half_day = (base × per + hours_per_unit × students) / (per × half_day)`` is a
    quotient of two exact decimals; the nearest whole number of half-days with halves up is
    ``floor(q + ½) = (2n + d) // 2d``, computed exactly (``Inexact`` is trapped, so a result
    that could not be exact raises instead of rounding silently).
    """
    if students < 0:
        raise ValueError("a student count is never negative")
    if problems := formula.problems():
        raise ValueError(f"the formula cannot be applied: {problems}")
    with localcontext() as context:
        context.prec = 60
        context.traps[Inexact] = True
        per = Decimal(formula.students_per_unit)
        numerator = formula.base_hours * per + formula.hours_per_unit * students
        denominator = per * formula.half_day_hours
        half_days = (2 * numerator + denominator) // (2 * denominator)
        hours = half_days * formula.half_day_hours
    return max(hours, formula.minimum_hours).quantize(CENT)


def format_hours(value: Decimal | None) -> str:
    """Hours as people write them: 20, 8,5 (Dutch) or 8.5 (English); '' for None."""
    if value is None:
        return ""
    return number_format(value.normalize() if value % 1 else int(value))


def formula_text(formula: Formula) -> str:
    """The formula in words, as the page shows it."""
    text = _(
        "%(base)s uur per vestiging + %(per)s uur per %(students)s leerlingen, afgerond op hele "
        "dagdelen van %(half)s uur (een half dagdeel naar boven)"
    ) % {
        "base": format_hours(formula.base_hours),
        "per": format_hours(formula.hours_per_unit),
        "students": number_format(formula.students_per_unit),
        "half": format_hours(formula.half_day_hours),
    }
    if formula.minimum_hours > 0:
        text += _(", minimaal %(minimum)s uur") % {"minimum": format_hours(formula.minimum_hours)}
    return text + "."


# --- The table -----------------------------------------------------------------------------------


@dataclass
class SchoolHours:
    """One location in the table: its count, stored allocation, assigned and BPO+ hours, and in a
    preview the allocation the new formula would give."""

    school: School
    school_year_name: str
    student_count: int | None
    suppressed: bool
    #: The school year of the count used; None: the school has no count at all.
    count_year: str | None
    allocated: Decimal | None = None
    #: The count the stored allocation was computed from (for "berekend met …").
    allocated_count: int | None = None
    allocated_suppressed: bool = False
    assigned: Decimal = ZERO
    plus: Decimal = ZERO
    new: Decimal | None = None
    #: Average hours per week logged in the activity log so far this school year (None: none).
    spent: Decimal | None = None

    @property
    def has_count(self) -> bool:
        return self.count_year is not None

    @property
    def is_fallback(self) -> bool:
        """The count is from an earlier school year than the policy's."""
        return self.has_count and self.count_year != self.school_year_name

    @property
    def students(self) -> int:
        return counted_students(self.student_count, self.suppressed)

    @property
    def count_display(self) -> str:
        if not self.has_count:
            return ""
        if self.suppressed:
            return "<5"
        return number_format(self.student_count or 0)

    @property
    def allocated_from_other_count(self) -> bool:
        """The stored allocation was computed from another count than the one now in use
        (e.g. a newer DUO import): a reason to save the policy again."""
        if self.allocated is None:
            return False
        return (self.allocated_count, self.allocated_suppressed) != (
            None if self.suppressed else self.student_count,
            self.suppressed,
        )

    @property
    def difference(self) -> Decimal | None:
        """Allocated − assigned (regular hours): positive means hours still to assign."""
        if self.allocated is None:
            return None
        return self.allocated - self.assigned

    @property
    def difference_state(self) -> str:
        difference = self.difference
        if difference is None:
            return ""
        return "open" if difference > 0 else "over" if difference < 0 else "even"

    @property
    def difference_text(self) -> str:
        """The difference in words (never colour alone)."""
        return difference_text(self.difference)

    @property
    def change(self) -> Decimal | None:
        if self.new is None:
            return None
        return self.new - (self.allocated or ZERO)

    # Display strings (the template has no number filter of its own).
    @property
    def allocated_display(self) -> str:
        return format_hours(self.allocated)

    @property
    def assigned_display(self) -> str:
        return format_hours(self.assigned)

    @property
    def plus_display(self) -> str:
        return format_hours(self.plus)

    @property
    def new_display(self) -> str:
        return format_hours(self.new)

    @property
    def spent_display(self) -> str:
        return format_hours(self.spent)

    @property
    def allocated_count_display(self) -> str:
        if self.allocated_suppressed:
            return "<5"
        return number_format(self.allocated_count) if self.allocated_count is not None else "–"


def difference_text(difference: Decimal | None) -> str:
    if difference is None:
        return ""
    if difference > 0:
        return _("%(hours)s uur nog niet ingezet") % {"hours": format_hours(difference)}
    if difference < 0:
        return _("%(hours)s uur meer ingezet dan toegekend") % {"hours": format_hours(-difference)}
    return _("gelijk")


@dataclass
class PlusLine:
    school_name: str
    hours: Decimal
    note: str = ""

    @property
    def hours_display(self) -> str:
        return format_hours(self.hours)


@dataclass
class PlusPerson:
    """A BPO who gives BPO+ hours: their own schools (regular) and the BPO+ per school."""

    name: str
    home: list[PlusLine] = field(default_factory=list)
    lines: list[PlusLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.hours for line in self.lines), ZERO)

    @property
    def total_display(self) -> str:
        return format_hours(self.total)


@dataclass
class HoursTable:
    partnership: Partnership
    school_year: SchoolYear
    policy: HoursPolicy | None
    rows: list[SchoolHours]
    plus_people: list[PlusPerson]
    reference_date: date
    preview: Formula | None = None

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(r, name) or ZERO for r in self.rows), ZERO)

    @property
    def total_allocated(self) -> Decimal:
        return self._sum("allocated")

    @property
    def total_assigned(self) -> Decimal:
        return self._sum("assigned")

    @property
    def total_plus(self) -> Decimal:
        return self._sum("plus")

    @property
    def total_spent(self) -> Decimal:
        return self._sum("spent")

    @property
    def total_new(self) -> Decimal | None:
        return self._sum("new") if self.preview is not None else None

    @property
    def total_difference(self) -> Decimal:
        return self.total_allocated - self.total_assigned

    @property
    def total_difference_text(self) -> str:
        return difference_text(self.total_difference)

    @property
    def total_students(self) -> int:
        return sum(r.students for r in self.rows)

    @property
    def totals_display(self) -> dict[str, str]:
        return {
            "students": number_format(self.total_students),
            "allocated": format_hours(self.total_allocated),
            "assigned": format_hours(self.total_assigned),
            "plus": format_hours(self.total_plus),
            "new": format_hours(self.total_new),
            "spent": format_hours(self.total_spent),
            "difference": self.total_difference_text,
            "difference_state": (
                "open"
                if self.total_difference > 0
                else "over"
                if self.total_difference < 0
                else "even"
            ),
        }

    @property
    def missing_allocation(self) -> list[SchoolHours]:
        """Schools without a stored allocation although the year has a policy (added since)."""
        if self.policy is None:
            return []
        return [r for r in self.rows if r.allocated is None]

    @property
    def has_fallback(self) -> bool:
        return any(r.is_fallback for r in self.rows)

    @property
    def has_suppressed(self) -> bool:
        return any(r.suppressed for r in self.rows)

    @property
    def has_no_count(self) -> bool:
        return any(not r.has_count for r in self.rows)


def school_year_for(name: str) -> SchoolYear:
    """The school year called ``name`` (``2025-2026``), unsaved when it has no row yet (a GET
    never creates one). ValueError for a malformed name or a year far from now."""
    start = SchoolYear.parse_name(name)
    current = SchoolYear.start_year_of(timezone.localdate())
    if not 2000 <= start <= current + 5:
        raise ValueError(f"school year out of range: {name!r}")
    existing = SchoolYear.objects.filter(start=date(start, 8, 1)).first()
    if existing is not None:
        return existing
    return SchoolYear(
        name=SchoolYear.name_for_start_year(start),
        start=date(start, 8, 1),
        end=date(start + 1, 7, 31),
    )


def get_policy(partnership, school_year: SchoolYear) -> HoursPolicy | None:
    if school_year.pk is None:
        return None
    return HoursPolicy.objects.filter(partnership=partnership, school_year=school_year).first()


def previous_policy(partnership, school_year: SchoolYear) -> HoursPolicy | None:
    """The most recent policy of an earlier school year (the starting point of a new one)."""
    return (
        HoursPolicy.objects.filter(
            partnership=partnership, school_year__start__lt=school_year.start
        )
        .select_related("school_year")
        .order_by("-school_year__start")
        .first()
    )


def schools_with_counts(partnership, school_year: SchoolYear):
    """The partnership's schools, each annotated with the count the formula uses (ONE query):
    ``hours_count``, ``hours_suppressed`` and ``hours_count_year`` (None: no count at all)."""
    latest = Enrollment.objects.filter(
        school=OuterRef("pk"), school_year__start__lte=school_year.start
    ).order_by("-school_year__start")
    return (
        School.objects.filter(partnership=partnership)
        .annotate(
            hours_count=Subquery(latest.values("student_count")[:1]),
            hours_suppressed=Subquery(latest.values("student_count_suppressed")[:1]),
            hours_count_year=Subquery(latest.values("school_year__name")[:1]),
        )
        .order_by("name", "location_code")
    )


def reference_date(school_year: SchoolYear, today: date | None = None) -> date:
    """The day whose running assignments count as 'assigned': today within the year, the last
    day for a past year, the first day for a future one."""
    today = today or timezone.localdate()
    return min(max(today, school_year.start), school_year.end)


def _assignments(partnership, school_year: SchoolYear, on: date):
    """The year's assignments at the partnership's schools still running on ``on`` (ONE query);
    an assignment that ended before (a BPO who was replaced) is not counted twice."""
    if school_year.pk is None:
        return []
    return list(
        BpoAssignment.objects.filter(school__partnership=partnership, school_year=school_year)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("bpo__full_name", "school__name", "pk")
        .values_list(
            "school_id",
            "kind",
            "hours_per_week",
            "bpo_id",
            "bpo__full_name",
            "school__name",
            "request_note",
        )
    )


def build_table(
    partnership, school_year: SchoolYear, *, policy=None, preview: Formula | None = None
) -> HoursTable:
    """The hours table of ``partnership`` in ``school_year``: four queries (schools with their
    counts, assignments, allocations, hours spent per school from the activity log), whatever the
    number of schools.

    ``policy``: the year's policy (the caller has it already); ``preview``: a formula whose
    allocation is computed alongside the stored one (nothing is written).
    """
    on = reference_date(school_year)
    rows = [
        SchoolHours(
            school=school,
            school_year_name=school_year.name,
            student_count=school.hours_count,
            suppressed=bool(school.hours_suppressed),
            count_year=school.hours_count_year,
        )
        for school in schools_with_counts(partnership, school_year)
    ]
    by_school = {row.school.pk: row for row in rows}

    people: dict[int, PlusPerson] = {}
    homes: dict[int, list[PlusLine]] = defaultdict(list)
    for school_id, kind, hours, bpo_id, bpo_name, school_name, note in _assignments(
        partnership, school_year, on
    ):
        row = by_school.get(school_id)
        if kind == AssignmentKind.PLUS:
            if row is not None:
                row.plus += hours
            person = people.setdefault(bpo_id, PlusPerson(name=bpo_name))
            person.lines.append(PlusLine(school_name, hours, note))
        else:
            if row is not None:
                row.assigned += hours
            homes[bpo_id].append(PlusLine(school_name, hours))
    for bpo_id, person in people.items():
        person.home = homes.get(bpo_id, [])

    if policy is not None:
        for school_id, hours, count, suppressed in HoursAllocation.objects.filter(
            policy=policy
        ).values_list("school_id", "hours", "student_count", "student_count_suppressed"):
            row = by_school.get(school_id)
            if row is not None:
                row.allocated = hours
                row.allocated_count = count
                row.allocated_suppressed = suppressed
    from passend.activities.totals import spent_per_week

    for school_id, spent in spent_per_week(partnership, school_year, on).items():
        if school_id in by_school:
            by_school[school_id].spent = spent
    if preview is not None:
        for row in rows:
            row.new = compute_hours(preview, row.students)
    return HoursTable(
        partnership=partnership,
        school_year=school_year,
        policy=policy,
        rows=rows,
        plus_people=sorted(people.values(), key=lambda p: p.name.casefold()),
        reference_date=on,
        preview=preview,
    )


def check_allocation(rows) -> None:
    """ValidationError when the formula gives a location an impossible number of hours."""
    too_many = [row for row in rows if row.new is not None and row.new > MAX_HOURS_PER_SCHOOL]
    if too_many:
        row = max(too_many, key=lambda r: r.new)
        raise ValidationError(
            _(
                "Met deze formule krijgt %(school)s %(hours)s uur per week; meer dan "
                "%(max)s uur per vestiging kan niet. Controleer de getallen."
            )
            % {
                "school": row.school.name,
                "hours": format_hours(row.new),
                "max": format_hours(MAX_HOURS_PER_SCHOOL),
            }
        )


# --- Saving --------------------------------------------------------------------------------------


def can_edit(user, partnership) -> bool:
    return partnership.pk in scope_for(user).partnership_ids(HOURS_EDIT_ROLES)


def save_policy(
    partnership, school_year: SchoolYear, formula: Formula, *, acting_user, request=None
) -> HoursPolicy:
    """Write the year's policy (create or update) and replace its allocation rows, in ONE
    transaction, with an audit event naming the old and the new parameters.

    ``acting_user`` None means the system (the demo). Raises PermissionDenied without the edit
    right, ValidationError for an unusable formula (nothing is written then).
    """
    if acting_user is not None and not can_edit(acting_user, partnership):
        raise PermissionDenied
    if problems := formula.problems():
        raise ValidationError(problems)
    with transaction.atomic():
        # One save at a time per partnership (PostgreSQL row lock; SQLite serialises writers).
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        if school_year.pk is None:
            school_year = SchoolYear.get_or_create_for_start_year(school_year.start.year)
        policy = get_policy(partnership, school_year)
        table = build_table(partnership, school_year, policy=policy, preview=formula)
        check_allocation(table.rows)
        old = Formula.of(policy).as_dict() if policy is not None else None
        old_total = str(table.total_allocated) if policy is not None else None
        if policy is None:
            policy = HoursPolicy(partnership=partnership, school_year=school_year)
        for name in Formula.FIELDS:
            setattr(policy, name, getattr(formula, name))
        policy.full_clean(validate_unique=False)
        policy.save()
        policy.allocations.all().delete()
        HoursAllocation.objects.bulk_create(
            [
                HoursAllocation(
                    policy=policy,
                    partnership=partnership,
                    school=row.school,
                    student_count=None if row.suppressed else row.student_count,
                    student_count_suppressed=row.suppressed,
                    hours=row.new,
                )
                for row in table.rows
            ]
        )
        record(
            "hours_policy.save",
            actor=acting_user,
            obj=policy,
            partnership=partnership,
            request=request,
            school_year=school_year.name,
            old=old,
            new=formula.as_dict(),
            old_total=old_total,
            new_total=str(table.total_new),
            schools=len(table.rows),
        )
    return policy


# --- Export --------------------------------------------------------------------------------------


def export_filename(table: HoursTable, extension: str) -> str:
    stem = slugify(f"urentoekenning {table.partnership.name} {table.school_year.name}")
    return f"{stem}.{extension}"


def _count_note(row: SchoolHours) -> str:
    if not row.has_count:
        return _("geen telling: alleen basisuren")
    notes = []
    if row.suppressed:
        notes.append(_("<5: geteld als 0 leerlingen"))
    if row.is_fallback:
        notes.append(_("telling %(year)s") % {"year": row.count_year})
    return "; ".join(notes)


def hours_xlsx(table: HoursTable) -> bytes:
    """The table as an Excel workbook: per school (with totals) and the BPO+ hours per BPO.
    Numbers are numbers; text cells are forced to text (no formula injection)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from passend.quality.reports import _text_cell

    workbook = Workbook()
    workbook.properties.title = _("Urentoekenning %(partnership)s %(year)s") % {
        "partnership": table.partnership.name,
        "year": table.school_year.name,
    }
    workbook.properties.creator = "passend"
    bold = Font(bold=True)

    sheet = workbook.active
    sheet.title = _("Uren per school")
    header = [
        _("School"),
        _("Vestigingscode"),
        _("Leerlingen"),
        _("Toelichting telling"),
        _("Toegekend (uur/week)"),
        _("Ingezet (uur/week)"),
        _("BPO+ ontvangen (uur/week)"),
        _("Verschil toegekend − ingezet"),
        _("Besteed (gemiddeld uur/week)"),
    ]
    for column, value in enumerate(header, start=1):
        _text_cell(sheet, 1, column, value).font = bold

    def number(value: Decimal | None):
        """Hours as a number cell (openpyxl writes Decimal as a number; no float involved)."""
        if value is None:
            return None
        return int(value) if value % 1 == 0 else value.normalize()

    for line, row in enumerate(table.rows, start=2):
        values = [
            row.school.name,
            row.school.location_code,
            row.student_count if row.has_count and not row.suppressed else row.count_display,
            _count_note(row),
            number(row.allocated),
            number(row.assigned),
            number(row.plus),
            number(row.difference),
            number(row.spent),
        ]
        for column, value in enumerate(values, start=1):
            _text_cell(sheet, line, column, value)
    total_line = len(table.rows) + 2
    totals = [
        _("Totaal"),
        "",
        table.total_students,
        "",
        number(table.total_allocated),
        number(table.total_assigned),
        number(table.total_plus),
        number(table.total_difference),
        number(table.total_spent),
    ]
    for column, value in enumerate(totals, start=1):
        _text_cell(sheet, total_line, column, value).font = bold
    sheet.freeze_panes = "B2"
    for column, width in enumerate([45, 15, 12, 32, 18, 18, 22, 24, 10], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    plus = workbook.create_sheet(_("BPO+ per bpo'er"))
    for column, value in enumerate(
        [_("Bpo'er"), _("School (BPO+)"), _("Uur per week"), _("Verzoek")], start=1
    ):
        _text_cell(plus, 1, column, value).font = bold
    line = 2
    for person in table.plus_people:
        for item in person.lines:
            for column, value in enumerate(
                [person.name, item.school_name, number(item.hours), item.note], start=1
            ):
                _text_cell(plus, line, column, value)
            line += 1
    for column, width in enumerate([30, 45, 14, 50], start=1):
        plus.column_dimensions[get_column_letter(column)].width = width

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
