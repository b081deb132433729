"""Behaviour of ``passend import-duo``: DUO open data into partnership, boards, schools, counts.

Every expected number is computed from the shipped files with the csv module, never hard-coded.
Modified copies (other encodings, quoting, headers, damage) are written to ``tmp_path``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import passend.organisations
from passend.audit.models import AuditEvent
from passend.organisations.models import Enrollment, Partnership, School, SchoolBoard, SchoolYear
from tests import factories

DUO_DIR = Path(passend.organisations.__file__).parent / "data" / "duo"
LOCATIONS = DUO_DIR / "alle-vestigingen-vo.csv"
ENROLLMENTS = {
    2024: DUO_DIR / "leerlingen-vo-per-vestiging-2024.csv",
    2025: DUO_DIR / "leerlingen-vo-per-vestiging-2025.csv",
}
NUMBER = "VO 28-12"
NAME = "SWV VO Drechtsteden"
SUMMARY_LINE = re.compile(
    r"^(?P<kind>boards|schools|enrollments)\s+created (?P<created>\d+), updated (?P<updated>\d+), "
    r"unchanged (?P<unchanged>\d+), skipped (?P<skipped>\d+)$",
    re.MULTILINE,
)
VAVO = "AANTAL VO LEERLINGEN UITBESTEED AAN VAVO"
COUNT = "AANTAL LEERLINGEN"


# --- reading the files independently of the importer -------------------------------------------


def read_csv(path: Path, encoding: str = "utf-8") -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding=encoding) as f:
        header, *rows = list(csv.reader(f, delimiter=";"))
    return header, rows


def dict_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter=";"))


def write_csv(
    path: Path, header, rows, *, quoting=csv.QUOTE_MINIMAL, encoding="utf-8", newline="\n"
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=quoting, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def municipality_rows(municipality: str, path: Path = LOCATIONS) -> list[dict[str, str]]:
    """The file's rows for one municipality spelled as in the file (capitals)."""
    return [r for r in dict_rows(path) if r["GEMEENTENAAM"].strip() == municipality]


def expected_schools(*municipalities: str) -> dict[str, dict[str, str]]:
    """location code -> the values the import should store, straight from the original file."""
    expected = {}
    for municipality in municipalities:
        for r in municipality_rows(municipality):
            expected[r["VESTIGINGSCODE"]] = {
                "board": r["BEVOEGD GEZAG NUMMER"].strip(),
                "institution_code": r["INSTELLINGSCODE"].strip(),
                "name": r["VESTIGINGSNAAM"].strip(),
                "street": " ".join(
                    p for p in (r["STRAATNAAM"].strip(), r["HUISNUMMER-TOEVOEGING"].strip()) if p
                ),
                "postcode": r["POSTCODE"].strip(),
                "town": r["PLAATSNAAM"].strip(),
                "municipality": r["GEMEENTENAAM"].strip(),
                "education_structure": r["ONDERWIJSSTRUCTUUR"].strip(),
                "website": r["INTERNETADRES"].strip(),
            }
    return expected


def stored_schools() -> dict[str, dict[str, str]]:
    return {
        s.location_code: {
            "board": s.board.duo_number,
            "institution_code": s.institution_code,
            "name": s.name,
            "street": s.street,
            "postcode": s.postcode,
            "town": s.town,
            "municipality": s.municipality,
            "education_structure": s.education_structure,
            "website": s.website,
        }
        for s in School.objects.select_related("board")
    }


def stored_enrollments() -> dict[tuple[str, str], tuple]:
    return {
        (e.school.location_code, e.school_year.name): (
            e.student_count,
            e.student_count_suppressed,
            e.vavo_count,
            e.vavo_count_suppressed,
            e.count_date,
            e.partnership.duo_number,
        )
        for e in Enrollment.objects.select_related("school", "school_year", "partnership")
    }


def expected_count(value: str) -> tuple[int | None, bool]:
    value = value.strip()
    return (None, True) if value == "<5" else (int(value), False)


def db_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Partnership, SchoolBoard, School, Enrollment, SchoolYear, AuditEvent)
    }


NOTHING = dict.fromkeys(
    ("Partnership", "SchoolBoard", "School", "Enrollment", "SchoolYear", "AuditEvent"), 0
)


# --- running the command ---------------------------------------------------------------------


def run(
    locations: Path = LOCATIONS,
    *municipalities: str,
    enrollments: Path | None = None,
    school_year: str | None = None,
    partnership: str = NUMBER,
    name: str | None = NAME,
) -> str:
    args = ["import-duo", "--locations", str(locations), "--partnership", partnership]
    if name is not None:
        args += ["--partnership-name", name]
    for municipality in municipalities or ("Dordrecht",):
        args += ["--municipality", municipality]
    if enrollments is not None:
        args += ["--enrollments", str(enrollments)]
    if school_year is not None:
        args += ["--school-year", school_year]
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def summary(output: str) -> dict[str, dict[str, int]]:
    found = {
        m["kind"]: {k: int(m[k]) for k in ("created", "updated", "unchanged", "skipped")}
        for m in SUMMARY_LINE.finditer(output)
    }
    assert set(found) == {"boards", "schools", "enrollments"}, output
    return found


def fails(*args, **kwargs) -> str:
    """Run the import expecting CommandError; its message."""
    with pytest.raises(CommandError) as caught:
        run(*args, **kwargs)
    return str(caught.value)


# --- 1. importing one municipality -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["Dordrecht", "dordrecht", "DORDRECHT", "  dOrDrEcHt "])
def test_imports_every_location_of_the_municipality(spelling):
    expected = expected_schools("DORDRECHT")
    assert expected, "the shipped file lists Dordrecht locations"

    output = run(LOCATIONS, spelling)

    assert School.objects.count() == len(expected)
    assert stored_schools() == expected
    partnership = Partnership.objects.get()
    assert (partnership.duo_number, partnership.name) == (NUMBER, NAME)
    assert set(School.objects.values_list("partnership", flat=True)) == {partnership.pk}
    boards = {v["board"] for v in expected.values()}
    assert set(SchoolBoard.objects.values_list("duo_number", flat=True)) == boards
    assert f"partnership {NUMBER} created" in output
    assert summary(output)["schools"] == {
        "created": len(expected),
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }
    assert summary(output)["boards"]["created"] == len(boards)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("partnership.create") == 1
    assert actions.count("school.create") == len(expected)


@pytest.mark.django_db
def test_several_municipalities_are_imported_together():
    names = ("DORDRECHT", "ZWIJNDRECHT", "PAPENDRECHT")
    expected = expected_schools(*names)
    assert all(municipality_rows(n) for n in names)

    run(LOCATIONS, "Dordrecht", "Zwijndrecht", "Papendrecht")

    assert stored_schools() == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spelling", "in_file"),
    [
        ("'s-Gravenhage", "S GRAVENHAGE"),  # the student files' spelling
        ("Noardeast-Fryslân", "NOARDEAST-FRYSLAN"),
        ("noardeast fryslan", "NOARDEAST-FRYSLAN"),
        ("Pijnacker-Nootdorp", "PIJNACKER-NOOTDORP"),
    ],
)
def test_official_municipality_spellings_match_the_capitals_of_the_file(spelling, in_file):
    expected = expected_schools(in_file)
    assert expected

    run(LOCATIONS, spelling)

    assert stored_schools() == expected


@pytest.mark.django_db
def test_a_partnership_that_exists_is_used_and_no_name_is_needed():
    existing = factories.partnership(duo_number=NUMBER, name="Bestaand SWV")

    output = run(LOCATIONS, "Dordrecht", name=None)

    assert Partnership.objects.get() == existing
    assert Partnership.objects.get().name == "Bestaand SWV"
    assert "partnership" not in output
    assert School.objects.filter(partnership=existing).count() == len(expected_schools("DORDRECHT"))


@pytest.mark.django_db
def test_a_missing_partnership_without_a_name_is_an_error_and_writes_nothing():
    message = fails(LOCATIONS, "Dordrecht", name=None)

    assert "--partnership-name" in message
    assert db_counts() == NOTHING


# --- 2. idempotence ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_identical_run_creates_nothing_and_reports_everything_unchanged():
    expected = expected_schools("DORDRECHT")
    boards = {v["board"] for v in expected.values()}
    first = run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")
    after_first = db_counts()
    enrollments_first = stored_enrollments()

    second = run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")

    assert db_counts() == after_first
    assert stored_enrollments() == enrollments_first
    assert "partnership" not in second
    assert summary(first)["schools"]["created"] == len(expected)
    assert summary(second) == {
        "boards": {"created": 0, "updated": 0, "unchanged": len(boards), "skipped": 0},
        "schools": {"created": 0, "updated": 0, "unchanged": len(expected), "skipped": 0},
        "enrollments": {"created": 0, "updated": 0, "unchanged": len(expected), "skipped": 0},
    }


@pytest.mark.django_db
def test_a_changed_name_is_reported_as_updated(tmp_path):
    header, rows = read_csv(LOCATIONS)
    code, name = header.index("VESTIGINGSCODE"), header.index("VESTIGINGSNAAM")
    target = sorted(expected_schools("DORDRECHT"))[0]
    for row in rows:
        if row[code] == target:
            row[name] = "Nieuwe Naam College"
    changed = write_csv(tmp_path / "alle-vestigingen-vo.csv", header, rows)
    run(LOCATIONS, "Dordrecht")
    events = AuditEvent.objects.count()

    output = run(changed, "Dordrecht")

    total = len(expected_schools("DORDRECHT"))
    assert summary(output)["schools"] == {
        "created": 0,
        "updated": 1,
        "unchanged": total - 1,
        "skipped": 0,
    }
    assert School.objects.get(location_code=target).name == "Nieuwe Naam College"
    assert School.objects.count() == total
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("pk").action == "school.update"


# --- 3. student counts ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "school_year"), [(2025, "2025-2026"), (2024, "2024-2025")])
def test_each_school_gets_the_files_student_count(year, school_year):
    expected = expected_schools("DORDRECHT")
    counts = {r["VESTIGINGSCODE"]: r for r in dict_rows(ENROLLMENTS[year])}
    assert set(expected) <= set(counts), "the student file covers Dordrecht's locations"
    assert any(counts[c][VAVO] == "<5" for c in expected), "a suppressed VAVO count to store"

    output = run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[year], school_year=school_year)

    assert stored_enrollments() == {
        (c, school_year): (
            *expected_count(counts[c][COUNT]),
            *expected_count(counts[c][VAVO]),
            date(year, 10, 1),
            NUMBER,
        )
        for c in expected
    }
    # The file lists every location in the country; only the partnership's schools are counted.
    assert len(counts) > len(expected)
    assert Enrollment.objects.count() == len(expected)
    assert summary(output)["enrollments"] == {
        "created": len(expected),
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }


@pytest.mark.django_db
def test_suppressed_main_and_vavo_counts_are_stored_as_suppressed(tmp_path):
    header, rows = read_csv(ENROLLMENTS[2025])
    code, count, vavo = (header.index(c) for c in ("VESTIGINGSCODE", COUNT, VAVO))
    first, second = sorted(expected_schools("DORDRECHT"))[:2]
    for row in rows:
        if row[code] == first:
            row[count] = "<5"
            row[vavo] = "<5"
        elif row[code] == second:
            row[count] = "<5"
            row[vavo] = "7"
    copy = write_csv(tmp_path / "leerlingen.csv", header, rows, quoting=csv.QUOTE_ALL)

    run(LOCATIONS, "Dordrecht", enrollments=copy, school_year="2025-2026")

    one = Enrollment.objects.get(school__location_code=first)
    assert (one.student_count, one.student_count_suppressed) == (None, True)
    assert (one.vavo_count, one.vavo_count_suppressed) == (None, True)
    assert one.display_count == "<5"
    two = Enrollment.objects.get(school__location_code=second)
    assert (two.student_count, two.student_count_suppressed) == (None, True)
    assert (two.vavo_count, two.vavo_count_suppressed) == (7, False)


@pytest.mark.django_db
def test_counts_of_two_years_are_kept_apart_and_a_changed_count_is_updated(tmp_path):
    expected = expected_schools("DORDRECHT")
    run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2024], school_year="2024-2025")
    run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")
    assert Enrollment.objects.count() == 2 * len(expected)

    header, rows = read_csv(ENROLLMENTS[2025])
    code, count = header.index("VESTIGINGSCODE"), header.index(COUNT)
    target = sorted(expected)[0]
    original = next(int(r[count]) for r in rows if r[code] == target)
    for row in rows:
        if row[code] == target:
            row[count] = str(original + 1)
    corrected = write_csv(tmp_path / "leerlingen.csv", header, rows)

    output = run(LOCATIONS, "Dordrecht", enrollments=corrected, school_year="2025-2026")

    assert summary(output)["enrollments"] == {
        "created": 0,
        "updated": 1,
        "unchanged": len(expected) - 1,
        "skipped": 0,
    }
    enrollment = Enrollment.objects.get(school__location_code=target, school_year__name="2025-2026")
    assert enrollment.student_count == original + 1
    assert Enrollment.objects.get(
        school__location_code=target, school_year__name="2024-2025"
    ).count_date == date(2024, 10, 1)


@pytest.mark.django_db
def test_a_school_without_a_count_in_the_file_is_reported_as_skipped(tmp_path):
    header, rows = read_csv(ENROLLMENTS[2025])
    code = header.index("VESTIGINGSCODE")
    target = sorted(expected_schools("DORDRECHT"))[0]
    copy = write_csv(tmp_path / "leerlingen.csv", header, [r for r in rows if r[code] != target])

    output = run(LOCATIONS, "Dordrecht", enrollments=copy, school_year="2025-2026")

    assert summary(output)["enrollments"]["skipped"] == 1
    assert re.search(rf"^skipped: {target} .*no student count", output, re.MULTILINE)
    assert not Enrollment.objects.filter(school__location_code=target).exists()


# --- 4. format variants -----------------------------------------------------------------------


def _original_text() -> str:
    return LOCATIONS.read_text(encoding="utf-8")


def _old_headers(text: str) -> str:
    head, rest = text.split("\n", 1)
    head = head.replace("INSTELLINGSCODE", "BRIN NUMMER").replace(
        "VESTIGINGSCODE", "VESTIGINGSNUMMER"
    )
    return f"{head}\n{rest}"


def _quoted(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _short_location_numbers(text: str) -> str:
    """Old releases: BRIN NUMMER ``02CI``, VESTIGINGSNUMMER ``01`` (the number alone)."""
    header, *rows = list(csv.reader(io.StringIO(_old_headers(text), newline=""), delimiter=";"))
    code = header.index("VESTIGINGSNUMMER")
    for row in rows:
        row[code] = row[code][4:]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


LOCATION_VARIANTS = {
    "latin1-crlf": lambda: _original_text().replace("\n", "\r\n").encode("cp1252"),
    "fully-quoted": lambda: _quoted(_original_text()).encode("utf-8"),
    "old-headers": lambda: _old_headers(_original_text()).encode("utf-8"),
    "utf8-bom": lambda: b"\xef\xbb\xbf" + LOCATIONS.read_bytes(),
    "utf8-bom-crlf": lambda: b"\xef\xbb\xbf" + _original_text().replace("\n", "\r\n").encode(),
    "duo-download": lambda: _old_headers(_original_text()).replace("\n", "\r\n").encode("cp1252"),
    "quoted-latin1": lambda: _quoted(_original_text()).encode("cp1252"),
    "short-location-numbers": lambda: _short_location_numbers(_original_text()).encode("utf-8"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("variant", sorted(LOCATION_VARIANTS))
def test_format_variants_give_the_same_result_as_the_original(variant, tmp_path):
    # S GRAVENHAGE has a name with a character outside ASCII (and outside Latin-1 proper: ‘).
    names = ("DORDRECHT", "S GRAVENHAGE")
    expected = expected_schools(*names)
    assert any(not v["name"].isascii() for v in expected.values())
    copy = tmp_path / "alle-vestigingen-vo.csv"
    copy.write_bytes(LOCATION_VARIANTS[variant]())
    assert copy.read_bytes() != LOCATIONS.read_bytes()

    run(copy, *names)

    assert stored_schools() == expected
    # And the original on top of it changes nothing.
    again = summary(run(LOCATIONS, *names))
    assert again["schools"] == {
        "created": 0,
        "updated": 0,
        "unchanged": len(expected),
        "skipped": 0,
    }


def _enrollment_text() -> str:
    return ENROLLMENTS[2025].read_text(encoding="utf-8")


ENROLLMENT_VARIANTS = {
    "latin1-crlf": lambda: _enrollment_text().replace("\n", "\r\n").encode("cp1252"),
    "unquoted": lambda: _unquoted(_enrollment_text()).encode("utf-8"),
    "old-headers-bom": lambda: b"\xef\xbb\xbf" + _old_headers(_enrollment_text()).encode(),
}


def _unquoted(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("variant", sorted(ENROLLMENT_VARIANTS))
def test_student_file_variants_give_the_same_counts(variant, tmp_path):
    run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")
    original = stored_enrollments()
    Enrollment.objects.all().delete()
    copy = tmp_path / "leerlingen.csv"
    copy.write_bytes(ENROLLMENT_VARIANTS[variant]())
    assert copy.read_bytes() != ENROLLMENTS[2025].read_bytes()

    run(LOCATIONS, "Dordrecht", enrollments=copy, school_year="2025-2026")

    assert stored_enrollments() == original
    assert len(original) == len(expected_schools("DORDRECHT"))


# --- 5. damaged files: a clear error, nothing written --------------------------------------------


def _drop_column(name: str) -> bytes:
    header, rows = read_csv(LOCATIONS)
    index = header.index(name)
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(
        [[c for i, c in enumerate(r) if i != index] for r in [header, *rows]]
    )
    return out.getvalue().encode()


def _insert_middle(raw: bytes, garbage: bytes) -> bytes:
    middle = len(raw) // 2
    return raw[:middle] + garbage + raw[middle:]


DAMAGED_LOCATIONS = {
    "GEMEENTENAAM dropped": (lambda: _drop_column("GEMEENTENAAM"), ["missing", "GEMEENTENAAM"]),
    "GEMEENTENAAM renamed": (
        lambda: LOCATIONS.read_bytes().replace(b";GEMEENTENAAM;", b";GEMEENTE;", 1),
        ["missing", "GEMEENTENAAM"],
    ),
    "VESTIGINGSCODE dropped": (
        lambda: _drop_column("VESTIGINGSCODE"),
        ["missing", "VESTIGINGSCODE"],
    ),
    "BEVOEGD GEZAG NUMMER dropped": (
        lambda: _drop_column("BEVOEGD GEZAG NUMMER"),
        ["missing", "BEVOEGD GEZAG NUMMER"],
    ),
    "undefined cp1252 bytes": (
        lambda: _insert_middle(LOCATIONS.read_bytes(), b"\x00\x81\x8d"),
        ["not text", "0x81"],
    ),
    "NUL byte": (lambda: _insert_middle(LOCATIONS.read_bytes(), b"\x00"), ["not text", "0x00"]),
    "control bytes in UTF-8": (
        lambda: _insert_middle(LOCATIONS.read_bytes(), b"\x01\x02\x03"),
        ["not text", "0x01"],
    ),
    "control byte in Latin-1": (
        lambda: _insert_middle(_original_text().encode("cp1252"), b"\x1a"),
        ["not text", "0x1A"],
    ),
    "UTF-16": (lambda: _original_text().encode("utf-16"), ["not text"]),
    "zip archive": (
        lambda: b"PK\x03\x04\x14\x00\x08\x08\x08\x00" + bytes(range(256)),
        ["not text"],
    ),
    "empty": (lambda: b"", ["empty"]),
    "truncated": (lambda: LOCATIONS.read_bytes()[:-200], ["line", "fields"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("damage", sorted(DAMAGED_LOCATIONS))
def test_a_damaged_locations_file_is_rejected_and_nothing_is_written(damage, tmp_path):
    make, words = DAMAGED_LOCATIONS[damage]
    copy = tmp_path / "alle-vestigingen-vo.csv"
    copy.write_bytes(make())

    message = fails(copy, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")

    for word in words:
        assert word in message
    assert "alle-vestigingen-vo.csv" in message
    assert "nothing was written" in message
    assert db_counts() == NOTHING


def _enrollments_with(column: str, value: str) -> tuple[list[str], list[list[str]], int]:
    """A copy of the 2025 student file with ``value`` in ``column`` of a Dordrecht school; the
    line number of that row."""
    header, rows = read_csv(ENROLLMENTS[2025])
    code, index = header.index("VESTIGINGSCODE"), header.index(column)
    target = sorted(expected_schools("DORDRECHT"))[0]
    position = next(i for i, r in enumerate(rows) if r[code] == target)
    rows[position][index] = value
    return header, rows, position + 2  # header on line 1, no blank or multi-line rows


@pytest.mark.django_db
@pytest.mark.parametrize(("column", "value"), [(COUNT, "veel"), (COUNT, "-3"), (VAVO, "12a")])
def test_a_non_numeric_count_writes_nothing_not_even_the_locations(column, value, tmp_path):
    header, rows, line = _enrollments_with(column, value)
    copy = write_csv(tmp_path / "leerlingen.csv", header, rows, quoting=csv.QUOTE_ALL)

    message = fails(LOCATIONS, "Dordrecht", enrollments=copy, school_year="2025-2026")

    assert f"leerlingen.csv, line {line}" in message
    assert value in message
    assert db_counts() == NOTHING


@pytest.mark.django_db
def test_a_damaged_student_file_leaves_an_earlier_import_untouched(tmp_path):
    run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")
    before, schools, enrollments = db_counts(), stored_schools(), stored_enrollments()
    header, rows = read_csv(LOCATIONS)
    code, name = header.index("VESTIGINGSCODE"), header.index("VESTIGINGSNAAM")
    for row in rows:
        if row[code] in schools:
            row[name] = "Anders"
    renamed = write_csv(tmp_path / "alle-vestigingen-vo.csv", header, rows)
    damaged = tmp_path / "leerlingen.csv"
    damaged.write_bytes(_insert_middle(ENROLLMENTS[2025].read_bytes(), b"\x00\x81\x8d"))

    message = fails(renamed, "Dordrecht", enrollments=damaged, school_year="2025-2026")

    assert "leerlingen.csv" in message and "not text" in message
    assert (db_counts(), stored_schools(), stored_enrollments()) == (before, schools, enrollments)


@pytest.mark.django_db
def test_a_student_file_without_the_count_column_is_rejected(tmp_path):
    copy = tmp_path / "leerlingen.csv"
    copy.write_bytes(ENROLLMENTS[2025].read_bytes().replace(b'"AANTAL LEERLINGEN"', b'"AANTAL"', 1))

    message = fails(LOCATIONS, "Dordrecht", enrollments=copy, school_year="2025-2026")

    assert "missing" in message and "AANTAL LEERLINGEN" in message
    assert db_counts() == NOTHING


@pytest.mark.django_db
def test_a_location_listed_twice_is_rejected(tmp_path):
    header, rows = read_csv(LOCATIONS)
    code = header.index("VESTIGINGSCODE")
    target = sorted(expected_schools("DORDRECHT"))[0]
    rows.append(next(list(r) for r in rows if r[code] == target))
    copy = write_csv(tmp_path / "alle-vestigingen-vo.csv", header, rows)

    message = fails(copy, "Dordrecht")

    assert target in message and "twice" in message
    assert db_counts() == NOTHING


@pytest.mark.django_db
def test_a_location_with_a_second_count_is_rejected(tmp_path):
    header, rows = read_csv(ENROLLMENTS[2025])
    code = header.index("VESTIGINGSCODE")
    target = sorted(expected_schools("DORDRECHT"))[0]
    rows.append(next(list(r) for r in rows if r[code] == target))
    copy = write_csv(tmp_path / "leerlingen.csv", header, rows)

    message = fails(LOCATIONS, "Dordrecht", enrollments=copy, school_year="2025-2026")

    assert target in message and "second student count" in message
    assert db_counts() == NOTHING


@pytest.mark.django_db
def test_a_location_code_not_extending_the_institution_code_is_rejected(tmp_path):
    header, rows = read_csv(LOCATIONS)
    code = header.index("VESTIGINGSCODE")
    target = sorted(expected_schools("DORDRECHT"))[0]
    line = next(i for i, r in enumerate(rows) if r[code] == target) + 2
    rows[line - 2][code] = "99ZZ00"
    copy = write_csv(tmp_path / "alle-vestigingen-vo.csv", header, rows)

    message = fails(copy, "Dordrecht")

    assert f"line {line}" in message and "99ZZ00" in message
    assert db_counts() == NOTHING


@pytest.mark.django_db
def test_a_file_that_does_not_exist_is_an_error(tmp_path):
    message = fails(tmp_path / "weg.csv", "Dordrecht")

    assert "weg.csv" in message and "cannot be read" in message
    assert db_counts() == NOTHING


# --- 6. a school of another partnership -------------------------------------------------------


@pytest.mark.django_db
def test_a_school_of_another_partnership_is_skipped_with_a_reason_not_moved():
    expected = expected_schools("DORDRECHT")
    target = sorted(expected)[0]
    other = factories.partnership(name="SWV Elders", duo_number="VO 99-99")
    theirs = factories.school(
        other, location_code=target, institution_code=target[:4], name="Eigen naam"
    )

    output = run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")

    theirs.refresh_from_db()
    assert theirs.partnership == other
    assert theirs.name == "Eigen naam"
    assert summary(output)["schools"] == {
        "created": len(expected) - 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
    }
    assert re.search(rf"^skipped: {target} .*belongs to SWV Elders$", output, re.MULTILINE)
    mine = Partnership.objects.get(duo_number=NUMBER)
    assert School.objects.filter(partnership=mine).count() == len(expected) - 1
    assert not Enrollment.objects.filter(school=theirs).exists()
    assert Enrollment.objects.count() == len(expected) - 1


# --- 7. arguments -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_municipality_the_command_refuses():
    out = io.StringIO()
    with pytest.raises(CommandError, match="--municipality"):
        call_command(
            "import-duo",
            "--locations",
            str(LOCATIONS),
            "--partnership",
            NUMBER,
            "--partnership-name",
            NAME,
            stdout=out,
        )
    assert db_counts() == NOTHING


@pytest.mark.django_db
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_municipality_does_not_import_the_whole_country(blank):
    with pytest.raises(CommandError, match="municipality"):
        run(LOCATIONS, blank)
    assert db_counts() == NOTHING


@pytest.mark.django_db
def test_an_unknown_municipality_is_an_error_naming_it():
    message = fails(LOCATIONS, "Dordrect")

    assert "'Dordrect'" in message
    assert db_counts() == NOTHING


@pytest.mark.django_db
def test_one_unknown_municipality_among_known_ones_is_a_warning():
    output = run(LOCATIONS, "Dordrecht", "Atlantis")

    assert re.search(r"^warning: .*'Atlantis'", output, re.MULTILINE)
    assert stored_schools() == expected_schools("DORDRECHT")


@pytest.mark.django_db
def test_enrollments_without_a_school_year_is_an_error():
    message = fails(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025])

    assert "--school-year" in message
    assert db_counts() == NOTHING


@pytest.mark.django_db
def test_a_school_year_without_enrollments_is_an_error():
    message = fails(LOCATIONS, "Dordrecht", school_year="2025-2026")

    assert "--enrollments" in message
    assert db_counts() == NOTHING


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["2025-2027", "2025", "25-26", "2025/2026", "2026-2025", ""])
def test_a_bad_school_year_is_an_error(year):
    message = fails(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year=year)

    assert "school year" in message or "--school-year" in message
    assert db_counts() == NOTHING


# --- 8. summary -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_summary_reports_created_updated_and_unchanged_counts():
    expected = expected_schools("DORDRECHT")
    boards = {v["board"] for v in expected.values()}

    output = run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")

    n = len(expected)
    assert f"boards       created {len(boards)}, updated 0, unchanged 0, skipped 0" in output
    assert f"schools      created {n}, updated 0, unchanged 0, skipped 0" in output
    assert f"enrollments  created {n}, updated 0, unchanged 0, skipped 0" in output


@pytest.mark.django_db
def test_verbosity_zero_prints_nothing():
    out = io.StringIO()
    call_command(
        "import-duo",
        "--locations",
        str(LOCATIONS),
        "--partnership",
        NUMBER,
        "--partnership-name",
        NAME,
        "--municipality",
        "Dordrecht",
        verbosity=0,
        stdout=out,
    )
    assert out.getvalue() == ""
    assert School.objects.count() == len(expected_schools("DORDRECHT"))


# --- the console script -----------------------------------------------------------------------


def test_the_console_script_exits_non_zero_on_errors_and_zero_on_success(tmp_path):
    """One slower test: a real process against a migrated SQLite file."""
    script = Path(sys.executable).parent / "passend"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'passend.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def passend(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(script), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert passend("migrate", "--verbosity", "0").returncode == 0
    damaged = tmp_path / "alle-vestigingen-vo.csv"
    damaged.write_bytes(_insert_middle(LOCATIONS.read_bytes(), b"\x00\x81\x8d"))
    base = ["import-duo", "--partnership", NUMBER, "--partnership-name", NAME]

    bad_file = passend(*base, "--locations", str(damaged), "--municipality", "Dordrecht")
    no_area = passend(*base, "--locations", str(LOCATIONS))
    good = passend(*base, "--locations", str(LOCATIONS), "--municipality", "Dordrecht")

    assert bad_file.returncode != 0
    assert "not text" in bad_file.stderr
    assert no_area.returncode != 0
    assert "--municipality" in no_area.stderr
    assert good.returncode == 0, good.stderr
    n = len(expected_schools("DORDRECHT"))
    assert f"schools      created {n}, updated 0, unchanged 0, skipped 0" in good.stdout


@pytest.mark.django_db
def test_student_counts_are_audited_once_per_import_that_changes_them():
    run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")
    event = AuditEvent.objects.get(action="enrollment.import")
    created = Enrollment.objects.count()
    assert created > 0
    assert event.partnership.duo_number == NUMBER
    assert event.extra["created"] == created and event.extra["updated"] == 0
    assert event.extra["school_year"] == "2025-2026"
    assert event.extra["file"] == ENROLLMENTS[2025].name
    # Re-importing the same counts changes nothing, so it is not audited again.
    run(LOCATIONS, "Dordrecht", enrollments=ENROLLMENTS[2025], school_year="2025-2026")
    assert AuditEvent.objects.filter(action="enrollment.import").count() == 1
