"""The roster import (passend/students/roster.py and its pages): CSV and XLSX, encodings and
delimiters, the column mapping, validation of every row with all-or-nothing writes, re-import
with leavers, formula cells kept verbatim, BSN columns ignored, uploaded files deleted, and a
number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime
import io
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.students import roster
from passend.students.choices import RosterImportStatus
from passend.students.models import Guardian, RosterImport, Student
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.django_db

HEADER = [
    "Stamnummer",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Geboortedatum",
    "Klas",
    "Leerjaar",
    "Opleiding",
    "Mentor e-mail",
    "Datum inschrijving",
    "BSN",
    "Ouder1 naam",
    "Ouder1 relatie",
    "Ouder1 gezag",
    "Ouder1 e-mail",
    "Ouder1 telefoon",
]
FORMULA = '=HYPERLINK("http://example.org/x","Klik")'


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def birth(age: int) -> str:
    return years_ago(age).strftime("%d-%m-%Y")


def row(cw, number: str, first: str = "Kind", **kw) -> list[str]:
    values = {
        "last": "Bakker",
        "born": birth(13),
        "klas": "2B",
        "jaar": "2",
        "mentor": cw.world.users["mentor"].email,
        "bsn": "123456782",
        "ouder": f"Ouder van {first}",
        "gezag": "ja",
    }
    values.update(kw)
    return [
        number,
        first,
        "",
        values["last"],
        values["born"],
        values["klas"],
        values["jaar"],
        "havo",
        values["mentor"],
        "01-08-2025",
        values["bsn"],
        values["ouder"],
        "Moeder",
        values["gezag"],
        "",
        "",
    ]


def csv_bytes(rows, *, delimiter=";", encoding="utf-8", header=HEADER) -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, cw, content: bytes, name: str = "leerlingen.csv"):
    response = client.post(
        reverse("students:roster_upload", args=[cw.world.a.code]),
        {"file": SimpleUploadedFile(name, content)},
    )
    return response


def upload_direct(cw, content: bytes, name: str = "leerlingen.csv") -> RosterImport:
    return roster.upload(
        cw.world.a, SimpleUploadedFile(name, content), acting_user=cw.world.users["coordinator"]
    )


def stored_path(item: RosterImport) -> Path:
    return Path(item.file.path)


# --- Happy paths ----------------------------------------------------------------------------------


def test_csv_upload_preview_apply(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    rows = [row(cw, "1001", "Sam", last="Jansen"), row(cw, "4001", "Lies"), row(cw, "4002", "Tim")]
    response = upload(client, cw, csv_bytes(rows))
    assert response.status_code == 302
    item = RosterImport.objects.get(school=cw.world.a)
    path = stored_path(item)
    assert path.exists() and "private/rosters" in str(path)
    assert item.mapping["student_number"] == 0 and item.mapping["mentor_email"] == 8
    assert item.mapping["guardian1_authority"] == 13
    assert 10 not in item.mapping.values()  # the BSN column is never mapped

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "Lies" in body and "Alle regels zijn in orde" in body
    assert "“BSN”" in body and "nooit opgeslagen" in body
    assert "123456782" not in body

    response = client.post(reverse("students:roster_apply", args=[item.code]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RosterImportStatus.APPLIED and not item.file
    assert not path.exists()
    assert item.counts["created"] == 2 and item.counts["updated"] == 1
    assert item.counts["left"] == 1  # Noor (1002) is not in the file
    lies = Student.objects.get(school=cw.world.a, student_number="4001")
    assert lies.mentor == cw.world.users["mentor"] and lies.level == "havo"
    assert lies.enrolled_on == datetime.date(2025, 8, 1) and lies.year_of_study == 2
    assert lies.guardians.get().name == "Ouder van Lies"
    noor = Student.objects.get(student_number="1002", school=cw.world.a)
    assert noor.left_on == cw.today
    event = AuditEvent.objects.get(action="roster_import.applied")
    assert event.extra["counts"]["created"] == 2
    assert "Lies" not in str(event.extra) and "Bakker" not in str(event.extra)
    done = client.get(reverse("students:roster_preview", args=[item.code])).content.decode()
    assert "Het geüploade bestand is verwijderd" in done


def test_xlsx_with_formula_cell_and_dates(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    rows = [row(cw, "4001", "Lies", last=FORMULA), row(cw, "4002", "Tim")]
    rows[1][0] = 4002  # a number cell
    rows[1][4] = years_ago(12)  # a real date cell
    response = upload(client, cw, xlsx_bytes(rows), "export.xlsx")
    assert response.status_code == 302
    item = RosterImport.objects.get(school=cw.world.a)
    assert client.post(reverse("students:roster_apply", args=[item.code])).status_code == 302
    lies = Student.objects.get(school=cw.world.a, student_number="4001")
    assert lies.last_name == FORMULA  # stored verbatim, never evaluated
    tim = Student.objects.get(school=cw.world.a, student_number="4002")
    assert tim.date_of_birth == years_ago(12)


def test_formula_cell_in_csv_is_stored_verbatim(caseload_world):
    cw = caseload_world
    rows = [row(cw, "4001", "+31", last=FORMULA, klas="@2B")]
    item = upload_direct(cw, csv_bytes(rows))
    roster.apply(item, acting_user=cw.world.users["coordinator"])
    student = Student.objects.get(student_number="4001")
    assert (student.first_name, student.last_name, student.class_name) == ("+31", FORMULA, "@2B")


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom"),
    [(",", "utf-8", False), (";", "utf-8", True), (";", "cp1252", False), ("\t", "utf-8", False)],
)
def test_delimiters_and_encodings(caseload_world, delimiter, encoding, bom):
    cw = caseload_world
    content = csv_bytes(
        [row(cw, "4001", "Zoë", last="Çelik")], delimiter=delimiter, encoding=encoding
    )
    if bom:
        content = b"\xef\xbb\xbf" + content
    item = upload_direct(cw, content)
    assert item.mapping["student_number"] == 0
    roster.apply(item, acting_user=cw.world.users["coordinator"])
    student = Student.objects.get(student_number="4001")
    assert (student.first_name, student.last_name) == ("Zoë", "Çelik")


def test_english_headers_are_mapped():
    headers = [
        "Student number",
        "First name",
        "Last name",
        "Date of birth",
        "Class",
        "Year",
        "Guardian1 name",
        "Parent2 email",
        "Onderwijsnummer",
    ]
    mapping = roster.guess_mapping(headers)
    assert mapping["student_number"] == 0 and mapping["first_name"] == 1
    assert mapping["last_name"] == 2 and mapping["date_of_birth"] == 3
    assert mapping["class_name"] == 4 and mapping["year_of_study"] == 5
    assert mapping["guardian1_name"] == 6 and mapping["guardian2_email"] == 7
    assert 8 not in mapping.values()


# --- Re-import ------------------------------------------------------------------------------------


def test_reimport_updates_keeps_unchanged_and_marks_leavers(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    first = [row(cw, "4001", "Lies"), row(cw, "4002", "Tim"), row(cw, "4003", "Mo")]
    roster.apply(upload_direct(cw, csv_bytes(first)), acting_user=coordinator)
    second = [row(cw, "4001", "Lies"), row(cw, "4002", "Tim", klas="3B", ouder="Nieuwe ouder")]
    counts = roster.apply(upload_direct(cw, csv_bytes(second)), acting_user=coordinator)
    assert counts["created"] == 0 and counts["updated"] == 1 and counts["unchanged"] == 1
    assert counts["left"] == 1  # Mo (Sam and Noor of the fixture left with the first file)
    tim = Student.objects.get(student_number="4002")
    assert tim.class_name == "3B" and tim.left_on is None
    assert list(tim.guardians.values_list("name", flat=True)) == ["Nieuwe ouder"]
    mo = Student.objects.get(student_number="4003")
    assert mo.left_on == cw.today
    assert Student.objects.get(student_number="1001").left_on == cw.today
    assert Guardian.objects.filter(pk=cw.guardian.pk).exists()  # a leaver keeps their data
    # Back in the next file: enrolled again.
    third = [row(cw, "4003", "Mo")]
    roster.apply(upload_direct(cw, csv_bytes(third)), acting_user=coordinator)
    assert Student.objects.get(student_number="4003").left_on is None


def test_guardian_with_consent_is_kept_and_updated_in_place(caseload_world):
    cw = caseload_world
    rows = [row(cw, "1001", "Sam", last="Jansen", ouder="Ria Jansen", gezag="nee")]
    counts = roster.apply(
        upload_direct(cw, csv_bytes(rows)), acting_user=cw.world.users["coordinator"]
    )
    cw.guardian.refresh_from_db()
    assert cw.guardian.has_authority is False
    assert counts["guardians_updated"] == 1


def test_without_guardian_columns_guardians_stay(caseload_world):
    cw = caseload_world
    header = HEADER[:5]
    rows = [row(cw, "1001", "Sam", last="Jansen")[:5]]
    item = upload_direct(cw, csv_bytes(rows, header=header))
    roster.apply(item, acting_user=cw.world.users["coordinator"])
    assert cw.student.guardians.count() == 1
    cw.student.refresh_from_db()
    assert cw.student.class_name == "2B"  # class not in the file: left as it was


# --- Bad files ------------------------------------------------------------------------------------


def test_one_bad_row_of_each_kind_writes_nothing(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    rows = [
        row(cw, "4001", "Goed"),  # line 2
        row(cw, "", "Zonder"),  # 3: missing number
        row(cw, "4003", "Datum", born="31-02-2012"),  # 4: impossible date
        row(cw, "4001", "Dubbel"),  # 5: duplicate of line 2
        row(cw, "4005", "Mentor", mentor="onbekend@example.org"),  # 6
        row(cw, "4006", "Jaar", jaar="9"),  # 7
        row(cw, "4007", "Jong", born=birth(4)),  # 8: implausible age
    ]
    upload(client, cw, csv_bytes(rows))
    item = RosterImport.objects.get(school=cw.world.a)
    body = client.get(reverse("students:roster_preview", args=[item.code])).content.decode()
    expected = {
        3: "leerlingnummer ontbreekt",
        4: "onmogelijke geboortedatum “31-02-2012”",
        5: "leerlingnummer 4001 staat ook op regel 2",
        6: "onbekende mentor “onbekend@example.org”",
        7: "ongeldig leerjaar “9”",
        8: "verwacht 8 t/m 25",
    }
    for line, reason in expected.items():
        assert f'<td class="utrecht-table__cell passend-numeric">{line}</td>' in body, line
        assert reason in body, reason
    assert "6 regels bevatten fouten" in body
    assert reverse("students:roster_apply", args=[item.code]) not in body  # no apply button
    before = Student.objects.count()
    response = client.post(reverse("students:roster_apply", args=[item.code]), follow=True)
    assert response.status_code == 200
    assert "Regel 5: leerlingnummer 4001 staat ook op regel 2" in response.content.decode()
    assert Student.objects.count() == before
    assert not Student.objects.filter(student_number="4001").exists()
    item.refresh_from_db()
    assert item.status == RosterImportStatus.UPLOADED


def test_missing_required_column_and_mapping_edit(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    header = ["nummer", "Roepnaam", "Achternaam", "Geboortedatum"]
    upload(client, cw, csv_bytes([["4001", "Lies", "Bakker", birth(12)]], header=header))
    item = RosterImport.objects.get(school=cw.world.a)
    url = reverse("students:roster_preview", args=[item.code])
    assert "Kies hieronder een kolom voor: Leerlingnummer" in client.get(url).content.decode()
    mapping = {"student_number": "0", "first_name": "1", "last_name": "2", "date_of_birth": "3"}
    # one column for two fields is refused
    response = client.post(url, {**mapping, "class_name": "1"})
    assert response.status_code == 200 and "aan twee velden" in response.content.decode()
    assert client.post(url, mapping).status_code == 302
    item.refresh_from_db()
    assert item.mapping["student_number"] == 0
    assert client.post(reverse("students:roster_apply", args=[item.code])).status_code == 302
    assert Student.objects.filter(student_number="4001").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("leerlingen.pdf", b"%PDF-1.4"),
        ("leerlingen.xlsx", b"leerlingnummer;naam\n1;a\n"),
        ("leerlingen.csv", b"PK\x03\x04zip"),
        ("leerlingen.csv", b""),
    ],
)
def test_bad_uploads_show_a_form_error(client, caseload_world, name, content):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    response = upload(client, cw, content, name)
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.content.decode() or (
        "utrecht-alert--error" in response.content.decode()
    )
    assert not RosterImport.objects.exists()


def test_too_large_upload_is_refused(client, caseload_world, settings):
    cw = caseload_world
    settings.EVIDENCE_MAX_BYTES = 100
    sign_in(client, cw.world.users["coordinator"])
    response = upload(client, cw, csv_bytes([row(cw, "4001")] * 5))
    assert response.status_code == 200 and "te groot" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_cancel_deletes_the_file(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    upload(client, cw, csv_bytes([row(cw, "4001")]))
    item = RosterImport.objects.get()
    path = stored_path(item)
    assert client.post(reverse("students:roster_cancel", args=[item.code])).status_code == 302
    item.refresh_from_db()
    assert item.status == RosterImportStatus.CANCELLED and not item.file and not path.exists()
    assert not Student.objects.filter(student_number="4001").exists()
    # applying a cancelled import does nothing
    client.post(reverse("students:roster_apply", args=[item.code]))
    assert not Student.objects.filter(student_number="4001").exists()


def test_a_new_upload_cancels_the_pending_one(caseload_world):
    cw = caseload_world
    first = upload_direct(cw, csv_bytes([row(cw, "4001")]))
    path = stored_path(first)
    upload_direct(cw, csv_bytes([row(cw, "4002")]))
    first.refresh_from_db()
    assert first.status == RosterImportStatus.CANCELLED and not path.exists()


def test_bpo_and_other_school_cannot_import(client, caseload_world):
    cw = caseload_world
    item = upload_direct(cw, csv_bytes([row(cw, "4001")]))
    sign_in(client, cw.world.users["bpo"])
    assert client.post(reverse("students:roster_apply", args=[item.code])).status_code == 403
    sign_in(client, cw.world.users["coordinator_b"])
    assert client.post(reverse("students:roster_apply", args=[item.code])).status_code == 404
    assert client.get(reverse("students:roster_preview", args=[item.code])).status_code == 404
    assert not Student.objects.filter(student_number="4001").exists()


# --- Queries --------------------------------------------------------------------------------------


def _apply_queries(cw, count: int, offset: int, **kw) -> tuple[int, int]:
    """(reads and other statements, batched INSERT/UPDATE/DELETE statements) of one apply."""
    rows = [row(cw, str(offset + n), f"Kind{n}", **kw) for n in range(count)]
    item = upload_direct(cw, csv_bytes(rows))
    with CaptureQueriesContext(connection) as queries:
        roster.apply(item, acting_user=cw.world.users["coordinator"])
    batched = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(
            ('INSERT INTO "students_', 'UPDATE "students_student"', 'DELETE FROM "students_')
        )
    ]
    return len(queries) - len(batched), len(batched)


def _batches(model, rows: int) -> int:
    """Statements for ``rows`` rows: one per batch (roster.BATCH, or fewer rows where the
    database limits the parameters of one statement, as SQLite's 999 do)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = min(roster.BATCH, connection.ops.bulk_batch_size(fields, [None] * rows) or rows)
    return -(-rows // size)


def test_apply_query_count_is_constant_in_rows(caseload_world):
    """No query per row: the reads are the same for 10 and 200 rows; writes grow only by one
    statement per batch."""
    cw = caseload_world
    few_reads, few_writes = _apply_queries(cw, 10, 10000)  # creates 10, 2 leave
    # A re-import that updates the 10 rows and replaces their guardians.
    few_update_reads, _writes = _apply_queries(cw, 10, 10000, klas="4A", ouder="Nieuw")
    many_reads, many_writes = _apply_queries(cw, 200, 20000)  # creates 200, 10 leave
    assert many_reads == few_reads
    # students, guardians and one UPDATE for the leavers
    assert few_writes == 3
    assert many_writes == _batches(Student, 200) + _batches(Guardian, 200) + 1
    assert Student.objects.filter(school=cw.world.a, left_on__isnull=True).count() == 200
    # A re-import that updates 200 rows and their guardians reads no more than one of 10 rows
    # (Django's check before deleting the replaced guardians reads each model that refers to
    # a guardian once, whatever the number of rows); the DELETEs go in batches of 100.
    reads, writes = _apply_queries(cw, 200, 20000, klas="4A", ouder="Nieuw")
    assert reads == few_update_reads
    deletes = -(-200 // GET_ITERATOR_CHUNK_SIZE)
    assert writes <= 2 * _batches(Student, 200) + _batches(Guardian, 200) + deletes
    assert Student.objects.filter(class_name="4A", left_on__isnull=True).count() == 200


@pytest.mark.parametrize(
    "text, expected",
    [
        ("31-12-2010", datetime.date(2010, 12, 31)),
        ("1-2-2010", datetime.date(2010, 2, 1)),
        ("01/02/2010", datetime.date(2010, 2, 1)),
        ("01.02.2010", datetime.date(2010, 2, 1)),
        ("2010-12-31", datetime.date(2010, 12, 31)),
        ("2010/2/1", datetime.date(2010, 2, 1)),
        ("31-02-2010", None),  # impossible
        ("2010-13-01", None),
        ("01-02.2010", None),  # mixed separators
        ("12-31-2010", None),  # month first is not a Dutch date
        ("2010-02-01 00:00", None),
        ("", None),
        ("morgen", None),
    ],
)
def test_dates_as_student_systems_write_them(text, expected):
    from passend.students.roster import parse_date

    assert parse_date(text) == expected
