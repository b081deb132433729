"""The transition pages through the test client (passend/transitions/views.py): record a
transition from the student page, read and change it, the school's list with its filters, the
section on the student page. Bad input gives the form again with the error on its field and
writes nothing; another school's coordinator gets 404; every page audits the read of the
student; the list and the student page keep a constant number of queries."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.privacy.audit import VIEW_ACTION
from passend.students.models import Student
from passend.transitions.models import Transition
from tests.fixtures_transitions import HANDOVER

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


def url(name: str, obj) -> str:
    return reverse(f"transitions:{name}", args=[obj.code])


def body(response) -> str:
    return response.content.decode()


def form_data(**overrides) -> dict:
    data = {
        "kind": "vo_mbo",
        "direction": "outgoing",
        "date": "2027-08-01",
        "other_school": "",
        "other_name": "Da Vinci College",
        "other_duo_code": "",
        "handover_on": "",
        "handover_with": "",
        "handover_notes": "",
        "consent": "",
        "consent_given_by": "",
        "consent_guardian": "",
        "consent_on": "",
    }
    data.update(overrides)
    return data


def written() -> tuple[int, int]:
    return Transition.objects.count(), AuditEvent.objects.exclude(action=VIEW_ACTION).count()


def read_events(user, student) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=VIEW_ACTION, actor=user, extra__student=str(student.code))
    )


def test_record_a_transition_from_the_student_page(client, transition_world):
    tw = transition_world
    bpo = tw.world.users["bpo"]
    noor = tw.student16
    sign_in(client, bpo)
    page = body(client.get(reverse("students:student_detail", args=[noor.code])))
    assert "Er zijn geen overstappen vastgelegd voor deze leerling." in page
    assert url("transition_create", noor) in page

    response = client.get(url("transition_create", noor))
    assert response.status_code == 200 and noor.full_name in body(response)
    assert read_events(bpo, noor)
    response = client.post(
        url("transition_create", noor),
        form_data(
            handover_on=(tw.cw.today - DAY).isoformat(),
            handover_with="Loopbaanadviseur mbo",
            handover_notes="Noor plant graag vooruit; wil een vaste contactpersoon.",
            consent="yes",
            consent_given_by="student",
            consent_on=tw.cw.today.isoformat(),
            shared_parts=["support_summary", "recommendations"],
        ),
    )
    transition = Transition.objects.get(student=noor)
    assert response.status_code == 302
    assert response["Location"] == url("transition_detail", transition)
    assert transition.consent_given is True and transition.created_by == bpo
    assert transition.shared_parts == ["support_summary", "recommendations"]

    detail = body(client.get(url("transition_detail", transition)))
    assert "Noor plant graag vooruit" in detail and "Da Vinci College" in detail
    assert "Handelingsadviezen" in detail
    page = body(client.get(reverse("students:student_detail", args=[noor.code])))
    assert url("transition_detail", transition) in page and "VO → MBO, uitgaand" in page
    assert "Toestemming gegeven op" in page


def test_edit_keeps_what_is_not_changed(client, transition_world):
    tw = transition_world
    t = tw.transition
    sign_in(client, tw.world.users["coordinator"])
    form = client.get(url("transition_edit", t)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "other_school": "",
            "consent_guardian": str(tw.cw.guardian.code),
            "date": t.date.isoformat(),
            "handover_on": t.handover_on.isoformat(),
            "consent_on": t.consent_on.isoformat(),
            "handover_notes": HANDOVER + " Aangevuld.",
        }
    )
    response = client.post(url("transition_edit", t), data)
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.handover_notes.endswith("Aangevuld.") and t.shared_parts == ["education_report"]
    assert t.consent_guardian == tw.cw.guardian and t.other_duo_code == "12AB"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"shared_parts": ["plan"]}, "shared_parts"),  # no consent recorded
        (
            {
                "shared_parts": ["plan"],
                "consent": "no",
                "consent_given_by": "student",
                "consent_on": "2026-01-05",
            },
            "shared_parts",
        ),
        ({"consent": "yes", "consent_given_by": "student"}, "consent_on"),
        ({"kind": "po_vo"}, "direction"),
        ({"other_name": ""}, "other_name"),
        ({"other_duo_code": "XX"}, "other_duo_code"),
        ({"date": "2026-13-45"}, "date"),
        ({"other_name": "x" * 201}, "other_name"),
        ({"handover_notes": "A\x00B", "handover_on": "2026-06-01"}, "handover_notes"),
        ({"shared_parts": ["bsn"]}, "shared_parts"),
        ({"consent": "maybe"}, "consent"),
    ],
)
def test_bad_input_shows_the_error_and_writes_nothing(client, transition_world, overrides, field):
    tw = transition_world
    sign_in(client, tw.world.users["coordinator"])
    before = written()
    response = client.post(url("transition_create", tw.student16), form_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert written() == before
    assert 'aria-invalid="true"' in body(response)


def test_a_guardian_consent_for_a_student_of_16_is_refused_on_the_page(client, transition_world):
    tw = transition_world
    sign_in(client, tw.world.users["coordinator"])
    before = written()
    response = client.post(
        url("transition_create", tw.student16),
        form_data(
            consent="yes",
            consent_given_by="guardian",
            consent_on=tw.cw.today.isoformat(),
            shared_parts=["plan"],
        ),
    )
    assert response.status_code == 200
    assert "Vanaf 16 jaar beslist de leerling zelf" in body(response)
    assert written() == before


def test_other_school_gets_404(client, transition_world):
    tw = transition_world
    users = tw.world.users
    sign_in(client, users["coordinator_b"])
    for address in (
        url("transition_detail", tw.transition),
        url("transition_edit", tw.transition),
        url("transition_create", tw.student),
        url("transition_list", tw.world.a),
    ):
        assert client.get(address).status_code == 404, address
    assert client.post(url("transition_edit", tw.transition), form_data()).status_code == 404
    # B's own transition, linked to school A, is not A's to see.
    sign_in(client, users["coordinator"])
    assert client.get(url("transition_detail", tw.transition_b)).status_code == 404
    page = body(client.get(url("transition_list", tw.world.a)))
    assert tw.cw.student_b.last_name + ", Bo" not in page


def test_wrong_method(client, transition_world):
    tw = transition_world
    sign_in(client, tw.world.users["coordinator"])
    assert client.post(url("transition_detail", tw.transition)).status_code == 405
    assert client.post(url("transition_list", tw.world.a)).status_code == 405


def _more(tw, n: int, **fields) -> None:
    start = tw.cw.year.start
    for i in range(n):
        student = Student.objects.create(
            partnership=tw.world.p,
            school=tw.world.a,
            student_number=f"7{i:03d}{len(fields)}",
            first_name=f"Kind{i}",
            last_name="Overstap",
            date_of_birth=datetime.date(2014, 3, 1),
            enrolled_on=start,
            class_name="1A",
        )
        Transition.objects.create(
            partnership=tw.world.p,
            school=tw.world.a,
            student=student,
            kind=fields.get("kind", "po_vo"),
            direction=fields.get("direction", "incoming"),
            other_name="Basisschool",
            date=fields.get("date", start),
        )


def test_list_filters_and_audit(client, transition_world):
    tw = transition_world
    coordinator = tw.world.users["coordinator"]
    _more(tw, 2, kind="vo_vso", direction="outgoing", date=tw.cw.year.start - 30 * DAY)
    sign_in(client, coordinator)
    address = url("transition_list", tw.world.a)

    def shown(**params) -> int:
        return len(client.get(address, params).context["page_obj"].object_list)

    assert shown() == 3
    assert shown(kind="po_vo") == 1
    assert shown(direction="outgoing") == 2
    assert shown(year=tw.cw.year.name) == 1
    previous = f"{tw.cw.year.start.year - 1}-{tw.cw.year.start.year}"
    assert shown(year=previous) == 2
    assert shown(kind="nonsense", year="1999", page="x") == 3  # bad filters: no filter
    assert read_events(coordinator, tw.student)


def test_list_query_count_is_constant(client, transition_world):
    tw = transition_world
    sign_in(client, tw.world.users["coordinator"])
    address = url("transition_list", tw.world.a)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    _more(tw, 20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)
    assert len(response.context["page_obj"].object_list) == 21
    assert len(many) == len(few)


def test_student_page_query_count_is_constant_in_transitions(client, transition_world):
    tw = transition_world
    sign_in(client, tw.world.users["coordinator"])
    address = reverse("students:student_detail", args=[tw.student.code])
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for _ in range(5):
        Transition.objects.create(
            partnership=tw.world.p,
            school=tw.world.a,
            student=tw.student,
            kind="vo_vo",
            direction="outgoing",
            other_school=tw.world.b,
            other_name=tw.world.b.name,
            date=tw.cw.today,
        )
    with CaptureQueriesContext(connection) as many:
        page = body(client.get(address))
    assert len(many) == len(few)
    assert page.count(tw.world.b.name) >= 5


def test_no_read_event_holds_the_handover_notes(client, transition_world):
    tw = transition_world
    sign_in(client, tw.world.users["bpo"])
    for name, obj in (
        ("transition_detail", tw.transition),
        ("transition_edit", tw.transition),
        ("transition_list", tw.world.a),
        ("transition_create", tw.student),
    ):
        assert client.get(url(name, obj)).status_code == 200
    events = AuditEvent.objects.filter(action=VIEW_ACTION)
    assert events.count() >= 4
    for event in events:
        assert HANDOVER not in str(event.extra)
