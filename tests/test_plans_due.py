"""What is due in OPPs (passend/plans/due.py), tested on the provider itself: "OPP to set" when
the six weeks of a first version end within 14 days or have passed, "OPP evaluation due" when
the plan in force is to be evaluated within 30 days or is late; for the school's coordinator and
BPOs only, current students only, and a constant number of queries (2 vs 20 plans)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.plans import clocks
from passend.plans.choices import PlanStatus
from passend.plans.due import due_items
from passend.plans.models import DevelopmentPlan, PlanEvaluation
from passend.students.models import Student
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _kinds(items) -> list[tuple[str, str, datetime.date]]:
    return [(i.kind, i.student.first_name, i.due_on) for i in items]


def test_the_coordinator_and_bpo_see_what_is_due_at_their_school(plan_world):
    pw = plan_world
    # Noor's plan (trigger 30 days ago) must be set within 12 days; Sam's version 2 is a
    # revision (no six-week clock) and his plan in force was evaluated 20 days ago.
    expected = [("plan_to_set", "Noor", pw.today + 12 * DAY)]
    for persona in ("coordinator", "bpo"):
        items = due_items(pw.world.users[persona], pw.today)
        assert _kinds(items) == expected, persona
    item = due_items(pw.world.users["coordinator"], pw.today)[0]
    assert item.url == reverse("plans:plan_detail", args=[pw.consulting.code])
    assert item.school == pw.world.a and item.student == pw.student16
    assert item.kind_label == "OPP vaststellen" and "Noor Jansen" in item.title
    assert not item.overdue(pw.today) and item.overdue(pw.today + 13 * DAY)
    for persona in ("coordinator_b", "director", "mentor", "partner", "partnership_admin"):
        assert due_items(pw.world.users[persona], pw.today) == [], persona


def test_to_set_shows_from_14_days_before_the_deadline(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    deadline = pw.consulting.set_deadline
    assert due_items(user, deadline - 15 * DAY) == []
    assert _kinds(due_items(user, deadline - 14 * DAY)) == [("plan_to_set", "Noor", deadline)]
    late = due_items(user, deadline + DAY)
    assert late[0].overdue(deadline + DAY)


def test_evaluation_due_within_30_days_and_overdue(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    due = clocks.one_year_after(pw.evaluation.date)
    assert pw.set_plan.next_evaluation_due() == due
    DevelopmentPlan.objects.filter(pk=pw.consulting.pk).delete()
    assert due_items(user, due - 31 * DAY) == []
    assert _kinds(due_items(user, due - 30 * DAY)) == [("plan_evaluation_due", "Sam", due)]
    with time_machine.travel(due + 5 * DAY, tick=False):
        items = due_items(user, due + 5 * DAY)
    assert _kinds(items) == [("plan_evaluation_due", "Sam", due)]
    assert items[0].overdue(due + 5 * DAY)
    assert items[0].url == reverse("plans:evaluation_create", args=[pw.set_plan.code])


def test_students_who_left_and_other_schools_are_left_out(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    Student.objects.filter(pk=pw.student16.pk).update(left_on=pw.today - DAY)
    _plans(pw, pw.world.b, 1, start=9000)  # school B: a draft to set, a plan to evaluate
    assert due_items(user, pw.today) == []
    kinds = [i.kind for i in due_items(pw.world.users["coordinator_b"], pw.today)]
    assert sorted(kinds) == ["plan_evaluation_due", "plan_to_set"]


def _plans(pw, school, count: int, start: int) -> None:
    """Per student two things due: a first version not set after 50 days, and (for another
    student) a plan in force evaluated 350 days ago."""
    for n in range(count):
        students = [
            Student.objects.create(
                partnership=school.partnership,
                school=school,
                student_number=str(start + 2 * n + k),
                first_name=f"Kind{n}-{k}",
                last_name="Smit",
                date_of_birth=years_ago(13),
                enrolled_on=pw.today - 400 * DAY,
            )
            for k in (0, 1)
        ]
        common = {"partnership": school.partnership, "school": school, "version": 1}
        DevelopmentPlan.objects.create(
            student=students[0], trigger_date=pw.today - 50 * DAY, **common
        )
        in_force = DevelopmentPlan.objects.create(
            student=students[1],
            trigger_date=pw.today - 400 * DAY,
            status=PlanStatus.SET,
            set_on=pw.today - 380 * DAY,
            **common,
        )
        PlanEvaluation.objects.create(
            partnership=school.partnership,
            school=school,
            plan=in_force,
            date=pw.today - 350 * DAY,
            conclusion="Goed.",
            decision="continue",
        )


def test_query_count_is_constant(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    due_items(user, pw.today)  # the scope, cached on the user

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            items = due_items(user, pw.today)
        return len(items), len(queries)

    _plans(pw, pw.world.a, 1, start=5000)
    items, few = count()
    assert items == 3  # 2 + Noor's
    _plans(pw, pw.world.a, 9, start=6000)
    items, many = count()
    assert items == 21  # 20 + Noor's
    assert many == few
