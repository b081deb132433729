"""Hours policy and allocation (issue 4, point 5): the formula, the table against a hand
calculation from the real DUO files, preview and save, roles, bad input, query counts.

Decisions tested here (passend/staffing/hours.py):
- rounding: to the NEAREST whole number of half-days; exactly halfway rounds UP; then at least
  the minimum;
- a suppressed DUO count (``<5``) counts as 0 students for the per-student part: the location
  gets the base hours (rounded to half-days, at least the minimum), with a footnote on the page;
- a location without any count gets the same and is marked "geen telling"; without a count for
  the policy's year the most recent earlier count is used ("telling 2024-2025").
"""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.organisations.models import Enrollment, Partnership, School, SchoolYear
from passend.staffing import hours
from passend.staffing.choices import AssignmentKind
from passend.staffing.hours import Formula, compute_hours, counted_students
from passend.staffing.models import HoursAllocation, HoursPolicy
from tests import factories
from tests.authz import PERSONAS
from tests.authz_hours import POST_EXPECT
from tests.fixtures_hours import assignment, demo_formula

DUO = Path(__file__).resolve().parent.parent / "passend" / "organisations" / "data" / "duo"
DEMO_AREA = ["Dordrecht", "Zwijndrecht", "Papendrecht"]


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def page_url(partnership, year_name: str) -> str:
    return reverse("staffing:hours_policy", args=[partnership.code, year_name])


def form_data(formula: Formula | None = None, action: str = "preview", **raw) -> dict:
    formula = formula or demo_formula()
    data = {name: str(getattr(formula, name)) for name in Formula.FIELDS}
    data.update(raw)
    data[action] = "1"
    return data


def snapshot(partnership) -> tuple:
    """Everything the hours feature writes, to prove that nothing was written."""
    return (
        sorted(
            HoursPolicy.objects.filter(partnership=partnership).values_list(
                "school_year__name", *Formula.FIELDS
            )
        ),
        sorted(
            HoursAllocation.objects.filter(partnership=partnership).values_list(
                "policy_id", "school_id", "hours", "student_count", "student_count_suppressed"
            )
        ),
        AuditEvent.objects.count(),
    )


def allocations(policy) -> dict[str, Decimal]:
    return dict(
        HoursAllocation.objects.filter(policy=policy).values_list("school__location_code", "hours")
    )


# --- The formula (pure) --------------------------------------------------------------------------


def f(base="4", per_unit="1", students_per_unit=100, half_day="4", minimum="0") -> Formula:
    return Formula(
        base_hours=Decimal(base),
        hours_per_unit=Decimal(per_unit),
        students_per_unit=students_per_unit,
        half_day_hours=Decimal(half_day),
        minimum_hours=Decimal(minimum),
    )


@pytest.mark.parametrize(
    ("formula", "students", "expected"),
    [
        # 4 + 8.12 = 12.12 h = 3.03 half-days → 3 → 12 h
        (f(), 812, "12"),
        # exactly a whole number of half-days: 4 + 4 = 8 h
        (f(), 400, "8"),
        # exactly halfway: 4 + 6 = 10 h = 2.5 half-days → rounds UP to 3 → 12 h
        (f(), 600, "12"),
        # just below halfway: 9.99 h = 2.4975 half-days → 2 → 8 h
        (f(), 599, "8"),
        # just above halfway: 10.01 h → 3 half-days → 12 h
        (f(), 601, "12"),
        # 4 + 1.64 = 5.64 h = 1.41 half-days → 1 → 4 h
        (f(), 164, "4"),
        # zero students: the base hours (rounded to half-days)
        (f(), 0, "4"),
        (f(base="3"), 0, "4"),  # 0.75 half-days → 1
        (f(base="2"), 0, "4"),  # exactly half a half-day → up
        (f(base="1.99"), 0, "0"),  # below half → 0 half-days
        (f(base="0", per_unit="0"), 0, "0"),
        # the minimum applies after rounding, and is not rounded itself
        (f(base="0", minimum="6"), 100, "6"),  # 1 h → 0 half-days → at least 6
        (f(base="0", minimum="6"), 1000, "12"),  # 10 h → 2.5 → 3 half-days = 12 > 6
        (f(base="0", minimum="4.5"), 0, "4.5"),
        # half-days that are not whole hours: 4 + 2.5 = 6.5 h = 2.6 half-days of 2.5 h → 3 → 7.5
        (f(half_day="2.5"), 250, "7.5"),
        # halves with small half-days: 4.25 h = 8.5 half-days of 0.5 h → 9 → 4.5 h
        (f(base="4", per_unit="0.25", students_per_unit=1, half_day="0.5"), 1, "4.5"),
        # students_per_unit whose quotient does not terminate: 1/6 and 3/6 (= halfway)
        (f(base="0", per_unit="1", students_per_unit=6, half_day="1"), 1, "0"),
        (f(base="0", per_unit="1", students_per_unit=6, half_day="1"), 3, "1"),
        (f(base="0", per_unit="1", students_per_unit=3, half_day="1"), 2, "1"),  # 0.667 → 1
        # a huge count stays exact
        (f(), 10**9, "10000004"),
    ],
)
def test_compute_hours(formula, students, expected):
    result = compute_hours(formula, students)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2  # stored as hours with two decimals


def test_a_suppressed_count_counts_as_zero_students():
    assert counted_students(None, True) == 0
    assert counted_students(3, True) == 0  # even if a number slipped through
    assert counted_students(None, False) == 0  # no count at all
    assert counted_students(812, False) == 812
    # so a <5 location gets exactly the base hours when they are whole half-days ...
    assert compute_hours(f(base="6", half_day="2"), counted_students(None, True)) == Decimal("6")
    # ... the base rounded to half-days otherwise, and at least the minimum
    assert compute_hours(f(base="5", half_day="4"), 0) == Decimal("4")
    assert compute_hours(f(base="5", half_day="4", minimum="6"), 0) == Decimal("6")


def test_compute_hours_refuses_nonsense():
    with pytest.raises(ValueError):
        compute_hours(f(), -1)
    with pytest.raises(ValueError):
        compute_hours(f(students_per_unit=0), 10)
    with pytest.raises(ValueError):
        compute_hours(f(half_day="0"), 10)
    with pytest.raises(ValueError):
        compute_hours(f(base="-1"), 10)


def test_the_formula_never_uses_float():
    source = Path(hours.__file__).read_text()
    assert "float" not in source.replace("no float", "")


# --- The demo SWV against a hand calculation from the real DUO files ------------------------------


def import_demo_area(*years: int) -> Partnership:
    for start_year in years:
        call_command(
            "import-duo",
            "--locations",
            str(DUO / "alle-vestigingen-vo.csv"),
            "--enrollments",
            str(DUO / f"leerlingen-vo-per-vestiging-{start_year}.csv"),
            "--school-year",
            f"{start_year}-{start_year + 1}",
            "--partnership",
            "VO 28-12",
            "--partnership-name",
            "SWV VO Drechtsteden (demo)",
            *[arg for m in DEMO_AREA for arg in ("--municipality", m)],
            stdout=StringIO(),
        )
    return Partnership.objects.get(duo_number="VO 28-12")


def read_csv(name: str) -> list[dict[str, str]]:
    with (DUO / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def hand_hours(students: int, *, base=4, per=1, unit=100, half_day=4, minimum=4) -> Decimal:
    """The demo formula, written out again: base + per × students / unit, to the nearest
    half-day (halves up), at least the minimum."""
    raw = Decimal(base) + Decimal(per) * Decimal(students) / Decimal(unit)
    half_days = (raw / Decimal(half_day)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return max(half_days * Decimal(half_day), Decimal(minimum))


def hand_calculation() -> dict[str, tuple[int, Decimal]]:
    """Per location of the demo area: the count used (2025, else 2024) and the hours."""
    area = {m.upper() for m in DEMO_AREA}
    locations = [
        r["VESTIGINGSCODE"]
        for r in read_csv("alle-vestigingen-vo.csv")
        if r["GEMEENTENAAM"].strip().upper() in area
    ]
    counts = {
        year: {
            r["VESTIGINGSCODE"]: r["AANTAL LEERLINGEN"]
            for r in read_csv(f"leerlingen-vo-per-vestiging-{year}.csv")
        }
        for year in (2024, 2025)
    }
    result = {}
    for code in locations:
        text = counts[2025].get(code) or counts[2024][code]
        students = int(text)
        result[code] = (students, hand_hours(students))
    return result


@pytest.fixture
def demo_area(db):
    return import_demo_area(2024, 2025)


def test_the_demo_table_matches_the_hand_calculation(client, demo_area):
    partnership = demo_area
    admin = factories.member(Role.PARTNERSHIP_ADMIN, partnership=partnership)
    sign_in(client, admin)
    url = page_url(partnership, "2025-2026")
    response = client.post(url, form_data(action="save"))
    assert response.status_code == 302

    expected = hand_calculation()
    assert len(expected) == 20
    policy = HoursPolicy.objects.get(partnership=partnership, school_year__name="2025-2026")
    assert allocations(policy) == {code: hours for code, (_n, hours) in expected.items()}
    # Written out for a few rows, so the hand calculation is visible here too:
    assert expected["20KZ00"] == (816, Decimal("12"))  # 12.16 h = 3.04 half-days → 12
    assert expected["14RR00"] == (1562, Decimal("20"))  # 19.62 h = 4.905 → 5 → 20
    assert expected["24PY09"] == (84, Decimal("4"))  # 4.84 h = 1.21 → 1 → 4
    assert expected["14RR01"] == (225, Decimal("8"))  # no 2025 count: the 2024 one
    total = sum(hours for _n, hours in expected.values())
    assert total == Decimal("216")

    table = hours.build_table(partnership, policy.school_year, policy=policy)
    by_code = {row.school.location_code: row for row in table.rows}
    for code, (students, expected_hours) in expected.items():
        row = by_code[code]
        assert row.students == students, code
        assert row.allocated == expected_hours, code
    assert table.total_allocated == total
    assert by_code["14RR01"].is_fallback and by_code["14RR01"].count_year == "2024-2025"

    body = client.get(url).content.decode()
    assert "telling 2024-2025" in body
    assert 'id="hours-totals"' in body
    totals = body.split('id="hours-totals"')[1].split("</tr>")[0]
    assert ">216<" in totals
    students = sum(n for n, _hours in expected.values())  # 2025 counts + 14RR01's of 2024
    assert f">{students}<" in totals


def test_a_suppressed_count_gets_the_base_hours(client, demo_area):
    partnership = demo_area
    admin = factories.member(Role.PARTNERSHIP_ADMIN, partnership=partnership)
    year = SchoolYear.objects.get(name="2025-2026")
    # DUO publishes <5 for a tiny location; this one had 816 students.
    Enrollment.objects.filter(school__location_code="20KZ00", school_year=year).update(
        student_count=None, student_count_suppressed=True
    )
    policy = hours.save_policy(partnership, year, demo_formula(), acting_user=admin)
    result = allocations(policy)
    assert result["20KZ00"] == Decimal("4")  # base 4 = 1 half-day of 4 h = the minimum
    row = HoursAllocation.objects.get(policy=policy, school__location_code="20KZ00")
    assert row.student_count is None and row.student_count_suppressed

    # A base that is not the minimum: exactly the base hours, not the 816-student result.
    formula = demo_formula(base_hours=Decimal("6"), half_day_hours=Decimal("2"))
    policy = hours.save_policy(partnership, year, formula, acting_user=admin)
    result = allocations(policy)
    assert result["20KZ00"] == Decimal("6")
    assert result["02CI00"] == hand_hours(1022, base=6, half_day=2)  # the others unchanged

    sign_in(client, admin)
    body = client.get(page_url(partnership, "2025-2026")).content.decode()
    row_html = body.split('data-location="20KZ00"')[1].split("</tr>")[0]
    assert "&lt;5" in row_html and 'href="#fn-suppressed"' in row_html
    assert 'id="fn-suppressed"' in body and "telt als 0 leerlingen" in body


def test_a_location_without_any_count_gets_the_base_hours(client, demo_area):
    partnership = demo_area
    admin = factories.member(Role.PARTNERSHIP_ADMIN, partnership=partnership)
    Enrollment.objects.filter(school__location_code="24PY09").delete()
    year = SchoolYear.objects.get(name="2025-2026")
    formula = demo_formula(base_hours=Decimal("6"), half_day_hours=Decimal("2"))
    policy = hours.save_policy(partnership, year, formula, acting_user=admin)
    assert allocations(policy)["24PY09"] == Decimal("6")
    sign_in(client, admin)
    body = client.get(page_url(partnership, "2025-2026")).content.decode()
    row_html = body.split('data-location="24PY09"')[1].split("</tr>")[0]
    assert "geen telling" in row_html and 'href="#fn-no-count"' in row_html


def test_a_later_year_uses_the_latest_earlier_count(demo_area):
    partnership = demo_area
    year = SchoolYear.get_or_create_for_start_year(2026)
    table = hours.build_table(partnership, year, preview=demo_formula())
    assert all(row.count_year in {"2025-2026", "2024-2025"} for row in table.rows)
    assert all(row.is_fallback for row in table.rows)
    expected = hand_calculation()
    assert {r.school.location_code: r.new for r in table.rows} == {
        code: hours for code, (_n, hours) in expected.items()
    }
    # An earlier year never uses a later count.
    table = hours.build_table(partnership, SchoolYear.objects.get(name="2024-2025"))
    assert not any(row.is_fallback for row in table.rows)
    by_code = {row.school.location_code: row for row in table.rows}
    assert by_code["20KZ00"].student_count == 781


# --- The page ------------------------------------------------------------------------------------


def test_the_table_shows_allocated_assigned_bpo_plus_and_difference(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    response = client.get(page_url(w.p, hours_world.year.name))
    assert response.status_code == 200
    table = response.context["table"]
    rows = {row.school.name: row for row in table.rows}
    a, b = rows["School Aa"], rows["School Bee"]
    assert (a.student_count, a.allocated, a.assigned, a.plus) == (812, 12, 12, 0)
    assert (b.student_count, b.allocated, b.assigned, b.plus) == (164, 4, 0, 2)
    assert a.difference_text == "gelijk"
    assert b.difference_text == "4 uur nog niet ingezet"
    assert (table.total_allocated, table.total_assigned, table.total_plus) == (16, 12, 2)
    body = response.content.decode()
    assert "4 uur nog niet ingezet" in body
    assert "activiteitenlogboek" in body  # the spent column's note
    # BPO+ per BPO: the bpo persona works at A and gives 2 h at B.
    person = table.plus_people[0]
    assert person.name == w.users["bpo"].full_name
    assert [(line.school_name, line.hours) for line in person.home] == [("School Aa", 12)]
    assert [(line.school_name, line.hours) for line in person.lines] == [("School Bee", 2)]
    assert "Dyslexie-aanpak" in body
    # Over-assigned: text, not colour alone.
    assignment(w.a, factories.user(), hours_world.year, "8")
    body = client.get(page_url(w.p, hours_world.year.name)).content.decode()
    assert "8 uur meer ingezet dan toegekend" in body


def test_ended_assignments_do_not_count(db, world):
    year = SchoolYear.get_or_create_for_start_year(2024)
    factories.enrollment(world.a, start_year=2024, count=400)
    assignment(world.a, factories.user(), year, "10", end_date=date(2025, 1, 31))
    assignment(world.a, factories.user(), year, "6", start_date=date(2025, 2, 1))
    table = hours.build_table(world.p, year)
    row = next(r for r in table.rows if r.school == world.a)
    assert row.assigned == Decimal("6")  # the replaced BPO's 10 h are not counted twice
    assert table.reference_date == year.end


def test_without_a_policy_the_form_starts_from_the_previous_year(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    next_year = SchoolYear.name_for_start_year(hours_world.year.start.year + 1)
    response = client.get(page_url(w.p, next_year))
    assert response.status_code == 200
    body = response.content.decode()
    assert "nog geen urenbeleid" in body
    assert f"Het formulier begint met het beleid van {hours_world.year.name}" in body
    assert response.context["form"].initial["minimum_hours"] == Decimal("4")
    assert not SchoolYear.objects.filter(name=next_year).exists()  # a GET creates nothing


def test_current_redirects_to_the_current_year(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["office"])
    response = client.get(reverse("staffing:hours", args=[w.p.code]))
    assert response.status_code == 302
    assert response.url == page_url(w.p, SchoolYear.current().name)


@pytest.mark.parametrize(
    "name",
    ["2025", "2025-2027", "abcd-efgh", "1990-1991", "2099-2100", "2025-2026x", "２０２５-２０２６"],
)
def test_a_malformed_or_far_school_year_is_404(client, hours_world, name):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    assert client.get(page_url(w.p, name)).status_code == 404
    assert client.post(page_url(w.p, name), form_data(action="save")).status_code == 404
    assert client.get(reverse("staffing:hours_xlsx", args=[w.p.code, name])).status_code == 404


# --- Preview and save ----------------------------------------------------------------------------


def test_preview_shows_the_new_allocation_and_writes_nothing(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    before = snapshot(w.p)
    new = demo_formula(base_hours=Decimal("8"))
    response = client.post(page_url(w.p, hours_world.year.name), form_data(new, "preview"))
    assert response.status_code == 200
    assert snapshot(w.p) == before
    table = response.context["table"]
    rows = {row.school.name: row for row in table.rows}
    # A: 8 + 8.12 = 16.12 → 16; B: 8 + 1.64 = 9.64 → 2.41 → 2 half-days → 8
    assert (rows["School Aa"].allocated, rows["School Aa"].new) == (12, 16)
    assert (rows["School Bee"].allocated, rows["School Bee"].new) == (4, 8)
    assert (table.total_allocated, table.total_new) == (16, 24)
    body = response.content.decode()
    assert "Voorbeeld: nog niet opgeslagen" in body
    assert "van 12 naar 16" in body and "Totaal nu 16 uur per week, nieuw 24 uur per week" in body
    assert 'name="save"' in body  # the second step
    assert "<html" in body  # without htmx: the whole page


def test_preview_with_htmx_answers_the_region_only(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    before = snapshot(w.p)
    response = client.post(
        page_url(w.p, hours_world.year.name),
        form_data(demo_formula(base_hours=Decimal("8"))),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="hours-region">')
    assert "van 12 naar 16" in body
    assert snapshot(w.p) == before


def test_save_replaces_the_allocation_with_an_audit_event(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    policy = hours_world.policy
    old_ids = set(HoursAllocation.objects.filter(policy=policy).values_list("pk", flat=True))
    new = demo_formula(base_hours=Decimal("8"))
    response = client.post(page_url(w.p, hours_world.year.name), form_data(new, "save"))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.base_hours == Decimal("8")
    assert HoursPolicy.objects.filter(partnership=w.p).count() == 1
    assert allocations(policy) == {w.a.location_code: 16, w.b.location_code: 8}
    assert not old_ids & set(HoursAllocation.objects.values_list("pk", flat=True))
    event = AuditEvent.objects.filter(action="hours_policy.save").latest("pk")
    assert event.actor == w.users["partnership_admin"]
    assert event.partnership == w.p
    assert event.extra["old"]["base_hours"] == "4.00"
    assert event.extra["new"]["base_hours"] == "8"
    assert (event.extra["old_total"], event.extra["new_total"]) == ("16.00", "24.00")
    assert "opgeslagen" in client.get(response.url).content.decode()


def test_save_creates_the_policy_and_school_year_when_missing(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    name = SchoolYear.name_for_start_year(hours_world.year.start.year + 1)
    response = client.post(page_url(w.p, name), form_data(action="save"))
    assert response.status_code == 302
    policy = HoursPolicy.objects.get(partnership=w.p, school_year__name=name)
    # No counts for next year: the current year's counts are used.
    assert allocations(policy) == {w.a.location_code: 12, w.b.location_code: 4}
    event = AuditEvent.objects.filter(action="hours_policy.save").latest("pk")
    assert event.extra["old"] is None


def _boom(*args, **kwargs):
    raise RuntimeError("database went away")


@pytest.mark.parametrize(
    "target",
    [
        "passend.staffing.hours.HoursAllocation.objects.bulk_create",  # after the delete
        "passend.staffing.hours.record",  # after the new rows were written
    ],
)
def test_a_failure_mid_save_leaves_nothing_partial(hours_world, target):
    w = hours_world.world
    before = snapshot(w.p)
    assert len(before[1]) == 2
    with mock.patch(target, side_effect=_boom), pytest.raises(RuntimeError):
        hours.save_policy(
            w.p,
            hours_world.year,
            demo_formula(base_hours=Decimal("8")),
            acting_user=w.users["partnership_admin"],
        )
    assert snapshot(w.p) == before


def test_a_bad_value_mid_save_leaves_nothing_partial(hours_world):
    """The database refuses the second school's allocation (NULL hours): the policy change and
    the deletion of the old rows, already done by then, are rolled back as well."""
    from django.db import IntegrityError

    w = hours_world.world
    before = snapshot(w.p)
    results = iter([Decimal("16"), None])
    with (
        mock.patch.object(hours, "compute_hours", side_effect=lambda *a: next(results)),
        pytest.raises(IntegrityError),
    ):
        hours.save_policy(
            w.p,
            hours_world.year,
            demo_formula(base_hours=Decimal("8")),
            acting_user=w.users["partnership_admin"],
        )
    assert snapshot(w.p) == before


def test_the_service_checks_the_edit_right(hours_world):
    w = hours_world.world
    for persona in ("office", "coordinator", "other_swv"):
        with pytest.raises(PermissionDenied):
            hours.save_policy(w.p, hours_world.year, demo_formula(), acting_user=w.users[persona])
    with pytest.raises(ValidationError):
        hours.save_policy(
            w.p,
            hours_world.year,
            demo_formula(students_per_unit=0),
            acting_user=w.users["partnership_admin"],
        )


# --- Roles ---------------------------------------------------------------------------------------


def test_readers_see_the_table_without_the_form(client, hours_world):
    w = hours_world.world
    swv_consultant = factories.member(Role.CONSULTANT, partnership=w.p)
    for user in (w.users["office"], swv_consultant):
        client.logout()
        sign_in(client, user)
        response = client.get(page_url(w.p, hours_world.year.name))
        assert response.status_code == 200
        body = response.content.decode()
        assert "School Aa" in body and "4 uur per vestiging" in body
        assert 'name="preview"' not in body and 'name="save"' not in body
        assert response.context["form"] is None
        before = snapshot(w.p)
        for action in ("preview", "save"):
            data = form_data(demo_formula(base_hours=Decimal("8")), action)
            assert client.post(page_url(w.p, hours_world.year.name), data).status_code == 403
        assert snapshot(w.p) == before


def test_the_admin_sees_the_form(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    body = client.get(page_url(w.p, hours_world.year.name)).content.decode()
    assert 'name="preview"' in body and 'hx-post="' in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_save_by_persona(client, hours_world, persona):
    w = hours_world.world
    if persona != "anonymous":
        sign_in(client, w.users[persona])
    before = snapshot(w.p)
    url = page_url(w.p, hours_world.year.name)
    response = client.post(url, form_data(demo_formula(base_hours=Decimal("8")), "save"))
    expected = POST_EXPECT[persona]
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, persona
    if expected != 302:
        assert snapshot(w.p) == before
        main = re.search(r"<main\b.*?</main>", response.content.decode(), re.S)
        assert main is None or w.a.name not in main.group(0)  # the header names one's roles


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("base_hours", "-1"),
        ("minimum_hours", "-0.5"),
        ("hours_per_unit", "-2"),
        ("students_per_unit", "0"),
        ("students_per_unit", "-100"),
        ("students_per_unit", "1.5"),
        ("students_per_unit", "99999999999999999999"),
        ("half_day_hours", "0"),
        ("half_day_hours", "0.25"),
        ("base_hours", "1e30"),
        ("base_hours", "99999999999"),
        ("hours_per_unit", "4.125"),
        ("base_hours", "vier"),
        ("half_day_hours", "NaN"),
        ("minimum_hours", "Infinity"),
        ("base_hours", ""),
        ("base_hours", "4" * 5000),
    ],
)
@pytest.mark.parametrize("action", ["preview", "save"])
def test_bad_input_is_a_form_error_and_writes_nothing(client, hours_world, field, value, action):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    before = snapshot(w.p)
    response = client.post(
        page_url(w.p, hours_world.year.name), form_data(action=action, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert response.context["table"].preview is None
    assert snapshot(w.p) == before


@pytest.mark.parametrize("action", ["preview", "save"])
def test_an_impossible_allocation_is_a_form_error(client, hours_world, action):
    """60 hours per student: school A would get 48,724 hours a week."""
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    before = snapshot(w.p)
    data = form_data(action=action, hours_per_unit="60", students_per_unit="1")
    response = client.post(page_url(w.p, hours_world.year.name), data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors and "School Aa" in errors[0]
    assert response.context["table"].preview is None
    assert snapshot(w.p) == before


def test_dutch_decimal_commas_are_accepted(client, hours_world):
    w = hours_world.world
    sign_in(client, w.users["partnership_admin"])
    data = form_data(action="save", base_hours="4,5", half_day_hours="2,5")
    response = client.post(page_url(w.p, hours_world.year.name), data)
    assert response.status_code == 302
    hours_world.policy.refresh_from_db()
    assert hours_world.policy.base_hours == Decimal("4.5")
    assert hours_world.policy.half_day_hours == Decimal("2.5")


# --- Query counts --------------------------------------------------------------------------------


def measured(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)


def test_query_count_is_constant(client, hours_world):
    w = hours_world.world
    admin = w.users["partnership_admin"]
    sign_in(client, admin)
    url = page_url(w.p, hours_world.year.name)
    xlsx = reverse("staffing:hours_xlsx", args=[w.p.code, hours_world.year.name])
    preview = form_data(demo_formula(base_hours=Decimal("8")))
    factories.school(w.p, name="School Cc")  # with A and B: 3 schools, one without a count
    assert len(hours.build_table(w.p, hours_world.year).rows) == 3
    small = (
        measured(client, "get", url),
        measured(client, "post", url, preview),
        measured(client, "get", xlsx),
    )
    for i in range(37):  # 40 schools, with counts, assignments and BPO+
        school = factories.school(w.p, name=f"Extra {i:02d}")
        factories.enrollment(school, start_year=hours_world.year.start.year, count=100 + 37 * i)
        factories.enrollment(school, start_year=hours_world.year.start.year - 1, count=90)
        bpo = factories.user()
        assignment(school, bpo, hours_world.year, "6")
        assignment(w.a, bpo, hours_world.year, "1", kind=AssignmentKind.PLUS)
    hours.save_policy(w.p, hours_world.year, demo_formula(), acting_user=admin)
    large = (
        measured(client, "get", url),
        measured(client, "post", url, preview),
        measured(client, "get", xlsx),
    )
    assert len(hours.build_table(w.p, hours_world.year).rows) == 40
    assert large == small


def test_build_table_costs_four_queries(hours_world):
    w = hours_world.world
    with CaptureQueriesContext(connection) as context:
        hours.build_table(w.p, hours_world.year, policy=hours_world.policy, preview=demo_formula())
    assert len(context.captured_queries) == 4


def test_spent_is_the_weekly_average_from_the_activity_log(hours_world):
    """Besteed: the hours logged per school this school year up to the reference date, divided
    by the weeks elapsed (passend.activities.totals.spent_per_week)."""
    from datetime import timedelta

    from passend.activities.choices import TaskArea
    from passend.activities.models import Activity
    from passend.activities.totals import weeks_elapsed

    w = hours_world.world
    year = hours_world.year
    on = hours.reference_date(year)
    bpo = w.users["bpo"]
    for day, amount in ((on, "3"), (max(year.start, on - timedelta(days=1)), "4.5")):
        Activity.objects.create(
            partnership=w.p,
            school=w.a,
            school_year=year,
            bpo=bpo,
            date=day,
            hours=Decimal(amount),
            area=TaskArea.STUDENT,
        )
    table = hours.build_table(w.p, year, policy=hours_world.policy)
    rows = {row.school.pk: row for row in table.rows}
    expected = (Decimal("7.5") / weeks_elapsed(year, on)).quantize(Decimal("0.01"))
    assert rows[w.a.pk].spent == expected
    assert rows[w.b.pk].spent is None
    assert table.total_spent == expected


# --- Export --------------------------------------------------------------------------------------


def test_xlsx_export(client, hours_world):
    from openpyxl import load_workbook

    w = hours_world.world
    w.b.name = "=HYPERLINK(1)"
    w.b.save()
    sign_in(client, w.users["office"])
    response = client.get(reverse("staffing:hours_xlsx", args=[w.p.code, hours_world.year.name]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    a = rows[w.a.location_code]
    assert (a[0], a[2], a[4], a[5], a[6]) == ("School Aa", 812, 12, 12, 0)
    b = rows[w.b.location_code]
    assert b[0] == "=HYPERLINK(1)"  # text, not a formula
    assert sheet.cell(row=rows_count(sheet), column=1).value == "Totaal"
    plus = workbook.worksheets[1]
    assert list(plus.iter_rows(min_row=2, values_only=True))[0][:3] == (
        w.users["bpo"].full_name,
        "=HYPERLINK(1)",
        2,
    )
    assert AuditEvent.objects.filter(action="hours.export").exists()


def rows_count(sheet) -> int:
    return sheet.max_row


# --- Demo ----------------------------------------------------------------------------------------


def test_demo_hours_is_idempotent(db, settings):
    from passend.accounts.models import User
    from passend.demo import hours as demo_hours
    from passend.demo.services import ACCOUNTS

    settings.REQUIRE_2FA = False
    call_command("demo", stdout=StringIO())
    users = {u.email: u for u in User.objects.filter(email__in=[a.email for a in ACCOUNTS])}
    demo_hours.load(users)
    partnership = Partnership.objects.get(duo_number="VO 28-12")
    years = {SchoolYear.current().name, "2025-2026"}
    policies = HoursPolicy.objects.filter(partnership=partnership)
    assert set(policies.values_list("school_year__name", flat=True)) == years
    policy = policies.get(school_year__name="2025-2026")
    expected = hand_calculation()
    assert allocations(policy) == {code: h for code, (_n, h) in expected.items()}
    event = AuditEvent.objects.filter(action="hours_policy.save").latest("pk")
    assert event.actor.email == "beheer@drechtsteden.example"
    before = snapshot(partnership)
    demo_hours.load(users)
    assert snapshot(partnership) == before
    # School A of the demo has 816 students: 12 hours.
    assert School.objects.get(location_code="20KZ00").hours_allocations.filter(
        policy=policy
    ).get().hours == Decimal("12")


def test_school_years_up_to_five_years_ahead_are_accepted(db):
    current = SchoolYear.current().start.year
    year = hours.school_year_for(SchoolYear.name_for_start_year(current + 5))
    assert year.start == date(current + 5, 8, 1) and year.pk is None
    with pytest.raises(ValueError):
        hours.school_year_for(SchoolYear.name_for_start_year(current + 6))
