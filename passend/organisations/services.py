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
    warnings: list[str] = field(default_factory=list)
    partnership_created: bool = False
    partnership_updated: bool = False

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
        out.extend(f"warning: {warning}" for warning in self.warnings)
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
    wanted = [m.strip() for m in municipalities if m.strip()]
    if not wanted:
        raise ValueError("give at least one municipality (the partnership's area)")
    partnership_number = partnership_number.strip()
    partnership_name = (partnership_name or "").strip()
    if not partnership_number:
        raise ValueError("the partnership's DUO number is empty")
    start_year = SchoolYear.parse_name(school_year) if school_year else None
    if enrollments is not None and start_year is None:
        raise ValueError("--school-year is required with --enrollments")
    location_table = duo.read_table(locations, duo.LOCATION_COLUMNS, duo.LOCATION_OPTIONAL)
    rows = list(duo.iter_matching(location_table.rows, wanted))
    enrollment_rows: list[dict[str, str]] = []
    if enrollments is not None:
        table = duo.read_table(enrollments, duo.ENROLLMENT_COLUMNS, duo.ENROLLMENT_OPTIONAL)
        enrollment_rows = table.rows
        for row in enrollment_rows:
            for column in ("student_count", "vavo_count"):
                if column in row:
                    try:
                        duo.parse_count(row[column])
                    except ValueError as error:
                        raise duo.DuoFileError(
                            f"{table.path.name}, line {row[duo.LINE]}: {error}"
                        ) from None
    _check_locations(location_table.path, rows)
    found = {duo.normalise_municipality(r["municipality"]) for r in rows}
    unmatched = [m for m in wanted if duo.normalise_municipality(m) not in found]
    if not rows:
        raise ValueError(
            f"{location_table.path.name} lists no location in municipality "
            f"{', '.join(repr(m) for m in unmatched)}; check the spelling"
        )

    summary = ImportSummary()
    summary.warnings.extend(
        f"{location_table.path.name} lists no location in municipality {m!r}" for m in unmatched
    )
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
            old_name, partnership.name = partnership.name, partnership_name
            partnership.save(update_fields=["name"])
            summary.partnership_updated = True
            record(
                "partnership.update",
                actor=acting_user,
                obj=partnership,
                source="duo",
                old_name=old_name,
            )

        boards = {
            b.duo_number: b
            for b in SchoolBoard.objects.filter(duo_number__in={r["board_number"] for r in rows})
        }
        schools = {
            s.location_code: s
            for s in School.objects.filter(
                location_code__in={r["location_code"] for r in rows}
            ).select_related("partnership")
        }
        # The file names a board by number only: an existing board is always unchanged.
        summary.counts[("board", "unchanged")] += len(boards)
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

        if enrollments is not None:
            _import_enrollments(
                partnership, table.path.name, enrollment_rows, start_year, summary, progress
            )
            changed = summary.get("enrollment", "created") + summary.get("enrollment", "updated")
            if changed:
                # Student counts are audited per import, not per row: one event names the file,
                # the school year and what changed (a re-import that changes nothing adds none).
                record(
                    "enrollment.import",
                    actor=acting_user,
                    partnership=partnership,
                    source="duo",
                    file=table.path.name,
                    school_year=SchoolYear.name_for_start_year(start_year),
                    created=summary.get("enrollment", "created"),
                    updated=summary.get("enrollment", "updated"),
                )
    return summary


def _check_locations(path: Path, rows: list[dict[str, str]]) -> None:
    """The selected location rows must fit the model: DuoFileError before anything is written."""
    seen: dict[str, str] = {}
    for row in rows:
        where = f"{path.name}, line {row[duo.LINE]}"
        institution, location = row["institution_code"], row["location_code"]
        if not (len(institution) == 4 and len(location) == 6 and location.startswith(institution)):
            raise duo.DuoFileError(
                f"{where}: location code {location!r} does not extend institution code "
                f"{institution!r} (expected 4 and 6 characters, like 02CI and 02CI00)"
            )
        if not row["name"]:
            raise duo.DuoFileError(f"{where}: location {location} has no name")
        board = row["board_number"]
        if not board or len(board) > SchoolBoard._meta.get_field("duo_number").max_length:
            raise duo.DuoFileError(f"{where}: bad board number {board!r} for {location}")
        if location in seen:
            raise duo.DuoFileError(
                f"{where}: location {location} is listed twice (also on line {seen[location]})"
            )
        seen[location] = row[duo.LINE]


def _import_enrollments(partnership, filename, rows, start_year, summary, progress) -> None:
    school_year = SchoolYear.get_or_create_for_start_year(start_year)
    schools = {s.location_code: s for s in partnership.schools.all()}
    # Keyed by school: a count recorded while the school belonged to another partnership is
    # still this school's one count for the year (unique per school and year).
    existing = {
        e.school_id: e
        for e in Enrollment.objects.filter(school__partnership=partnership, school_year=school_year)
    }
    count_date = date(start_year, 10, 1)
    total = len(rows)
    seen: dict[str, str] = {}
    for index, row in enumerate(rows, start=1):
        school = schools.get(row["location_code"])
        if progress:
            progress("student counts", index, total)
        if school is None:
            continue  # a location outside this partnership's area
        if school.location_code in seen:
            raise duo.DuoFileError(
                f"{filename}, line {row[duo.LINE]}: location {school.location_code} has a "
                f"second student count (also on line {seen[school.location_code]})"
            )
        seen[school.location_code] = row[duo.LINE]
        count, suppressed = duo.parse_count(row["student_count"])
        # Without the VAVO column the number is unknown (NULL), not 0.
        vavo, vavo_suppressed = (
            duo.parse_count(row["vavo_count"]) if "vavo_count" in row else (None, False)
        )
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
