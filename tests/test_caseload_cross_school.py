"""Cross-school (issue 6 acceptance): a BPO of one school never reaches a case or student of
another school — not by its address, not through a meeting's agenda, not by searching, not in
"my cases" or "my meetings". Exports have their own test (tests/test_caseload_exports.py)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.caseload import meetings
from passend.caseload.models import AgendaItem, Meeting, MeetingAttendee
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bpo_b(caseload_world):
    return factories.member(Role.BPO, school=caseload_world.world.b, email="bpo.b@example.org")


def _login(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()
    return client


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("caseload:case_detail", "case"),
        ("caseload:case_edit", "case"),
        ("caseload:contact_create", "case"),
        ("caseload:observation_pdf", "observation"),
        ("caseload:recommendation_follow_up", "recommendation"),
        ("students:student_detail", "student"),
        ("caseload:mentor_report", "student"),
        ("caseload:case_list", "school"),
        ("students:student_list", "school"),
        ("caseload:meeting_list", "school"),
    ],
)
def test_a_bpo_of_school_b_gets_404_for_school_a(client, caseload_world, bpo_b, name, target):
    cw = caseload_world
    obj = cw.world.a if target == "school" else getattr(cw, target)
    _login(client, bpo_b)
    response = client.get(reverse(name, args=[obj.code]), {"q": "Sam"})
    assert response.status_code == 404
    assert cw.student.full_name not in response.content.decode()


def test_search_and_personal_lists_stay_within_the_school(client, caseload_world, bpo_b):
    cw = caseload_world
    _login(client, bpo_b)
    # B's own lists, searched for A's student: nothing of A.
    for url in (
        reverse("students:student_list", args=[cw.world.b.code]),
        reverse("caseload:case_list", args=[cw.world.b.code]),
    ):
        response = client.get(url, {"q": cw.student.first_name})
        assert response.status_code == 200
        assert cw.student.full_name not in response.content.decode()
    for url in (reverse("caseload:my_cases"), reverse("caseload:meeting_mine")):
        assert cw.student.full_name not in client.get(url).content.decode()


def test_a_meeting_of_school_b_cannot_put_a_case_of_school_a_on_its_agenda(
    client, caseload_world, bpo_b
):
    cw = caseload_world
    meeting = Meeting.objects.create(
        partnership=cw.world.p, school=cw.world.b, date=cw.today, created_by=bpo_b
    )
    MeetingAttendee.objects.create(meeting=meeting, user=bpo_b, name="Bpo B")
    # The agenda offers only B's cases …
    assert cw.case not in meetings.agenda_choices(meeting)
    _login(client, bpo_b)
    # … and a posted code of A's case is refused without saying what it is.
    response = client.post(
        reverse("caseload:agenda_item_add", args=[meeting.code]),
        {"case": str(cw.case.code)},
        follow=True,
    )
    assert not AgendaItem.objects.filter(case=cw.case).exists()
    assert cw.student.full_name not in response.content.decode()
    # And A's meetings are invisible to B.
    a_meeting = Meeting.objects.create(partnership=cw.world.p, school=cw.world.a, date=cw.today)
    AgendaItem.objects.create(meeting=a_meeting, case=cw.case)
    assert client.get(reverse("caseload:meeting_detail", args=[a_meeting.code])).status_code == 404
