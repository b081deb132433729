"""Students: the service rules (create and edit with guardians), the student pages per role with
their read audit, the list's search, filters and constant query count, the mentor's list, and
the guard that no model anywhere stores a BSN or onderwijsnummer (passend/students)."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.privacy.audit import VIEW_ACTION
from passend.students import services
from passend.students.models import Guardian, Student
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def fields(cw, **overrides) -> dict:
    data = {
        "student_number": "3001",
        "first_name": "Lotte",
        "name_prefix": "de",
        "last_name": "Vries",
        "date_of_birth": years_ago(13),
        "class_name": "1A",
        "year_of_study": 1,
        "level": "vwo",
        "mentor": cw.world.users["mentor"],
        "enrolled_on": cw.year.start,
        "left_on": None,
    }
    data.update(overrides)
    return data


def mother(**kw) -> services.GuardianInput:
    return services.GuardianInput(
        **{"name": "Anna de Vries", "relation": "mother", "email": "anna@example.org", **kw}
    )


def post_data(cw, **overrides) -> dict:
    data = {
        "student_number": "3001",
        "first_name": "Lotte",
        "name_prefix": "",
        "last_name": "Vries",
        "date_of_birth": years_ago(13).isoformat(),
        "class_name": "1A",
        "year_of_study": "1",
        "level": "vwo",
        "mentor": str(cw.world.users["mentor"].code),
        "enrolled_on": cw.year.start.isoformat(),
        "left_on": "",
        "ouders-TOTAL_FORMS": "2",
        "ouders-INITIAL_FORMS": "0",
        "ouders-MIN_NUM_FORMS": "0",
        "ouders-MAX_NUM_FORMS": "6",
        "ouders-0-code": "",
        "ouders-0-name": "Anna de Vries",
        "ouders-0-relation": "mother",
        "ouders-0-has_authority": "on",
        "ouders-0-email": "anna@example.org",
        "ouders-0-phone": "06-12345678",
        "ouders-1-code": "",
        "ouders-1-name": "",
        "ouders-1-relation": "parent",
        "ouders-1-email": "",
        "ouders-1-phone": "",
    }
    data.update(overrides)
    return data


# --- Services ------------------------------------------------------------------------------------


def test_create_student_with_guardians_and_audit(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    student = services.create_student(
        cw.world.a,
        fields(cw),
        [mother(), mother(name="Piet", relation="father")],
        acting_user=coordinator,
    )
    assert student.school == cw.world.a and student.partnership == cw.world.p
    assert [g.name for g in student.guardians.all()] == ["Anna de Vries", "Piet"]
    event = AuditEvent.objects.get(action="student.created", object_code=str(student.code))
    assert event.extra == {"guardians": 2}  # codes and counts only, never names


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": datetime.date.today() + datetime.timedelta(days=1)}, "date_of_birth"),
        ({"date_of_birth": years_ago(7)}, "date_of_birth"),
        ({"date_of_birth": years_ago(26)}, "date_of_birth"),
        ({"student_number": "1001"}, "student_number"),  # Sam's number at A
        ({"left_on": datetime.date(2020, 1, 1)}, "left_on"),
        ({"year_of_study": 7}, "year_of_study"),
        ({"first_name": "  "}, "first_name"),
        ({"mentor": "coordinator"}, "mentor"),
    ],
)
def test_create_student_rules_per_field(caseload_world, overrides, field):
    cw = caseload_world
    if overrides.get("mentor") == "coordinator":
        overrides = {"mentor": cw.world.users["coordinator"]}
    before = Student.objects.count()
    with pytest.raises(ValidationError) as error:
        services.create_student(
            cw.world.a, fields(cw, **overrides), [], acting_user=cw.world.users["coordinator"]
        )
    assert field in error.value.error_dict
    assert Student.objects.count() == before


def test_student_number_is_unique_per_school_only(caseload_world):
    cw = caseload_world
    # 2001 is Bo's number at B: A may use it too.
    student = services.create_student(
        cw.world.a, fields(cw, student_number="2001"), [], acting_user=cw.world.users["coordinator"]
    )
    assert student.student_number == "2001"


def test_only_the_coordinator_of_the_school_manages_students(caseload_world):
    cw = caseload_world
    for persona in ("bpo", "director", "mentor", "coordinator_b"):
        with pytest.raises(PermissionDenied):
            services.create_student(cw.world.a, fields(cw), [], acting_user=cw.world.users[persona])
    with pytest.raises(PermissionDenied):
        services.update_student(cw.student, fields(cw), [], acting_user=cw.world.users["bpo"])


def test_update_student_changes_guardians_in_place(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    keep = mother(name="Ria Jansen", relation="mother", code=str(cw.guardian.code))
    services.update_student(
        cw.student,
        fields(cw, student_number="1001", class_name="3C"),
        [keep, mother(name="Kees Jansen", relation="father", has_authority=False)],
        acting_user=coordinator,
    )
    cw.student.refresh_from_db()
    assert cw.student.class_name == "3C"
    names = list(cw.student.guardians.values_list("name", "has_authority"))
    assert names == [("Ria Jansen", True), ("Kees Jansen", False)]
    assert cw.student.guardians.filter(pk=cw.guardian.pk).exists()  # consent still points at her
    event = AuditEvent.objects.filter(action="student.updated").latest("pk")
    assert "class_name" in event.extra["fields"]
    assert "3C" not in str(event.extra)


def test_a_guardian_with_a_consent_cannot_be_removed(caseload_world):
    cw = caseload_world
    with pytest.raises(ValidationError):
        services.update_student(
            cw.student,
            fields(cw, student_number="1001"),
            [],
            acting_user=cw.world.users["coordinator"],
        )
    assert Guardian.objects.filter(pk=cw.guardian.pk).exists()


def test_bad_guardian_rows_are_refused(caseload_world):
    cw = caseload_world
    with pytest.raises(ValidationError) as error:
        services.create_student(
            cw.world.a,
            fields(cw),
            [mother(email="geen-adres"), mother(relation="aunt")],
            acting_user=cw.world.users["coordinator"],
        )
    assert len(error.value.error_dict["__all__"]) == 2


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "bpo"])
def test_file_and_list_for_coordinator_and_bpo_with_audit(client, caseload_world, persona):
    cw = caseload_world
    sign_in(client, cw.world.users[persona])
    page = client.get(reverse("students:student_detail", args=[cw.student.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sam Jansen" in body and "Ria Jansen" in body
    assert reverse("caseload:case_detail", args=[cw.case.code]) in body
    event = AuditEvent.objects.get(action=VIEW_ACTION)
    assert event.extra["student"] == str(cw.student.code)
    assert event.extra["what"] == "student"
    assert event.extra["on_behalf_of"] == persona
    assert event.actor == cw.world.users[persona]
    listing = client.get(reverse("students:student_list", args=[cw.world.a.code]))
    assert listing.status_code == 200
    assert "Sam" in listing.content.decode() and "Bo" not in listing.content.decode()
    assert AuditEvent.objects.filter(action="student_list.viewed", school=cw.world.a).count() == 1


@pytest.mark.parametrize(
    "persona", ["director", "consultant", "mentor", "partner", "coordinator_b", "office"]
)
def test_others_get_404_for_the_file(client, caseload_world, persona):
    cw = caseload_world
    sign_in(client, cw.world.users[persona])
    for url in (
        reverse("students:student_detail", args=[cw.student.code]),
        reverse("students:student_list", args=[cw.world.a.code]),
        reverse("students:student_edit", args=[cw.student.code]),
    ):
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action=VIEW_ACTION).exists()


def test_coordinator_b_sees_own_students_not_as(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator_b"])
    assert (
        client.get(reverse("students:student_detail", args=[cw.student_b.code])).status_code == 200
    )
    assert client.get(reverse("students:student_detail", args=[cw.student.code])).status_code == 404


def test_bpo_may_not_create_or_edit(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["bpo"])
    assert client.get(reverse("students:student_create", args=[cw.world.a.code])).status_code == 403
    response = client.post(
        reverse("students:student_create", args=[cw.world.a.code]), post_data(cw)
    )
    assert response.status_code == 403
    assert client.get(reverse("students:student_edit", args=[cw.student.code])).status_code == 403
    assert not Student.objects.filter(student_number="3001").exists()


def test_create_and_edit_pages(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    url = reverse("students:student_create", args=[cw.world.a.code])
    assert client.get(url).status_code == 200
    response = client.post(url, post_data(cw))
    assert response.status_code == 302
    student = Student.objects.get(school=cw.world.a, student_number="3001")
    assert student.mentor == cw.world.users["mentor"]
    assert student.guardians.get().phone == "06-12345678"

    edit = reverse("students:student_edit", args=[student.code])
    page = client.get(edit)
    assert page.status_code == 200 and "Anna de Vries" in page.content.decode()
    guardian = student.guardians.get()
    data = post_data(
        cw,
        class_name="2A",
        **{"ouders-INITIAL_FORMS": "1", "ouders-0-code": str(guardian.code), "ouders-0-name": ""},
    )
    assert client.post(edit, data).status_code == 302
    student.refresh_from_db()
    assert student.class_name == "2A"
    assert not student.guardians.exists()  # the emptied row removed her


def test_bad_input_rerenders_with_field_errors_and_writes_nothing(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    url = reverse("students:student_create", args=[cw.world.a.code])
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    for overrides in (
        {"date_of_birth": future},
        {"date_of_birth": "31-02-2012"},
        {"student_number": "1001"},
        {"left_on": "2000-01-01"},
        {"ouders-0-email": "geen"},
        {"mentor": "00000000-0000-0000-0000-000000000000"},
    ):
        response = client.post(url, post_data(cw, **overrides))
        assert response.status_code == 200, overrides
        assert "utrecht-form-field-error-message" in response.content.decode() or (
            "Niets opgeslagen" in response.content.decode()
        ), overrides
    assert not Student.objects.filter(first_name="Lotte").exists()


def test_wrong_method_is_405(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    url = reverse("students:student_detail", args=[cw.student.code])
    assert client.post(url).status_code == 405
    assert client.post(reverse("students:student_list", args=[cw.world.a.code])).status_code == 405


def _make_students(cw, count: int, start: int = 5000) -> None:
    Student.objects.bulk_create(
        Student(
            partnership=cw.world.p,
            school=cw.world.a,
            student_number=str(start + n),
            first_name=f"Kind{n}",
            last_name="Bakker",
            date_of_birth=years_ago(12),
            class_name="1C" if n % 2 else "1D",
            mentor=cw.world.users["mentor"],
            enrolled_on=cw.year.start,
        )
        for n in range(count)
    )


def test_list_search_filters_and_pagination(client, caseload_world):
    cw = caseload_world
    _make_students(cw, 60)
    Student.objects.filter(student_number="1002").update(left_on=cw.year.start)
    sign_in(client, cw.world.users["bpo"])
    url = reverse("students:student_list", args=[cw.world.a.code])

    def names(**params):
        body = client.get(url, params).content.decode()
        return set(re.findall(r">(Bakker, Kind\d+|Jansen, Sam|Jansen, Noor) ", body))

    assert len(names()) == 50  # 61 current students, 50 per page
    assert len(names(page=2)) == 11
    assert names(q="sam jansen") == {"Jansen, Sam"}
    assert names(q="5007") == {"Bakker, Kind7"}
    assert len(names(klas="1C")) == 30
    assert names(status="uitgeschreven") == {"Jansen, Noor"}
    assert "Jansen, Noor" not in names()
    assert client.get(url, {"status": "nonsense", "klas": "9Z", "page": "x"}).status_code == 200


def test_list_query_count_is_constant(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    url = reverse("students:student_list", args=[cw.world.a.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _make_students(cw, 45)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_detail_query_count_is_constant(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    url = reverse("students:student_detail", args=[cw.student.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        Guardian.objects.create(student=cw.student, name=f"Oom {n}", relation="other")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_mentor_list(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["mentor"])
    page = client.get(reverse("students:my_mentor_students"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Sam Jansen" in body and "Noor" not in body
    assert reverse("caseload:mentor_report", args=[cw.student.code]) in body
    sign_in(client, cw.world.users["bpo"])
    body = client.get(reverse("students:my_mentor_students")).content.decode()
    assert "Je hebt geen mentorleerlingen" in body and "Sam" not in body


# --- Data minimisation ----------------------------------------------------------------------------

FORBIDDEN_NAME = re.compile(r"bsn|burgerservice|onderwijsnummer|sofi_?nummer|sofinr", re.I)


def test_no_model_field_stores_a_bsn_or_onderwijsnummer():
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.label.startswith("passend") or model.__module__.startswith("passend")
        for field in model._meta.get_fields()
        if FORBIDDEN_NAME.search(field.name)
        or FORBIDDEN_NAME.search(str(getattr(field, "verbose_name", "")))
        or FORBIDDEN_NAME.search(getattr(field, "column", "") or "")
    ]
    assert offenders == []
    assert apps.get_models()  # the check ran over real models
