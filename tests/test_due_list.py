"""The due list (passend.due): ``due_for`` collects every provider, overdue first, then by
deadline, in a constant number of queries however many items; the consent provider
(passend.caseload.due) and the adapters of werkafspraken and the quality framework; the due page
and the start page panel, scoped per school and auditing the students they name; the digest
choice; the demo coordinator's list."""

from __future__ import annotations

import datetime
import time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import User
from passend.audit.models import AuditEvent
from passend.caseload.due import EXPIRING_DAYS
from passend.caseload.models import Consent
from passend.due import items as due_items
from passend.due.services import due_for
from passend.front.views import DUE_PANEL_SIZE
from passend.privacy.audit import VIEW_ACTION
from passend.students.models import Guardian, Student
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def fresh(user):
    """The user without the scope cached on the object (after memberships changed)."""
    return User.objects.get(pk=user.pk)


def consent(dw, student, guardian, *, days: int, domain="youth_care", **kw) -> Consent:
    return Consent.objects.create(
        partnership=student.partnership,
        school=student.school,
        student=student,
        given_by=kw.pop("given_by", "guardian"),
        guardian=guardian,
        domain=domain,
        purpose="Bespreking in het SOT",
        given_on=kw.pop("given_on", dw.today - 100 * DAY),
        expires_on=dw.today + days * DAY if days is not None else None,
        **kw,
    )


def kinds(items) -> list[tuple[str, str]]:
    return [(i.kind, i.title) for i in items]


# --- Collecting and sorting --------------------------------------------------------------------


def test_providers_are_registered_and_imported_lazily():
    assert {
        "passend.agreements.due.due_items",
        "passend.quality.due.due_items",
        "passend.caseload.due.due_items",
    } <= set(due_items.PROVIDERS)


def test_overdue_first_then_by_deadline(due_world, monkeypatch):
    dw = due_world
    coordinator = dw.world.users["coordinator"]
    consent(dw, dw.student, dw.cw.guardian, days=3, domain="safety")
    items = due_for(coordinator, dw.today)
    # The bpo persona has no werkafspraken this year: due since the start of the year.
    assert [(i.kind, i.overdue(dw.today)) for i in items] == [
        ("agreement_missing", True),
        ("consent_expiring", False),
        ("consent_expiring", False),
    ]
    assert [i.due_on for i in items[1:]] == [dw.today + 3 * DAY, dw.today + 10 * DAY]
    assert items[0].due_on == dw.cw.year.start
    assert dw.world.users["bpo"].full_name in items[0].title
    assert items[1].student == dw.student and "Veiligheid" in items[1].title
    assert items[1].url == reverse("students:student_detail", args=[dw.student.code])

    # Every registered provider is asked; a new one joins the list by its dotted path.
    monkeypatch.setattr(
        due_items, "PROVIDERS", [*due_items.PROVIDERS, "tests.test_due_list.late_provider"]
    )
    items = due_for(coordinator, dw.today)
    assert items[0].kind == "test_late" and items[-1].due_on == dw.today + 10 * DAY


def late_provider(user, on):
    return [
        due_items.DueItem(
            kind="test_late", kind_label="Test", title="Heel laat", due_on=on - 400 * DAY, url="/"
        )
    ]


def test_nothing_for_anonymous_or_inactive(due_world):
    from django.contrib.auth.models import AnonymousUser

    dw = due_world
    assert due_for(AnonymousUser(), dw.today) == []
    coordinator = dw.world.users["coordinator"]
    coordinator.is_active = False
    assert due_for(coordinator, dw.today) == []


# --- Consent expiring -------------------------------------------------------------------------


def test_each_school_sees_only_its_own_consents(due_world):
    dw = due_world
    users = dw.world.users

    def consent_students(user) -> list:
        return [i.student for i in due_for(user, dw.today) if i.kind == "consent_expiring"]

    assert consent_students(users["coordinator"]) == [dw.student]
    assert consent_students(users["bpo"]) == [dw.student]
    assert consent_students(users["coordinator_b"]) == [dw.cw.student_b]
    for persona in ("mentor", "partner", "director", "consultant", "partnership_admin"):
        assert consent_students(users[persona]) == [], persona
    # Nothing of school B reaches A's coordinator at all.
    for item in due_for(users["coordinator"], dw.today):
        assert item.school in (None, dw.world.a), item
        assert item.student in (None, dw.student), item


def test_which_consents_are_due(due_world):
    dw = due_world
    coordinator = dw.world.users["coordinator"]
    noor = dw.student16

    def titles() -> list[str]:
        fresh_user = fresh(coordinator)
        return [i.title for i in due_for(fresh_user, dw.today) if i.kind == "consent_expiring"]

    base = titles()
    assert len(base) == 1  # Sam's youth-health consent, in 10 days
    # Ends today: still due (valid through its last day); beyond the window or ended: not.
    consent(dw, noor, None, days=0, given_by="student", domain="safety")
    consent(dw, noor, None, days=EXPIRING_DAYS + 1, given_by="student", domain="youth_health")
    consent(dw, noor, None, days=-1, given_by="student", domain="education_support")
    consent(dw, noor, None, days=5, given_by="student", domain="youth_care", withdrawn_on=dw.today)
    assert len(titles()) == 2 and any("Noor" in t and "Veiligheid" in t for t in titles())
    # A newer consent for the same scope that runs on: renewed, not due.
    consent(dw, noor, None, days=None, given_by="student", domain="safety", given_on=dw.today)
    assert titles() == base


def test_a_guardian_consent_ends_when_the_student_turns_16(due_world):
    dw = due_world
    birthday = dw.today + 20 * DAY
    student = Student.objects.create(
        partnership=dw.world.p,
        school=dw.world.a,
        student_number="1600",
        first_name="Kees",
        last_name="Smit",
        date_of_birth=birthday.replace(year=birthday.year - 16),
        enrolled_on=dw.cw.year.start,
    )
    mother = Guardian.objects.create(student=student, name="M. Smit", relation="mother")
    consent(dw, student, mother, days=None)  # no end date of its own
    (item,) = [i for i in due_for(dw.world.users["coordinator"], dw.today) if i.student == student]
    assert item.due_on == birthday - DAY
    assert "wordt 16" in item.title


# --- Query count -------------------------------------------------------------------------------


def test_query_count_is_constant_in_the_number_of_items(due_world):
    dw = due_world
    coordinator = dw.world.users["coordinator"]

    def add(n: int) -> None:
        for i in range(n):
            student = Student.objects.create(
                partnership=dw.world.p,
                school=dw.world.a,
                student_number=f"9{Student.objects.count():04d}",
                first_name=f"Kind{i}",
                last_name="Teller",
                date_of_birth=datetime.date(2013, 5, 1),
                enrolled_on=dw.cw.year.start,
            )
            guardian = Guardian.objects.create(
                student=student, name=f"Ouder {i}", relation="mother"
            )
            consent(dw, student, guardian, days=1 + i % 20)
            factories.member(Role.BPO, school=dw.world.a)  # werkafspraken missing

    def measure():
        user = fresh(coordinator)
        with CaptureQueriesContext(connection) as ctx:
            items = due_for(user, dw.today)
        return items, len(ctx.captured_queries)

    add(1)
    measure()  # creates last school year's row once (SchoolYear.get_or_create_for_start_year)
    small, small_count = measure()
    add(19)
    big, big_count = measure()
    assert len(big) == len(small) + 19 * 2
    assert sum(i.kind == "consent_expiring" for i in big) == 21
    assert big_count == small_count


# --- The due page and the start page panel -----------------------------------------------------


def test_due_page_groups_and_audits_the_students_shown(client, due_world):
    dw = due_world
    coordinator = dw.world.users["coordinator"]
    sign_in(client, coordinator)
    response = client.get(reverse("due:due_list"))
    page = response.content.decode()
    groups = response.context["groups"]
    assert [i.kind for i in groups.overdue] == ["agreement_missing"]
    assert [i.kind for i in groups.soon] == ["consent_expiring"]
    assert "Te laat (1)" in page and "Binnenkort (1)" in page
    assert dw.student.full_name in page and dw.cw.student_b.full_name not in page
    assert "De uiterste datum was" in page and "Uiterlijk" in page
    events = AuditEvent.objects.filter(action=VIEW_ACTION, actor=coordinator)
    assert [e.extra["student"] for e in events] == [str(dw.student.code)]
    assert events[0].extra["what"] == "due_list"
    assert events[0].extra["on_behalf_of"] == "coordinator"
    assert dw.student.full_name not in str(events[0].extra)

    # Nothing due: no student named, nothing audited.
    sign_in(client, dw.world.users["mentor"])
    page = client.get(reverse("due:due_list")).content.decode()
    assert "Er is nu niets te doen." in page
    assert not AuditEvent.objects.filter(action=VIEW_ACTION, actor=dw.world.users["mentor"])


def test_due_page_query_count_is_constant(client, due_world):
    dw = due_world
    sign_in(client, dw.world.users["coordinator"])
    address = reverse("due:due_list")
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for i in range(15):
        student = Student.objects.create(
            partnership=dw.world.p,
            school=dw.world.a,
            student_number=f"8{i:03d}",
            first_name=f"Kind{i}",
            last_name="Pagina",
            date_of_birth=datetime.date(2013, 5, 1),
            enrolled_on=dw.cw.year.start,
        )
        guardian = Guardian.objects.create(student=student, name=f"Ouder {i}", relation="mother")
        consent(dw, student, guardian, days=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)
    assert len(response.context["groups"].soon) == 16
    assert len(many) == len(few)


def test_start_page_panel(client, due_world):
    dw = due_world
    coordinator = dw.world.users["coordinator"]
    consent(dw, dw.student16, None, days=20, given_by="student")
    for i in range(DUE_PANEL_SIZE + 1):
        student = Student.objects.create(
            partnership=dw.world.p,
            school=dw.world.a,
            student_number=f"6{i:03d}",
            first_name=f"Kind{i}",
            last_name="Start",
            date_of_birth=datetime.date(2013, 5, 1),
            enrolled_on=dw.cw.year.start,
        )
        guardian = Guardian.objects.create(student=student, name=f"Ouder {i}", relation="mother")
        consent(dw, student, guardian, days=21 + i)
    sign_in(client, coordinator)
    response = client.get(reverse("front:home"))
    page = response.content.decode()
    assert len(response.context["due_items"]) == DUE_PANEL_SIZE
    assert f"Alles wat te doen is ({DUE_PANEL_SIZE + 4})" in page  # 1 + 1 + 1 + 7
    assert reverse("due:due_list") in page
    assert "Werkafspraken ontbreken" in page and dw.student.full_name in page
    audited = set(
        AuditEvent.objects.filter(action=VIEW_ACTION, actor=coordinator).values_list(
            "extra__student", flat=True
        )
    )
    # The students of the items shown, and only those (Sam, Noor and three of the others).
    shown = {str(i.student.code) for i in response.context["due_items"] if i.student}
    assert audited == shown and len(shown) == DUE_PANEL_SIZE - 1
    assert {str(dw.student.code), str(dw.student16.code)} <= audited
    # A user with nothing due gets the short panel.
    sign_in(client, dw.world.users["office"])
    assert "Er is nu niets te doen." in client.get(reverse("front:home")).content.decode()


def test_digest_choice(client, due_world):
    dw = due_world
    mentor = dw.world.users["mentor"]
    sign_in(client, mentor)
    address = reverse("due:digest_preference")
    assert client.get(address).status_code == 405
    response = client.post(address, {"digest": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("due:due_list")
    mentor.refresh_from_db()
    assert mentor.due_digest is True
    event = AuditEvent.objects.get(action="user.due_digest")
    assert event.actor == mentor and event.extra == {"enabled": True}
    page = client.get(reverse("due:due_list")).content.decode()
    assert 'name="digest" checked' in page or "checked" in page
    client.post(address, {})
    mentor.refresh_from_db()
    assert mentor.due_digest is False
    client.post(address, {})  # unchanged: nothing written
    assert AuditEvent.objects.filter(action="user.due_digest").count() == 2


# --- The demo ----------------------------------------------------------------------------------


def test_demo_coordinators_due_list(client):
    """Late in the school year: school A's coordinator sees A's overdue self-assessment, the
    demo's expiring consents (Sem, Noa) and werkafspraken to confirm — nothing of school B."""
    from passend.demo.services import SCHOOL_A, SCHOOL_B
    from passend.organisations.models import School

    with time_machine.travel(datetime.datetime(2027, 7, 10, 12, 0), tick=False):
        call_command("demo", stdout=StringIO())
        today = datetime.date(2027, 7, 10)
        a = School.objects.get(location_code=SCHOOL_A)
        b = School.objects.get(location_code=SCHOOL_B)
        oc_a = User.objects.get(email="oc.a@drechtsteden.example")
        items = due_for(oc_a, today)
        overdue = [i for i in items if i.overdue(today)]
        assert overdue and {i.kind for i in overdue} >= {"assessment_not_submitted"}
        assert {i.student.first_name for i in items if i.kind == "consent_expiring"} == {
            "Sem",
            "Noa",
        }
        assert all(i.school == a for i in items), [(i.kind, i.school) for i in items]
        assert all(i.student.school == a for i in items if i.student)
        b_students = set(Student.objects.filter(school=b).values_list("pk", flat=True))
        assert not any(i.student and i.student.pk in b_students for i in items)

        sign_in(client, oc_a)
        response = client.get(reverse("due:due_list"))
        assert [i.title for i in response.context["groups"].overdue] == [i.title for i in overdue]
        page = response.content.decode()
        assert b.name not in page
        oc_b = User.objects.get(email="oc.b@drechtsteden.example")
        assert all(i.school == b for i in due_for(oc_b, today))


def test_demo_coordinators_due_list_today_has_the_demos_overdue_items(client):
    """On the day of the demo: oc.a's list holds the demo's overdue OPP to set (Youssef, six
    weeks passed), Noa's OPP held in consultation, and Sara's TLV ending within three months —
    all of school A; the page shows them and nothing of school B; the consultant sees the
    submitted Op Maat application to decide."""
    from django.utils import timezone

    from passend.demo.services import SCHOOL_A, SCHOOL_B
    from passend.organisations.models import School

    call_command("demo", stdout=StringIO())
    today = timezone.localdate()
    a = School.objects.get(location_code=SCHOOL_A)
    b = School.objects.get(location_code=SCHOOL_B)
    oc_a = User.objects.get(email="oc.a@drechtsteden.example")
    items = due_for(oc_a)
    overdue = {(i.kind, i.student.first_name) for i in items if i.overdue(today) and i.student}
    assert ("plan_to_set", "Youssef") in overdue
    assert ("plan_to_set", "Noa") in overdue
    assert ("tlv_ending", "Sara") in {(i.kind, i.student.first_name) for i in items if i.student}
    assert all(i.school == a for i in items)

    sign_in(client, oc_a)
    page = client.get(reverse("due:due_list")).content.decode()
    assert "Youssef" in page and b.name not in page
    for student in Student.objects.filter(school=b):
        assert student.full_name not in page

    consultant = User.objects.get(email="consulent@drechtsteden.example")
    assert "application_to_decide" in {i.kind for i in due_for(consultant)}
