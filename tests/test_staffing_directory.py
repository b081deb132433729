"""The SWV directory of coordinators and BPOs (seed 000 §5): who is listed with which hours, who
may read it, search, the XLSX/CSV exports, the office's contact edit, query counts."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import Membership, User
from passend.audit.models import AuditEvent
from passend.organisations.models import SchoolYear
from passend.staffing.choices import AssignmentKind, EmploymentType
from passend.staffing.directory import build_directory
from passend.staffing.models import BpoAssignment
from tests import factories

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.logout()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def assign(school, bpo, hours, *, year=None, kind=AssignmentKind.REGULAR) -> BpoAssignment:
    year = year or SchoolYear.current()
    return BpoAssignment.objects.create(
        partnership=school.partnership,
        school=school,
        school_year=year,
        bpo=bpo,
        kind=kind,
        hours_per_week=Decimal(hours),
        employment_type=EmploymentType.SCHOOL,
        start_date=year.start,
    )


def url(world, name="directory") -> str:
    return reverse(f"staffing:{name}", args=[world.p.code])


@pytest.fixture
def staffed(world):
    """A's BPO works 8 + 4 h at A and 2 h BPO+ at B; a hired-in BPO at B has no role, only an
    assignment (6,5 h); last year's assignment at A does not count."""
    users = world.users
    users["bpo"].phone = "078 123 45 67"
    users["bpo"].save()
    assign(world.a, users["bpo"], "8")
    assign(world.a, users["bpo"], "4")
    assign(world.b, users["bpo"], "2", kind=AssignmentKind.PLUS)
    hired = factories.user(email="ingehuurd@example.org", full_name="Ilse Ingehuurd")
    assign(world.b, hired, "6.5")
    last_year = SchoolYear.get_or_create_for_start_year(SchoolYear.current().start.year - 1)
    assign(world.a, users["coordinator"], "20", year=last_year)
    return hired


def rows_by_name(directory):
    return {(r.school.name, r.user.full_name if r.user else None): r for r in directory.rows}


def test_rows_roles_and_hours(world, staffed):
    users = world.users
    directory = build_directory(world.p)
    rows = rows_by_name(directory)
    bpo, coordinator = users["bpo"], users["coordinator"]
    assert set(rows) == {
        ("School Aa", coordinator.full_name),
        ("School Aa", bpo.full_name),
        ("School Bee", users["coordinator_b"].full_name),
        ("School Bee", bpo.full_name),
        ("School Bee", "Ilse Ingehuurd"),
    }
    assert rows[("School Aa", bpo.full_name)].hours == Decimal("12")
    assert rows[("School Aa", bpo.full_name)].role_display == "Bpo'er"
    plus = rows[("School Bee", bpo.full_name)]
    assert plus.hours == Decimal("2") and plus.role_display == "BPO+"
    assert rows[("School Bee", "Ilse Ingehuurd")].hours_display == "6,5"
    # Last year's assignment is not counted; a coordinator has no hours.
    assert rows[("School Aa", coordinator.full_name)].hours is None
    assert rows[("School Aa", coordinator.full_name)].role_display == "Ondersteuningscoördinator"
    # Coordinators first within a school; the directors, partners and mentors are not listed.
    names_a = [r.user.full_name for r in directory.rows if r.school == world.a]
    assert names_a[0] == coordinator.full_name
    listed = {r.user.pk for r in directory.rows if r.user}
    for persona in ("director", "partner", "mentor", "office", "consultant", "other_swv"):
        assert users[persona].pk not in listed


def test_combined_roles_and_ended_roles(world):
    """A coordinator who is also the school's BPO is one row with both roles; an ended role
    is not listed."""
    coordinator = world.users["coordinator"]
    Membership.objects.create(
        user=coordinator,
        partnership=world.p,
        school=world.a,
        role=Role.BPO,
        valid_from=date(2020, 8, 1),
    )
    assign(world.a, coordinator, "4")
    Membership.objects.filter(user=world.users["coordinator_b"]).update(
        valid_until=date(2021, 7, 31)
    )
    rows = rows_by_name(build_directory(world.p))
    row = rows[("School Aa", coordinator.full_name)]
    assert row.role_display == "Ondersteuningscoördinator, Bpo'er" and row.hours == 4
    # School B has no one now: it is listed as a gap.
    assert ("School Bee", None) in rows


def test_ended_assignment_is_not_listed(world):
    year = SchoolYear.current()
    gone = factories.user(full_name="Eef Eerder")
    ended = assign(world.a, gone, "10")
    ended.end_date = year.start + timedelta(days=30)
    ended.save()
    with time_machine.travel(year.start + timedelta(days=31), tick=False):
        rows = rows_by_name(build_directory(world.p, school_year=year))
    assert ("School Aa", "Eef Eerder") not in rows
    with time_machine.travel(year.start + timedelta(days=30), tick=False):
        rows = rows_by_name(build_directory(world.p, school_year=year))
    assert rows[("School Aa", "Eef Eerder")].hours == 10


def test_page_shows_the_rows(client, world, staffed):
    sign_in(client, world.users["coordinator_b"])
    response = client.get(url(world))
    assert response.status_code == 200
    body = response.content.decode()
    bpo = world.users["bpo"]
    for text in (
        bpo.full_name,
        bpo.email,
        "078 123 45 67",
        "School Aa",
        "School Bee",
        "Ilse Ingehuurd",
        "6,5",
        "incl. BPO+",
        world.users["coordinator"].email,
    ):
        assert text in body, text
    assert "School Cee" not in body
    # Only the office and partnership_admin get the edit links.
    assert "Wijzig" not in body
    sign_in(client, world.users["office"])
    body = client.get(url(world)).content.decode()
    edit = reverse("staffing:directory_contact_edit", args=[world.p.code, bpo.code])
    assert edit in body


def test_search_filters_by_name_and_school(client, world, staffed):
    sign_in(client, world.users["office"])
    body = client.get(url(world), {"q": "ingehuurd"}).content.decode()
    assert "Ilse Ingehuurd" in body and world.users["coordinator"].full_name not in body
    body = client.get(url(world), {"q": "bee"}).content.decode()
    assert world.users["coordinator_b"].full_name in body
    assert world.users["coordinator"].full_name not in body
    # htmx asks for the results only.
    partial = client.get(url(world), {"q": "aa"}, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in text and 'id="results"' in text
    assert world.users["coordinator"].full_name in text
    # Bad input: no error page, nothing echoed unescaped.
    for value in (SCRIPT, "x" * 1000, "\x00", "ééé 𝕏 漢字"):
        response = client.get(url(world), {"q": value})
        assert response.status_code == 200 and SCRIPT.encode() not in response.content


# --- Who may see it ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,status",
    [
        ("partnership_admin", 200),
        ("office", 200),
        ("director", 200),
        ("coordinator", 200),
        ("coordinator_b", 200),
        ("bpo", 404),
        ("partner", 404),
        ("mentor", 404),
        ("other_swv", 404),
        ("no_role", 404),
        ("superuser", 404),
    ],
)
def test_visibility(client, world, persona, status):
    sign_in(client, world.users[persona])
    for name in ("directory", "directory_xlsx", "directory_csv"):
        assert client.get(url(world, name)).status_code == status, name


def test_swv_wide_consultant_sees_it(client, world):
    consultant = factories.member(Role.CONSULTANT, partnership=world.p)
    sign_in(client, consultant)
    assert client.get(url(world)).status_code == 200
    edit = reverse(
        "staffing:directory_contact_edit", args=[world.p.code, world.users["coordinator"].code]
    )
    assert client.get(edit).status_code == 403


def test_other_partnership_sees_its_own_only(client, world):
    factories.member(Role.COORDINATOR, school=world.c, email="oc.c@example.org")
    sign_in(client, world.users["other_swv"])
    body = client.get(reverse("staffing:directory", args=[world.q.code])).content.decode()
    assert "oc.c@example.org" in body and world.users["coordinator"].email not in body


# --- Exports -------------------------------------------------------------------------------------


def test_xlsx_export_reads_back(client, world, staffed):
    from openpyxl import load_workbook

    sign_in(client, world.users["director"])
    response = client.get(url(world, "directory_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "attachment" in response["Content-Disposition"]
        and ".xlsx" in response["Content-Disposition"]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "School",
        "Vestigingscode",
        "Naam",
        "Rol",
        "E-mailadres",
        "Telefoonnummer",
        "Uren per week",
    )
    bpo = world.users["bpo"]
    row = next(r for r in rows if r[0] == "School Aa" and r[2] == bpo.full_name)
    assert row[3:] == ("Bpo'er", bpo.email, "078 123 45 67", 12)
    assert len(rows) == 1 + len(build_directory(world.p).rows)
    assert AuditEvent.objects.filter(action="directory.export", extra__format="xlsx").exists()


def test_csv_export_is_dutch_and_safe(client, world, staffed):
    staffed.full_name = '=HYPERLINK("http://evil.example","klik")'
    staffed.phone = "+31 78 123 45 67"
    staffed.save()
    sign_in(client, world.users["office"])
    response = client.get(url(world, "directory_csv"), {"q": "bee"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "School" and rows[0][-1] == "Uren per week"
    by_email = {r[4]: r for r in rows[1:]}
    hired = by_email["ingehuurd@example.org"]
    assert hired[2].startswith("'=HYPERLINK")  # never a formula
    assert hired[5] == "'+31 78 123 45 67"
    assert hired[6] == "6,5"
    # The filter applies to the export too: only school B's people.
    assert {r[0] for r in rows[1:]} == {"School Bee"}
    assert b"\r\n" in response.content
    # And in XLSX the formula is text.
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(url(world, "directory_xlsx")).content)).active
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert cells and all(c.data_type == "s" for c in cells)


# --- Contact edit by the office ------------------------------------------------------------------


def edit_url(world, user) -> str:
    return reverse("staffing:directory_contact_edit", args=[world.p.code, user.code])


def test_office_edits_phone_and_name(client, world, staffed):
    bpo = world.users["bpo"]
    sign_in(client, world.users["office"])
    form = client.get(edit_url(world, bpo))
    assert form.status_code == 200 and "078 123 45 67" in form.content.decode()
    response = client.post(
        edit_url(world, bpo), {"full_name": "Bram de Begeleider", "phone": "06 1234 5678"}
    )
    assert response.status_code == 302 and response.url == url(world)
    bpo.refresh_from_db()
    assert (bpo.full_name, bpo.phone) == ("Bram de Begeleider", "06 1234 5678")
    event = AuditEvent.objects.get(action="directory.contact_update")
    assert event.actor == world.users["office"] and event.partnership == world.p
    assert sorted(event.extra["fields"]) == ["full_name", "phone"]
    # A person listed only through an assignment can be edited as well.
    response = client.post(edit_url(world, staffed), {"full_name": "Ilse I.", "phone": ""})
    assert response.status_code == 302
    # Saving without changes writes no event.
    client.post(edit_url(world, staffed), {"full_name": "Ilse I.", "phone": ""})
    assert AuditEvent.objects.filter(action="directory.contact_update").count() == 2


@pytest.mark.parametrize("persona", ["coordinator", "director", "coordinator_b"])
def test_contact_edit_refused_for_school_roles(client, world, persona):
    bpo = world.users["bpo"]
    sign_in(client, world.users[persona])
    assert client.get(edit_url(world, bpo)).status_code == 403
    response = client.post(edit_url(world, bpo), {"full_name": "X", "phone": "010 1234567"})
    assert response.status_code == 403
    bpo.refresh_from_db()
    assert bpo.full_name != "X"
    assert not AuditEvent.objects.filter(action="directory.contact_update").exists()


@pytest.mark.parametrize("persona", ["partner", "director", "office", "other_swv", "superuser"])
def test_contact_edit_only_for_listed_people(client, world, persona):
    """Directors, partners, SWV staff and other partnerships' people are not in P's directory."""
    sign_in(client, world.users["partnership_admin"])
    response = client.get(edit_url(world, world.users[persona]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "", "phone": ""},
        {"full_name": "   ", "phone": ""},
        {"full_name": "x" * 151, "phone": ""},
        {"full_name": "Bram", "phone": "bel me"},
        {"full_name": "Bram", "phone": "=1+1"},
        {"full_name": "Bram", "phone": "1" * 31},
        {"full_name": SCRIPT + "x" * 200, "phone": SCRIPT},
        {"full_name": "\x00", "phone": ""},
    ],
)
def test_contact_edit_bad_input(client, world, data):
    bpo = world.users["bpo"]
    sign_in(client, world.users["office"])
    before = (bpo.full_name, bpo.phone, AuditEvent.objects.count())
    response = client.post(edit_url(world, bpo), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert SCRIPT.encode() not in response.content
    bpo.refresh_from_db()
    assert (bpo.full_name, bpo.phone, AuditEvent.objects.count()) == before


# --- Query counts --------------------------------------------------------------------------------


def _add_schools(world, n):
    for i in range(n):
        school = factories.school(world.p, name=f"Extra School {i:03d}")
        factories.member(Role.COORDINATOR, school=school)
        bpo = factories.member(Role.BPO, school=school)
        assign(school, bpo, "6")
        if i % 3 == 0:
            assign(
                school, User.objects.get(pk=world.users["bpo"].pk), "1", kind=AssignmentKind.PLUS
            )


@pytest.mark.parametrize("name", ["directory", "directory_xlsx", "directory_csv"])
def test_query_count_is_constant(client, world, name):
    sign_in(client, world.users["office"])
    _add_schools(world, 1)  # 3 schools
    client.get(url(world, name))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(world, name)).status_code == 200
    _add_schools(world, 37)  # 40 schools
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(world, name))
        assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    if name == "directory":
        assert response.content.decode().count("Extra School") >= 38 * 2
