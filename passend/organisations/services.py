"""Mutations of the organisation model: the DUO import, and the SOT."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from passend.audit.services import record
from passend.organisations import duo
from passend.organisations.choices import EnrollmentSource
from passend.organisations.models import Enrollment, Partnership, School, SchoolBoard, SchoolYear

ProgressCallback = Callable[[str, int, int], None]


@dataclass
class ImportSummary:
    """What an import did, per kind of object: created/updated/unchanged/skipped (+ reasons)."""

    counts: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    partnership_created: bool = False

    def add(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def get(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]

    def lines(self) -> list[str]:
        out = []
        for kind in ("board", "school", "enrollment"):
            parts = [
                f"{outcome} {self.get(kind, outcome)}"
                for outcome in ("created", "updated", "unchanged", "skipped")
            ]
            out.append(f"{kind + 's':<12} " + ", ".join(parts))
        out.extend(f"skipped: {reason}" for reason in self.skipped)
        return out


def _apply(obj, values: dict) -> bool:
    """Set ``values`` on ``obj``; True when something changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def import_duo(
    *,
    locations: Path,
    partnership_number: str,
    partnership_name: str | None = None,
    municipalities: Iterable[str] = (),
    enrollments: Path | None = None,
    school_year: str | None = None,
    progress: ProgressCallback | None = None,
    acting_user=None,
) -> ImportSummary:
    """Import an SWV's DUO locations (selected by municipality) and optionally student counts.

    All files are read and validated before anything is written; the write is one transaction,
    so a bad file leaves the database unchanged. A second run updates, it never duplicates.
    Raises ``duo.DuoFileError`` (bad file) or ``ValueError`` (bad arguments).
    """
    wanted = {m for m in municipalities if m.strip()}
    location_table = duo.read_table(locations, duo.LOCATION_COLUMNS, duo.LOCATION_OPTIONAL)
    rows = list(duo.iter_matching(location_table.rows, wanted))
    enrollment_rows: list[dict[str, str]] = []
    start_year = None
    if enrollments is not None:
        if not school_year:
            raise ValueError("--school-year is required with --enrollments")
        start_year = SchoolYear.parse_name(school_year)
        table = duo.read_table(enrollments, duo.ENROLLMENT_COLUMNS, duo.ENROLLMENT_OPTIONAL)
        enrollment_rows = table.rows
        for number, row in enumerate(enrollment_rows, start=2):
            for column in ("student_count", "vavo_count"):
                if column in row:
                    try:
                        duo.parse_count(row[column])
                    except ValueError as error:
                        raise duo.DuoFileError(
                            f"{table.path.name}, line {number}: {error}"
                        ) from None
    for number, row in enumerate(rows, start=2):
        if not row["location_code"].startswith(row["institution_code"]) or not row["name"]:
            raise duo.DuoFileError(
                f"{location_table.path.name}: location {row['location_code']!r} "
                f"(row {number} of the selection) has an inconsistent code or no name"
            )

    summary = ImportSummary()
    with transaction.atomic():
        partnership = Partnership.objects.filter(duo_number=partnership_number).first()
        if partnership is None:
            if not partnership_name:
                raise ValueError(
                    f"partnership {partnership_number!r} does not exist; give --partnership-name"
                )
            partnership = Partnership.objects.create(
                duo_number=partnership_number, name=partnership_name
            )
            summary.partnership_created = True
            record("partnership.create", actor=acting_user, obj=partnership, source="duo")
        elif partnership_name and partnership.name != partnership_name:
            partnership.name = partnership_name
            partnership.save(update_fields=["name"])

        boards = {b.duo_number: b for b in SchoolBoard.objects.filter(
            duo_number__in={r["board_number"] for r in rows}
        )}
        schools = {s.location_code: s for s in School.objects.filter(
            location_code__in={r["location_code"] for r in rows}
        ).select_related("partnership")}
        total = len(rows)
        for index, row in enumerate(rows, start=1):
            board = boards.get(row["board_number"])
            if board is None:
                board = SchoolBoard.objects.create(duo_number=row["board_number"])
                boards[board.duo_number] = board
                summary.add("board", "created")
            values = {
                "board": board,
                "institution_code": row["institution_code"],
                "name": row["name"][:200],
                "street": " ".join(
                    p for p in (row.get("street", ""), row.get("house_number", "")) if p
                )[:200],
                "postcode": row.get("postcode", "")[:10],
                "town": row.get("town", "")[:100],
                "municipality": row["municipality"][:100],
                "education_structure": row.get("education_structure", "")[:100],
                "website": row.get("website", "")[:200],
            }
            school = schools.get(row["location_code"])
            if school is None:
                school = School.objects.create(
                    partnership=partnership, location_code=row["location_code"], **values
                )
                schools[school.location_code] = school
                summary.add("school", "created")
                record("school.create", actor=acting_user, obj=school, source="duo")
            elif school.partnership_id != partnership.pk:
                summary.add("school", "skipped")
                summary.skipped.append(
                    f"{row['location_code']} {row['name']}: belongs to {school.partnership.name}"
                )
            elif _apply(school, values):
                school.save()
                summary.add("school", "updated")
                record("school.update", actor=acting_user, obj=school, source="duo")
            else:
                summary.add("school", "unchanged")
            if progress:
                progress("locations", index, total)

        if enrollment_rows:
            _import_enrollments(partnership, enrollment_rows, start_year, summary, progress)
    return summary


def _import_enrollments(partnership, rows, start_year, summary, progress) -> None:
    school_year = SchoolYear.get_or_create_for_start_year(start_year)
    schools = {s.location_code: s for s in partnership.schools.all()}
    existing = {
        e.school_id: e
        for e in Enrollment.objects.filter(partnership=partnership, school_year=school_year)
    }
    count_date = date(start_year, 10, 1)
    total = len(rows)
    for index, row in enumerate(rows, start=1):
        school = schools.get(row["location_code"])
        if progress:
            progress("student counts", index, total)
        if school is None:
            continue  # a location outside this partnership's area
        count, suppressed = duo.parse_count(row["student_count"])
        vavo, vavo_suppressed = duo.parse_count(row.get("vavo_count", ""))
        values = {
            "student_count": count,
            "student_count_suppressed": suppressed,
            "vavo_count": vavo,
            "vavo_count_suppressed": vavo_suppressed,
            "source": EnrollmentSource.DUO,
            "count_date": count_date,
        }
        enrollment = existing.get(school.pk)
        if enrollment is None:
            Enrollment.objects.create(
                school=school, partnership=partnership, school_year=school_year, **values
            )
            summary.add("enrollment", "created")
        elif _apply(enrollment, values):
            enrollment.save()
            summary.add("enrollment", "updated")
        else:
            summary.add("enrollment", "unchanged")
    missing = sorted(set(schools) - {r["location_code"] for r in rows})
    for code in missing:
        summary.add("enrollment", "skipped")
        summary.skipped.append(f"{code} {schools[code].name}: no student count in the file")
