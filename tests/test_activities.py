"""The BPO's activity log: logging, editing, deleting, the week view, bulk entry, CSV import,
totals and access (passend/activities)."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.activities import services
from passend.activities.choices import TaskArea
from passend.activities.models import Activity
from passend.activities.totals import totals
from passend.activities.views import week_label
from passend.audit.models import AuditEvent
from passend.organisations.models import SchoolYear


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def form(aw, **overrides) -> dict:
    data = {
        "date": aw.today.isoformat(),
        "school": aw.world.a.pk,
        "area": TaskArea.TEAM,
        "hours": "1,5",
        "sub_area": "",
        "note": "",
    }
    data.update(overrides)
    return data


def monday_of(day):
    return day - timedelta(days=day.weekday())


# --- Single activities ---------------------------------------------------------------------------


def test_log_edit_delete_with_audit(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    response = client.post(
        reverse("activities:activity_create"), form(aw, note="Overleg <b>team</b> ✓")
    )
    assert response.status_code == 302
    activity = Activity.objects.filter(bpo=aw.bpo).latest("created_at")
    assert activity.hours == Decimal("1.5")
    assert activity.school_year == SchoolYear.current()
    assert activity.partnership_id == aw.world.p.pk
    assert AuditEvent.objects.filter(action="activity.logged", object_code=str(activity.code))
    # back to the same form, with the success message
    page = client.get(response["Location"])
    assert "Vastgelegd" in page.content.decode()

    edit = reverse("activities:activity_edit", args=[activity.code])
    assert client.get(edit).status_code == 200
    response = client.post(edit, form(aw, hours="2.25", area=TaskArea.PARENTS))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.hours == Decimal("2.25")
    assert activity.area == TaskArea.PARENTS
    assert AuditEvent.objects.filter(action="activity.updated", object_code=str(activity.code))

    response = client.post(reverse("activities:activity_delete", args=[activity.code]))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert AuditEvent.objects.filter(action="activity.deleted", object_code=str(activity.code))


def test_other_bpo_activity_is_404(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    code = aw.activity_b.code
    assert client.get(reverse("activities:activity_edit", args=[code])).status_code == 404
    assert client.post(reverse("activities:activity_delete", args=[code])).status_code == 404
    assert Activity.objects.filter(pk=aw.activity_b.pk).exists()
    week = client.get(reverse("activities:week") + f"?week={week_label(aw.today)}")
    assert "Gesprek" in week.content.decode()
    assert str(aw.activity_b.code) not in week.content.decode()


def test_coordinator_gets_403(client, activities_world):
    sign_in(client, activities_world.world.users["coordinator"])
    assert client.get(reverse("activities:week")).status_code == 403
    assert client.get(reverse("activities:activity_create")).status_code == 403


def test_school_outside_own_is_refused(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    before = Activity.objects.count()
    response = client.post(reverse("activities:activity_create"), form(aw, school=aw.world.b.pk))
    assert response.status_code == 200
    assert Activity.objects.count() == before
    with pytest.raises(ValidationError):
        services.log_activity(
            bpo=aw.bpo,
            school=aw.world.b,
            date=aw.today,
            hours=Decimal(1),
            area=TaskArea.TEAM,
            acting_user=aw.bpo,
        )


@pytest.mark.parametrize(
    "overrides",
    [
        {"hours": "0"},
        {"hours": "13"},
        {"hours": "-1"},
        {"hours": "een"},
        {"hours": "1,123"},
        {"hours": ""},
        {"area": "<script>"},
        {"note": "nul\x00teken"},
        {"note": "x" * 501},
        {"date": "2026-13-45"},
        {"date": "future"},
        {"date": "1900-01-01"},
        {"school": "999999"},
    ],
)
def test_bad_input_gives_form_errors(client, activities_world, overrides):
    aw = activities_world
    if overrides.get("date") == "future":
        overrides = {"date": (aw.today + timedelta(days=8)).isoformat()}
    sign_in(client, aw.bpo)
    before = Activity.objects.count()
    response = client.post(reverse("activities:activity_create"), form(aw, **overrides))
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "utrecht-alert--error" in (
        response.content.decode()
    )
    assert Activity.objects.count() == before


def test_unicode_and_html_are_stored_and_escaped(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    client.post(reverse("activities:activity_create"), form(aw, note="<i>Zoë</i> 🙂"))
    assert Activity.objects.filter(note="<i>Zoë</i> 🙂").exists()
    page = client.get(reverse("activities:week")).content.decode()
    assert "&lt;i&gt;Zoë&lt;/i&gt; 🙂" in page


def test_defaults_remember_last_school_and_area(client, activities_world):
    aw = activities_world
    aw.world.users["bpo"]  # at A; give the persona a second loggable school through B
    from passend.accounts.choices import Role
    from passend.accounts.models import Membership

    Membership.objects.create(user=aw.bpo, role=Role.BPO, school=aw.world.b, partnership=aw.world.p)
    sign_in(client, aw.bpo)
    client.post(
        reverse("activities:activity_create"),
        form(aw, school=aw.world.b.pk, area=TaskArea.POLICY),
    )
    page = client.get(reverse("activities:activity_create"))
    bound = page.context["form"]
    assert bound.initial["school"] == aw.world.b.pk
    assert bound.initial["area"] == TaskArea.POLICY
    html = page.content.decode()
    assert "autofocus" in html


# --- Week view -----------------------------------------------------------------------------------


def _fill(bpo, school, monday, n):
    areas = TaskArea.values
    services.log_week(
        bpo=bpo,
        rows=[
            services.Row(
                date=monday + timedelta(days=i % 5),
                school=school,
                hours=Decimal("0.5"),
                area=areas[i % len(areas)],
            )
            for i in range(n)
        ],
        acting_user=bpo,
    )


def _week_queries(client, monday) -> tuple[int, str]:
    url = reverse("activities:week") + f"?week={week_label(monday)}"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_week_view_constant_queries_and_totals(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    monday = monday_of(aw.today) - timedelta(days=14)
    _fill(aw.bpo, aw.world.a, monday, 3)
    few, html = _week_queries(client, monday)
    assert "1,5" in html or "1.5" in html
    other = monday - timedelta(days=7)
    _fill(aw.bpo, aw.world.a, other, 60)
    many, html = _week_queries(client, other)
    assert few == many
    assert ">30<" in html  # the week total: 60 × 0.5


def test_week_parameter_and_navigation(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    page = client.get(reverse("activities:week") + "?week=2026-W49").content.decode()
    assert "?week=2026-W48" in page and "?week=2026-W50" in page
    assert client.get(reverse("activities:week") + "?week=bad").status_code == 200


# --- Bulk entry ----------------------------------------------------------------------------------


def bulk_data(aw, lines: list[dict], total: int = 40) -> dict:
    data = {
        "week": week_label(aw.today),
        "r-TOTAL_FORMS": str(total),
        "r-INITIAL_FORMS": "0",
        "r-MIN_NUM_FORMS": "0",
        "r-MAX_NUM_FORMS": "40",
    }
    for i in range(total):
        line = lines[i] if i < len(lines) else {}
        data[f"r-{i}-day"] = line.get("day", aw.today.isoformat())
        data[f"r-{i}-school"] = line.get("school", aw.world.a.pk)
        data[f"r-{i}-area"] = line.get("area", TaskArea.STUDENT)
        data[f"r-{i}-hours"] = line.get("hours", "")
        data[f"r-{i}-note"] = line.get("note", "")
    return data


def test_bulk_form_writes_40_in_one_submit(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    assert client.get(reverse("activities:week_bulk")).status_code == 200
    days = [monday_of(aw.today) + timedelta(days=i) for i in range(7)]
    days = [d for d in days if d <= aw.today + timedelta(days=7)]
    lines = [
        {"day": days[i % len(days)].isoformat(), "hours": "0,25", "area": TaskArea.values[i % 6]}
        for i in range(40)
    ]
    before = Activity.objects.filter(bpo=aw.bpo).count()
    response = client.post(reverse("activities:week_bulk"), bulk_data(aw, lines))
    assert response.status_code == 302
    assert Activity.objects.filter(bpo=aw.bpo).count() == before + 40
    event = AuditEvent.objects.get(action="activity.week_logged")
    assert event.extra.get("count") == 40


def test_bulk_form_bad_line_writes_nothing(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    lines = [{"hours": "1"} for _ in range(5)]
    lines[3] = {"hours": "13"}
    lines.append({"hours": "1", "school": aw.world.b.pk})  # line 6: not the BPO's school
    before = Activity.objects.count()
    response = client.post(reverse("activities:week_bulk"), bulk_data(aw, lines))
    assert response.status_code == 200
    assert Activity.objects.count() == before
    html = response.content.decode()
    assert "tussen 0,25 en 12" in html
    formset = response.context["formset"]
    assert formset.forms[3].errors
    assert not formset.forms[2].errors


def test_log_week_service_error_per_row(activities_world):
    aw = activities_world
    rows = [
        services.Row(aw.today, aw.world.a, Decimal(1), TaskArea.TEAM),
        services.Row(aw.today, aw.world.b, Decimal(1), TaskArea.TEAM),
    ]
    with pytest.raises(ValidationError) as info:
        services.log_week(bpo=aw.bpo, rows=rows, acting_user=aw.bpo)
    assert set(info.value.params["rows"]) == {1}


# --- CSV import ----------------------------------------------------------------------------------


def _days(aw):
    year = SchoolYear.current()
    earlier = max(year.start, aw.today - timedelta(days=3))
    return year, earlier


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1"])
@pytest.mark.parametrize("sep", [";", ","])
def test_import_happy_path(activities_world, encoding, sep):
    aw = activities_world
    _year, earlier = _days(aw)
    code = aw.world.a.location_code
    hours = '"1,5"' if sep == "," else "1,5"
    lines = [
        sep.join(["datum", "school", "taakgebied", "uren", "onderdeel", "notitie"]),
        sep.join([earlier.isoformat(), code, "Ouders", hours, "Oudergesprek", "Zoë"]),
        sep.join([aw.today.strftime("%d-%m-%Y"), code.lower(), "TEAM", "2", "", ""]),
        sep.join([aw.today.isoformat(), code, "docenten en team", "0.75", "", "café"]),
    ]
    raw = ("\r\n".join(lines) + "\r\n").encode(encoding)
    before = Activity.objects.count()
    result = services.import_csv(bpo=aw.bpo, raw_bytes=raw, acting_user=aw.bpo)
    assert result.count == 3
    assert result.hours == Decimal("4.25")
    assert Activity.objects.count() == before + 3
    first = Activity.objects.get(sub_area="Oudergesprek")
    assert first.area == TaskArea.PARENTS and first.hours == Decimal("1.5")
    assert first.note == "Zoë"
    assert Activity.objects.filter(note="café").exists()
    assert AuditEvent.objects.get(action="activity.imported").extra.get("count") == 3


def test_import_dutch_labels_whatever_the_language(activities_world):
    from django.utils import translation

    aw = activities_world
    raw = f"{aw.today.isoformat()};{aw.world.a.location_code};Schoolorganisatie;1,5".encode()
    with translation.override("en"):
        result = services.import_csv(bpo=aw.bpo, raw_bytes=raw, acting_user=aw.bpo)
    assert result.count == 1
    assert Activity.objects.filter(area=TaskArea.ORGANISATION, hours=Decimal("1.5")).exists()


def test_create_page_shows_the_week_table(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    page = client.get(reverse("activities:activity_create"))
    assert page.context["table"].total == Decimal("1.5")
    assert "Uren per dag en taakgebied" in page.content.decode()
    response = client.post(reverse("activities:activity_create"), form(aw, hours="99"))
    assert response.context["table"].total == Decimal("1.5")


def test_import_acceptance_bad_rows_refused_whole(client, activities_world):
    aw = activities_world
    year, earlier = _days(aw)
    code = aw.world.a.location_code
    outside = year.start - timedelta(days=1)
    raw = "\n".join(
        [
            "datum;school;taakgebied;uren;onderdeel;notitie",
            f"{earlier.isoformat()};{code};student;1;;",
            f"{earlier.isoformat()};{code};vergaderen;1;;",
            f"{earlier.isoformat()};{code};ouders;-2;;",
            f"{outside.isoformat()};{code};ouders;1;;",
            f"{earlier.isoformat()};{code};team;2;;",
        ]
    ).encode()
    sign_in(client, aw.bpo)
    before = Activity.objects.count()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("uren.csv", raw, content_type="text/csv")
    response = client.post(reverse("activities:activity_import"), {"file": upload})
    assert response.status_code == 200
    assert Activity.objects.count() == before
    problems = response.context["problems"]
    assert len(problems) == 3
    assert problems[0].startswith("regel 3:") and "taakgebied" in problems[0]
    assert problems[1].startswith("regel 4:") and "negatieve duur" in problems[1]
    assert problems[2].startswith("regel 5:") and "buiten schooljaar" in problems[2]
    assert "regel 5" in response.content.decode()
    assert not AuditEvent.objects.filter(action="activity.imported").exists()


def test_import_other_problems(activities_world):
    aw = activities_world
    code = aw.world.a.location_code
    cases = [
        (f"{aw.today.isoformat()};{aw.world.b.location_code};team;1", "onbekende school"),
        (f"{aw.today.isoformat()};{code};team;13", "tussen 0,25 en 12"),
        (f"morgen;{code};team;1", "ongeldige datum"),
        (f"{aw.today.isoformat()};{code};team;abc", "ongeldig aantal uren"),
    ]
    for line, reason in cases:
        with pytest.raises(ValidationError) as info:
            services.import_csv(bpo=aw.bpo, raw_bytes=line.encode(), acting_user=aw.bpo)
        assert reason in info.value.messages[0], line
    with pytest.raises(ValidationError):
        services.import_csv(bpo=aw.bpo, raw_bytes=b"", acting_user=aw.bpo)
    with pytest.raises(ValidationError):
        services.import_csv(bpo=aw.bpo, raw_bytes=b"\x00\x01", acting_user=aw.bpo)
    many = "\n".join(f"{aw.today.isoformat()};{code};team;1" for _ in range(5001))
    with pytest.raises(ValidationError) as info:
        services.import_csv(bpo=aw.bpo, raw_bytes=many.encode(), acting_user=aw.bpo)
    assert "5000" in info.value.messages[0]


def test_import_page_summary(client, activities_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    aw = activities_world
    sign_in(client, aw.bpo)
    raw = f"{aw.today.isoformat()};{aw.world.a.location_code};team;1".encode()
    upload = SimpleUploadedFile("uren.csv", raw, content_type="text/csv")
    response = client.post(reverse("activities:activity_import"), {"file": upload})
    assert "1 activiteiten geïmporteerd" in response.content.decode()
    bad = SimpleUploadedFile("uren.exe", raw)
    response = client.post(reverse("activities:activity_import"), {"file": bad})
    assert 'aria-invalid="true"' in response.content.decode()


def test_export_round_trips(client, activities_world):
    aw = activities_world
    sign_in(client, aw.bpo)
    response = client.get(reverse("activities:activity_export"))
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "Gesprek" in text and aw.world.b.location_code not in text
    Activity.objects.filter(bpo=aw.bpo).delete()
    result = services.import_csv(bpo=aw.bpo, raw_bytes=body, acting_user=aw.bpo)
    assert result.count == 1


# --- Totals --------------------------------------------------------------------------------------


def test_totals_equal_sum_of_rows(activities_world, django_assert_num_queries):
    aw = activities_world
    _fill(aw.bpo, aw.world.a, monday_of(aw.today) - timedelta(days=7), 17)
    expected: dict = {}
    for a in Activity.objects.all():
        key = (a.school_id, a.area)
        expected[key] = expected.get(key, Decimal(0)) + a.hours
    with django_assert_num_queries(1):
        result = totals()
    assert result == expected
    mine = totals(bpo=aw.bpo, school_year=SchoolYear.current())
    assert all(school_id == aw.world.a.pk for school_id, _area in mine)
    assert sum(mine.values()) == sum(
        a.hours for a in Activity.objects.filter(bpo=aw.bpo, school_year=SchoolYear.current())
    )
    assert totals(school=aw.world.b) == {(aw.world.b.pk, TaskArea.PARENTS): Decimal(2)}
    assert totals(start=aw.today + timedelta(days=1)) == {}


# --- Demo ----------------------------------------------------------------------------------------


def test_demo_activities_load_idempotent(db):
    from io import StringIO

    from django.core.management import call_command

    from passend.accounts.models import User
    from passend.demo import activities as demo_activities

    call_command("demo", stdout=StringIO())
    users = {u.email: u for u in User.objects.all()}
    demo_activities.load(users)
    count = Activity.objects.count()
    demo_activities.load(users)
    assert Activity.objects.count() == count
    year = SchoolYear.current()
    if year.start <= timezone.localdate() - timedelta(days=21):
        assert count > 0
    bpo_a = users["bpo.a@drechtsteden.example"]
    assert set(
        Activity.objects.filter(bpo=bpo_a).values_list("school__location_code", flat=True)
    ) <= {"20KZ00"}
