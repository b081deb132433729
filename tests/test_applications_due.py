"""What is due in applications (passend.applications.due.due_items), with frozen dates: a granted
TLV ending within three months and a running objection period for the school's coordinator and
BPOs, submitted applications awaiting the SWV for its consultant and admin; nothing from other
schools or partnerships; a constant number of queries however many items."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.choices import Role
from passend.applications import services
from passend.applications.choices import ApplicationKind, ApplicationStatus, Outcome
from passend.applications.due import (
    OBJECTION_DEADLINE,
    TLV_ENDING,
    TO_DECIDE,
    due_items,
)
from passend.applications.models import Application
from passend.caseload.models import SupportCase
from passend.due.items import DueItem
from passend.students.models import Student
from tests import factories
from tests.fixtures_applications import granted, ready_draft, submitted, under_review
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
DECIDED = datetime.date(2026, 3, 2)


def _kinds(user, on) -> list[tuple[str, datetime.date]]:
    return sorted((i.kind, i.due_on) for i in due_items(user, on))


@pytest.fixture
def decided(caseload_world):
    """A TLV granted on 2 March 2026 from 1 April to 31 May 2026, and an arrangement refused the
    same day."""
    cw = caseload_world
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9), tick=False):
        cw.today = DECIDED
        tlv = granted(cw, starts_on=datetime.date(2026, 4, 1), ends_on=datetime.date(2026, 5, 31))
        refused = under_review(cw, kind=ApplicationKind.ARRANGEMENT_OP_MAAT)
        services.decide_application(
            refused,
            outcome=Outcome.REFUSED,
            decision_number="A-1",
            decided_on=DECIDED,
            acting_user=cw.world.users["consultant"],
        )
    return cw, tlv, refused


def test_the_school_sees_the_objection_deadline_until_day_42(decided):
    cw, tlv, refused = decided
    deadline = DECIDED + 42 * DAY
    for persona in ("coordinator", "bpo"):
        user = cw.world.users[persona]
        items = [i for i in due_items(user, DECIDED) if i.kind == OBJECTION_DEADLINE]
        assert sorted(i.url for i in items) == sorted(
            reverse("applications:application_detail", args=[a.code]) for a in (tlv, refused)
        )
        assert {i.due_on for i in items} == {deadline}
        assert all(isinstance(i, DueItem) and i.student == cw.student for i in items)
        assert all(i.school == cw.world.a and not i.overdue(deadline) for i in items)
        assert "Sam Jansen" in items[0].title and "13 april 2026" in items[0].title
        assert cw.student.first_name not in items[0].kind_label
    coordinator = cw.world.users["coordinator"]
    assert [k for k, _ in _kinds(coordinator, deadline)].count(OBJECTION_DEADLINE) == 2
    assert OBJECTION_DEADLINE not in dict(_kinds(coordinator, deadline + DAY))
    # Once an objection is filed the deadline is no longer due.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9), tick=False):
        services.record_objection(
            refused, filed_on=datetime.date(2026, 3, 9), acting_user=cw.world.users["consultant"]
        )
    assert [k for k, _ in _kinds(coordinator, DECIDED)].count(OBJECTION_DEADLINE) == 1


def test_the_school_sees_a_tlv_ending_within_three_months(decided):
    cw, tlv, _refused = decided
    coordinator = cw.world.users["coordinator"]
    ends = datetime.date(2026, 5, 31)
    assert TLV_ENDING not in dict(_kinds(coordinator, ends - 93 * DAY))
    for on in (ends - 92 * DAY, ends - DAY, ends):
        items = [i for i in due_items(coordinator, on) if i.kind == TLV_ENDING]
        assert [(i.due_on, i.student) for i in items] == [(ends, cw.student)], on
    assert TLV_ENDING not in dict(_kinds(coordinator, ends + DAY))
    # Closing the application does not end the TLV: it stays due.
    services.close_application(tlv, acting_user=cw.world.users["consultant"])
    assert TLV_ENDING in dict(_kinds(coordinator, ends))


def test_nobody_else_sees_the_schools_items(decided):
    cw, _tlv, _refused = decided
    for persona in (
        "director",
        "mentor",
        "partner",
        "office",
        "coordinator_b",
        "other_swv",
        "no_role",
        "superuser",
    ):
        assert due_items(cw.world.users[persona], DECIDED) == [], persona
    # The SWV decided them: nothing to do for it either.
    assert due_items(cw.world.users["consultant"], DECIDED) == []


def test_the_swv_sees_applications_awaiting_its_decision(caseload_world):
    cw = caseload_world
    users = cw.world.users
    waiting = submitted(cw)
    reviewing = under_review(cw, kind=ApplicationKind.ARRANGEMENT_OP_MAAT)
    ready_draft(cw)  # a draft is not the SWV's
    for persona in ("consultant", "partnership_admin"):
        items = due_items(users[persona], cw.today)
        assert sorted(i.url for i in items) == sorted(
            reverse("applications:application_detail", args=[a.code]) for a in (waiting, reviewing)
        )
        assert {i.kind for i in items} == {TO_DECIDE}
        assert {i.due_on for i in items} == {cw.today + 56 * DAY}  # Awb: eight weeks
    for persona in ("other_swv", "office", "coordinator", "bpo", "director"):
        assert TO_DECIDE not in {i.kind for i in due_items(users[persona], cw.today)}, persona
    only_b = factories.member(Role.CONSULTANT, school=cw.world.b)
    assert due_items(only_b, cw.today) == []
    services.start_review(waiting, acting_user=users["consultant"])
    services.decide_application(
        waiting,
        outcome=Outcome.GRANTED,
        decision_number="T-1",
        decided_on=cw.today,
        category="L",
        starts_on=cw.today,
        acting_user=users["consultant"],
    )
    assert len(due_items(users["consultant"], cw.today)) == 1


def _applications(cw, count: int, start: int, **fields) -> None:
    students = Student.objects.bulk_create(
        Student(
            partnership=cw.world.p,
            school=cw.world.a,
            student_number=str(start + n),
            first_name=f"Kind{n}",
            last_name="Visser",
            date_of_birth=years_ago(13),
            enrolled_on=cw.year.start,
        )
        for n in range(count)
    )
    cases = SupportCase.objects.bulk_create(
        SupportCase(
            partnership=cw.world.p,
            school=cw.world.a,
            student=s,
            signal_source="mentor",
            signalled_on=cw.today,
            signal="Signaal.",
        )
        for s in students
    )
    Application.objects.bulk_create(
        Application(
            partnership=cw.world.p,
            school=cw.world.a,
            student=c.student,
            case=c,
            kind=ApplicationKind.TLV_VSO,
            **fields,
        )
        for c in cases
    )


def _queries(user, on) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        items = due_items(user, on)
        for item in items:  # what the due page reads of each item
            str(item.title), item.student.full_name, item.school.name, item.url
    return len(items), len(queries)


def test_constant_queries_2_versus_20_items(caseload_world):
    cw = caseload_world
    on = cw.today
    granted_fields = {
        "status": ApplicationStatus.GRANTED,
        "outcome": Outcome.GRANTED,
        "decision_number": "X",
        "decided_on": on,
        "category": "M",
        "starts_on": on,
        "ends_on": on + 30 * DAY,
        "submitted_on": on,
    }
    waiting_fields = {"status": ApplicationStatus.SUBMITTED, "submitted_on": on}
    _applications(cw, 1, 8000, **granted_fields)
    _applications(cw, 1, 8100, **waiting_fields)
    coordinator = cw.world.users["coordinator"]
    consultant = cw.world.users["consultant"]
    due_items(coordinator, on), due_items(consultant, on)  # warm the per-request caches
    few_school = _queries(coordinator, on)
    few_swv = _queries(consultant, on)
    assert few_school[0] == 2 and few_swv[0] == 1  # ending and objection; awaiting
    _applications(cw, 9, 8200, **granted_fields)
    _applications(cw, 19, 8300, **waiting_fields)
    many_school = _queries(coordinator, on)
    many_swv = _queries(consultant, on)
    assert many_school[0] == 20 and many_swv[0] == 20
    assert many_school[1] == few_school[1]
    assert many_swv[1] == few_swv[1]
