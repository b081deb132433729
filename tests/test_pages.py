"""The read pages: health check, school list, start page, school and partnership pages.

Query counts must not grow with the data (no N+1); the pages show what the data holds.
"""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import Membership
from passend.organisations.choices import Domain
from passend.organisations.models import (
    Enrollment,
    School,
    SchoolYear,
    SupportTeam,
    SupportTeamMember,
)
from tests import factories


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def measured_get(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return response, len(ctx.captured_queries)


def add_schools(partnership, n, years=(2024, 2025)):
    schools = []
    for i in range(n):
        school = factories.school(partnership, name=f"Extra School {i:03d}")
        for year in years:
            factories.enrollment(school, start_year=year, count=100 + i)
        schools.append(school)
    return schools


def add_team(school, n, year=None):
    year = year or SchoolYear.current()
    team, _ = SupportTeam.objects.get_or_create(
        school=school, school_year=year, defaults={"partnership": school.partnership}
    )
    domains = list(Domain)
    members = []
    for i in range(n):
        person = factories.user()
        members.append(
            SupportTeamMember.objects.create(
                team=team,
                school=school,
                user=person if i % 2 else None,
                name=f"Lid {year.name} {i:02d}",
                function=f"Functie {i}",
                domain=domains[i % len(domains)],
                organisation=f"Organisatie {i}" if i % 3 else "",
            )
        )
    return members


# --- Health check ---------------------------------------------------------------------------------


def test_healthz_answers_without_login(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"] == "ok"
    assert "no-cache" in response.get("Cache-Control", "") or "max-age=0" in response.get(
        "Cache-Control", ""
    )


# --- School list ----------------------------------------------------------------------------------


def test_school_list_query_count_is_constant(client, world):
    admin = world.users["partnership_admin"]
    sign_in(client, admin)
    url = reverse("organisations:school_list")
    add_schools(world.p, 3)
    client.get(url)  # warm-up: first-request work (session, content types) is not counted

    small, small_count = measured_get(client, url)
    per_page = small.context["page_obj"].paginator.per_page
    visible = School.objects.visible_to(admin).count()
    assert small.context["page_obj"].paginator.count == visible
    assert len(small.context["page_obj"]) == visible

    # Enough schools to fill page 1 and spill onto page 2.
    add_schools(world.p, max(40, per_page + 5 - visible))
    big, big_count = measured_get(client, url)
    total = School.objects.visible_to(admin).count()
    assert total > per_page
    assert len(big.context["page_obj"]) == per_page
    assert big_count == small_count

    page2, page2_count = measured_get(client, url, {"page": 2})
    assert page2.context["page_obj"].number == 2
    assert len(page2.context["page_obj"]) == min(per_page, total - per_page)
    assert page2_count == small_count
    on_page1 = {s.pk for s in big.context["page_obj"]}
    on_page2 = {s.pk for s in page2.context["page_obj"]}
    assert not on_page1 & on_page2
    # Other partnerships' schools never appear.
    assert world.c.pk not in on_page1 | on_page2


def test_school_list_shows_latest_count_and_suppressed(client, world):
    sign_in(client, world.users["partnership_admin"])
    factories.enrollment(world.a, start_year=2024, count=321)
    factories.enrollment(world.a, start_year=2025, count=456)
    Enrollment.objects.create(
        school=world.b,
        partnership=world.p,
        school_year=SchoolYear.get_or_create_for_start_year(2025),
        student_count=None,
        student_count_suppressed=True,
        count_date=date(2025, 10, 1),
    )
    response = client.get(reverse("organisations:school_list"))
    rows = {s.pk: s for s in response.context["page_obj"]}
    assert rows[world.a.pk].latest_count == 456
    assert rows[world.b.pk].latest_suppressed is True
    body = response.content.decode()
    assert "456" in body and "321" not in body
    assert "&lt;5" in body


def test_school_list_search_filters(client, world):
    sign_in(client, world.users["partnership_admin"])
    response = client.get(reverse("organisations:school_list"), {"q": world.a.location_code})
    assert [s.pk for s in response.context["page_obj"]] == [world.a.pk]


# --- Start page -----------------------------------------------------------------------------------


def test_start_page_query_count_is_constant(client, world):
    coordinator = world.users["coordinator"]
    admin = world.users["partnership_admin"]
    url = reverse("front:home")

    def grant(schools):
        for school in schools:
            Membership.objects.create(
                user=coordinator,
                partnership=school.partnership,
                school=school,
                role=Role.COORDINATOR,
                valid_from=date(2020, 8, 1),
            )

    grant(add_schools(world.p, 2))
    sign_in(client, coordinator)
    client.get(url)
    small, small_count = measured_get(client, url)
    small_schools = [s for section in small.context["sections"] for s in section["schools"]]

    more = add_schools(world.p, 30) + add_schools(world.q, 10)
    grant(more)
    big, big_count = measured_get(client, url)
    big_schools = [s for section in big.context["sections"] for s in section["schools"]]
    assert len(big_schools) == len(small_schools) + len(more)
    assert big_count == small_count
    body = big.content.decode()
    for school in more:
        assert school.name in body
    assert world.b.name not in body  # P's school without a role there
    assert world.c.name not in body

    # A partnership role: the schools are not listed one by one, the count stays put too.
    sign_in(client, admin)
    client.get(url)
    _, admin_small = measured_get(client, url)
    add_schools(world.p, 20)
    _, admin_big = measured_get(client, url)
    assert admin_small == admin_big


# --- School page ----------------------------------------------------------------------------------


def test_school_page_query_count_is_constant(client, world):
    sign_in(client, world.users["coordinator"])
    url = reverse("organisations:school_detail", args=[world.a.code])
    factories.enrollment(world.a, start_year=2025)
    add_team(world.a, 2)
    client.get(url)
    small, small_count = measured_get(client, url)
    assert len(small.context["team_members"]) == 2

    for year in range(2015, 2025):
        factories.enrollment(world.a, start_year=year, count=year - 1900)
    add_team(world.a, 20)
    add_team(world.a, 5, year=SchoolYear.get_or_create_for_start_year(2019))
    big, big_count = measured_get(client, url)
    assert len(big.context["team_members"]) == 22
    assert len(big.context["enrollments"]) == 11
    assert big_count == small_count


def test_school_page_shows_board_codes_counts_and_current_team(client, world):
    sign_in(client, world.users["coordinator"])
    school = world.a
    current = SchoolYear.current()
    earlier_start = current.start.year - 1
    earlier = SchoolYear.get_or_create_for_start_year(earlier_start)
    factories.enrollment(school, start_year=current.start.year, count=1234)
    Enrollment.objects.create(
        school=school,
        partnership=school.partnership,
        school_year=earlier,
        student_count=None,
        student_count_suppressed=True,
        count_date=date(earlier_start, 10, 1),
    )
    team_now = add_team(school, 3)
    team_before = add_team(school, 2, year=earlier)

    response = client.get(reverse("organisations:school_detail", args=[school.code]))

    assert response.status_code == 200
    body = response.content.decode()
    assert school.board.duo_number in body
    assert school.institution_code in body
    assert school.location_code in body
    assert school.partnership.name in body
    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", body, flags=re.S)
    current_row = next(r for r in rows if current.name in r and "1234" in r)
    assert current_row
    earlier_row = next(r for r in rows if f">{earlier.name}<" in r)
    assert "&lt;5" in earlier_row
    assert "<5" not in body.replace("&lt;5", "")
    for member in team_now:
        assert member.name in body
    for member in team_before:
        assert member.name not in body
    assert current.name in body


def test_school_page_board_name_and_number(client, world):
    board = factories.board(name="Stichting Voorbeeld")
    school = factories.school(world.p, board=board)
    sign_in(client, world.users["partnership_admin"])
    body = client.get(reverse("organisations:school_detail", args=[school.code])).content.decode()
    assert board.name in body and board.duo_number in body


# --- Partnership page -----------------------------------------------------------------------------


def _shown_school_total(body: str) -> int:
    match = re.search(r"Scholen \(vestigingen\)</dt>\s*<dd>(\d+)</dd>", body)
    assert match, "school total not on the page"
    return int(match.group(1))


@pytest.mark.parametrize("persona", ["partnership_admin", "consultant", "coordinator"])
def test_partnership_page_shows_visible_school_total(client, world, persona):
    add_schools(world.p, 4)
    add_schools(world.q, 2)
    user = world.users[persona]
    sign_in(client, user)

    response = client.get(reverse("organisations:partnership_detail", args=[world.p.code]))

    assert response.status_code == 200
    expected = School.objects.visible_to(user).filter(partnership=world.p).count()
    assert expected == (
        1
        if persona in ("coordinator", "consultant")
        else School.objects.filter(partnership=world.p).count()
    )
    assert response.context["totals"]["schools"] == expected
    assert _shown_school_total(response.content.decode()) == expected


def test_partnership_page_query_count_is_constant(client, world):
    sign_in(client, world.users["partnership_admin"])
    url = reverse("organisations:partnership_detail", args=[world.p.code])
    add_schools(world.p, 2)
    client.get(url)
    _, small = measured_get(client, url)
    add_schools(world.p, 30)
    big, big_count = measured_get(client, url)
    assert big_count == small
    assert (
        _shown_school_total(big.content.decode())
        == School.objects.filter(partnership=world.p).count()
    )
