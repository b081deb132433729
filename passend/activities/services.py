"""Mutations of the activity log: one function per action, each in a transaction, checking that
the BPO may log at the school (passend.activities.access.loggable_schools) and writing the audit
event. Bulk entry and CSV import are all-or-nothing: every row is checked first, and nothing is
written while one row is bad."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from passend.activities.access import loggable_schools
from passend.activities.choices import TaskArea
from passend.activities.models import Activity
from passend.audit.services import record
from passend.organisations.models import SchoolYear

MIN_HOURS = Decimal("0.25")
MAX_HOURS = Decimal("12")
FUTURE_DAYS = 7
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 2 * 1024 * 1024
SUB_AREA_MAX = 200
NOTE_MAX = 500


@dataclass
class Row:
    """One activity to be written (bulk entry, import), already parsed."""

    date: date
    school: object
    hours: Decimal
    area: str
    sub_area: str = ""
    note: str = ""


def latest_allowed_date() -> date:
    return timezone.localdate() + timedelta(days=FUTURE_DAYS)


def earliest_allowed_date() -> date:
    """The first day of the previous school year: older time is not logged any more (and no
    school year rows are created for arbitrary dates)."""
    return date(SchoolYear.start_year_of(timezone.localdate()) - 1, 8, 1)


def problems_of(
    *, date_value, hours, area, sub_area="", note="", school=None, allowed_ids=None
) -> list[str]:
    """What is wrong with one activity (empty when it may be written)."""
    problems: list[str] = []
    if date_value is not None and date_value > latest_allowed_date():
        problems.append(
            _("de datum ligt meer dan %(days)s dagen in de toekomst") % {"days": FUTURE_DAYS}
        )
    if date_value is not None and date_value < earliest_allowed_date():
        problems.append(_("de datum ligt voor het begin van het vorige schooljaar"))
    if hours is not None:
        if hours < MIN_HOURS or hours > MAX_HOURS:
            problems.append(_("het aantal uren moet tussen 0,25 en 12 liggen"))
        elif hours != hours.quantize(Decimal("0.01")):
            problems.append(_("gebruik hoogstens twee decimalen voor de uren"))
    if area not in TaskArea.values:
        problems.append(_("onbekend taakgebied"))
    for text, limit in ((sub_area, SUB_AREA_MAX), (note, NOTE_MAX)):
        if "\x00" in text:
            problems.append(_("de tekst bevat een ongeldig teken"))
        if len(text) > limit:
            problems.append(_("de tekst is langer dan %(n)s tekens") % {"n": limit})
    if school is not None and allowed_ids is not None and school.pk not in allowed_ids:
        problems.append(_("u kunt voor deze school geen activiteiten vastleggen"))
    return problems


def _allowed_ids(bpo) -> set[int]:
    return set(loggable_schools(bpo).values_list("pk", flat=True))


def _years_for(dates) -> dict[int, SchoolYear]:
    """The school year per start year, resolved once per distinct year."""
    return {
        y: SchoolYear.get_or_create_for_start_year(y)
        for y in {SchoolYear.start_year_of(d) for d in dates}
    }


def _check_actor(bpo, acting_user) -> None:
    if acting_user is None or acting_user.pk != bpo.pk:
        raise PermissionDenied


def log_activity(*, bpo, school, date, hours, area, sub_area="", note="", acting_user) -> Activity:
    _check_actor(bpo, acting_user)
    hours = Decimal(hours)
    problems = problems_of(
        date_value=date,
        hours=hours,
        area=area,
        sub_area=sub_area,
        note=note,
        school=school,
        allowed_ids=_allowed_ids(bpo),
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        activity = Activity.objects.create(
            partnership_id=school.partnership_id,
            school=school,
            school_year=SchoolYear.get_or_create_for_start_year(SchoolYear.start_year_of(date)),
            bpo=bpo,
            date=date,
            hours=hours,
            area=area,
            sub_area=sub_area,
            note=note,
        )
        record("activity.logged", actor=acting_user, obj=activity, school=school)
    return activity


def update_activity(
    activity: Activity, *, school, date, hours, area, sub_area="", note="", acting_user
) -> Activity:
    _check_actor(activity.bpo, acting_user)
    hours = Decimal(hours)
    problems = problems_of(
        date_value=date,
        hours=hours,
        area=area,
        sub_area=sub_area,
        note=note,
        school=school,
        allowed_ids=_allowed_ids(activity.bpo),
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        activity.partnership_id = school.partnership_id
        activity.school = school
        activity.school_year = SchoolYear.get_or_create_for_start_year(
            SchoolYear.start_year_of(date)
        )
        activity.date = date
        activity.hours = hours
        activity.area = area
        activity.sub_area = sub_area
        activity.note = note
        activity.save()
        record("activity.updated", actor=acting_user, obj=activity, school=school)
    return activity


def delete_activity(activity: Activity, *, acting_user) -> None:
    _check_actor(activity.bpo, acting_user)
    with transaction.atomic():
        record("activity.deleted", actor=acting_user, obj=activity, school=activity.school)
        activity.delete()


def _write_rows(*, bpo, rows: list[Row], acting_user, action: str) -> int:
    years = _years_for(r.date for r in rows)
    with transaction.atomic():
        Activity.objects.bulk_create(
            [
                Activity(
                    partnership_id=r.school.partnership_id,
                    school=r.school,
                    school_year=years[SchoolYear.start_year_of(r.date)],
                    bpo=bpo,
                    date=r.date,
                    hours=r.hours,
                    area=r.area,
                    sub_area=r.sub_area,
                    note=r.note,
                )
                for r in rows
            ]
        )
        partnership = rows[0].school.partnership if rows else None
        record(action, actor=acting_user, partnership=partnership, count=len(rows))
    return len(rows)


def log_week(*, bpo, rows: list[Row], acting_user) -> int:
    """Write all ``rows`` or none: a ValidationError with ``{index: [problems]}`` otherwise
    (index = position in ``rows``, 0-based) as ``error.params['rows']``."""
    _check_actor(bpo, acting_user)
    allowed = _allowed_ids(bpo)
    by_row: dict[int, list[str]] = {}
    for index, row in enumerate(rows):
        problems = problems_of(
            date_value=row.date,
            hours=row.hours,
            area=row.area,
            sub_area=row.sub_area,
            note=row.note,
            school=row.school,
            allowed_ids=allowed,
        )
        if problems:
            by_row[index] = problems
    if by_row:
        raise ValidationError(
            _("Niets opgeslagen: %(n)s regel(s) bevatten fouten.") % {"n": len(by_row)},
            params={"rows": by_row},
        )
    if not rows:
        raise ValidationError(_("Vul ten minste één regel in."))
    return _write_rows(bpo=bpo, rows=rows, acting_user=acting_user, action="activity.week_logged")


# --- CSV import ----------------------------------------------------------------------------------

COLUMNS = ["datum", "school", "taakgebied", "uren", "onderdeel", "notitie"]


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _parse_date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_hours(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if text.count(".") > 1 or not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _area_lookup() -> dict[str, str]:
    """Task areas by code, by Dutch label and by the label in the current language."""
    lookup: dict[str, str] = {}
    for value, label in TaskArea.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    with translation.override("nl"):
        for value, label in TaskArea.choices:
            lookup[str(label).lower()] = value
    return lookup


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") else ","


@dataclass
class ImportResult:
    count: int
    hours: Decimal
    school_year: SchoolYear


def import_csv(*, bpo, raw_bytes: bytes, acting_user, school_year: SchoolYear | None = None):
    """Import activities from a spreadsheet export for ``school_year`` (default: the current).

    Columns: datum;school (vestigingscode);taakgebied;uren;onderdeel;notitie — a header line is
    recognised by its first cell "datum". All rows are checked first; a ValidationError lists
    every problem as "regel N: reden" and nothing is written.
    """
    _check_actor(bpo, acting_user)
    if len(raw_bytes) > MAX_IMPORT_BYTES:
        raise ValidationError(_("Het bestand is te groot (hoogstens 2 MB)."))
    if b"\x00" in raw_bytes:
        raise ValidationError(_("Dit is geen tekstbestand (CSV)."))
    year = school_year or SchoolYear.current()
    text = _decode(raw_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    schools = {
        s.location_code.upper(): s for s in loggable_schools(bpo).select_related("partnership")
    }
    areas = _area_lookup()
    latest = latest_allowed_date()
    errors: list[str] = []
    rows: list[Row] = []
    try:
        lines = list(reader)
    except csv.Error:
        raise ValidationError(_("Het bestand kan niet als CSV worden gelezen.")) from None
    for number, cells in enumerate(lines, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() == "datum":
            continue
        if len(rows) + len(errors) >= MAX_IMPORT_ROWS:
            raise ValidationError(
                _("Te veel regels: hoogstens %(n)s per bestand.") % {"n": MAX_IMPORT_ROWS}
            )
        cells += [""] * (len(COLUMNS) - len(cells))
        day_text, school_text, area_text, hours_text, sub_area, note = cells[:6]
        reasons: list[str] = []
        day = _parse_date(day_text)
        if day is None:
            reasons.append(_("ongeldige datum “%(v)s”") % {"v": day_text[:40]})
        elif not (year.start <= day <= year.end):
            reasons.append(
                _("datum %(d)s valt buiten schooljaar %(y)s") % {"d": day_text, "y": year.name}
            )
        elif day > latest:
            reasons.append(
                _("de datum ligt meer dan %(days)s dagen in de toekomst") % {"days": FUTURE_DAYS}
            )
        school = schools.get(school_text.upper())
        if school is None:
            reasons.append(
                _("onbekende school “%(v)s” (of u werkt daar niet)") % {"v": school_text[:40]}
            )
        area = areas.get(area_text.lower())
        if area is None:
            reasons.append(_("onbekend taakgebied “%(v)s”") % {"v": area_text[:40]})
        hours = _parse_hours(hours_text)
        if hours is None:
            reasons.append(_("ongeldig aantal uren “%(v)s”") % {"v": hours_text[:40]})
        elif hours < 0:
            reasons.append(_("negatieve duur"))
        reasons += problems_of(
            date_value=None,
            hours=hours if hours is not None and hours >= 0 else None,
            area=area or TaskArea.STUDENT,
            sub_area=sub_area,
            note=note,
        )
        if reasons:
            errors.append(
                _("regel %(n)s: %(reasons)s") % {"n": number, "reasons": "; ".join(reasons)}
            )
        else:
            rows.append(Row(day, school, hours, area, sub_area, note))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Het bestand bevat geen activiteiten."))
    _write_rows(bpo=bpo, rows=rows, acting_user=acting_user, action="activity.imported")
    return ImportResult(
        count=len(rows), hours=sum((r.hours for r in rows), Decimal(0)), school_year=year
    )
