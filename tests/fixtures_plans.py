"""Fixtures of plans (loaded by conftest.py), built through passend.plans.services by the school's
coordinator, on top of ``caseload_world``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

DAY = datetime.timedelta(days=1)

GOALS = [
    ("Sam plant zijn huiswerk zelf in een weekplanner.", "Wekelijks gesprek met de mentor."),
    ("Sam doet mee aan groepsopdrachten.", "Vaste groep van drie; rol vooraf afgesproken."),
]


@dataclass
class PlanWorld:
    """On top of ``caseload_world`` (``cw``), at school A:

    - ``student`` (Sam, 14): version 1 ``set_plan`` (trigger 400 days ago, set on day 20, two
      goals, a consultation with his mother, her consent), evaluated 20 days ago
      (``evaluation``, continue), and version 2 ``draft`` made from it;
    - ``student16`` (Noor, 17, with her father ``guardian16``): ``consulting``, version 1 in
      consultation after her father refused consent (with a reason);
    - ``student_new`` (Mo, 13): no plan.
    """

    cw: object
    world: object
    student: object
    student16: object
    student_new: object
    guardian16: object
    set_plan: object
    draft: object
    consulting: object
    evaluation: object
    today: datetime.date


def goal_inputs(goals=GOALS):
    from passend.plans.services import GoalInput

    return [
        GoalInput(goal=goal, approach=approach, who="mentor", when="wekelijks", measure="Ja.")
        for goal, approach in goals
    ]


def plan_fields(trigger_date: datetime.date, **overrides) -> dict:
    fields = {
        "trigger": "extra_support",
        "trigger_date": trigger_date,
        "exit_destination": "havo",
        "exit_explanation": "Haalt havo-niveau bij de kernvakken.",
        "hindering_factors": "Spanning bij toetsen.",
        "supporting_factors": "Betrokken ouders.",
        "programme_deviations": "Vrijstelling voor de tweede moderne vreemde taal.",
        "support_offered": "Wekelijkse begeleiding door de bpo'er.",
        "student_view": "Ik wil graag meer rust in de les.",
        "student_heard_on": trigger_date + 5 * DAY,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def plan_world(caseload_world) -> PlanWorld:
    from django.utils import timezone

    from passend.plans import services
    from passend.students.models import Guardian, Student
    from tests.fixtures_caseload import years_ago

    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    today = timezone.localdate()

    trigger = today - 400 * DAY
    set_plan = services.create_plan(
        cw.student, case=cw.case, fields=plan_fields(trigger), acting_user=coordinator
    )
    services.update_goals(set_plan, goal_inputs(), acting_user=coordinator)
    services.add_consultation(
        set_plan,
        date=trigger + 10 * DAY,
        party="guardian",
        guardian=cw.guardian,
        summary="Plan besproken met moeder.",
        agreement_reached=True,
        acting_user=coordinator,
    )
    services.record_consent(
        set_plan,
        given_by="guardian",
        guardian=cw.guardian,
        date=trigger + 15 * DAY,
        decision="given",
        acting_user=coordinator,
    )
    services.set_plan(set_plan, set_on=trigger + 20 * DAY, acting_user=coordinator)
    evaluation = services.add_evaluation(
        set_plan,
        date=today - 20 * DAY,
        results=[
            services.ResultInput(str(g.code), "achieved", "Goed gelukt.")
            for g in set_plan.goals.all()
        ],
        conclusion="Sam maakt goede voortgang.",
        next_steps="Zo doorgaan.",
        decision="continue",
        acting_user=coordinator,
    )
    draft = services.new_version(set_plan, acting_user=coordinator)

    guardian16 = Guardian.objects.create(
        student=cw.student16, name="Kees Jansen", relation="father", has_authority=True
    )
    consulting = services.create_plan(
        cw.student16, fields=plan_fields(today - 30 * DAY), acting_user=coordinator
    )
    services.update_goals(consulting, goal_inputs(GOALS[:1]), acting_user=coordinator)
    services.record_consent(
        consulting,
        given_by="guardian",
        guardian=guardian16,
        date=today - 2 * DAY,
        decision="refused",
        reason="Vader wil eerst een gesprek met de mentor.",
        acting_user=coordinator,
    )
    student_new = Student.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student_number="1003",
        first_name="Mo",
        last_name="Visser",
        date_of_birth=years_ago(13),
        class_name="1A",
        enrolled_on=cw.year.start,
    )
    for plan in (set_plan, draft, consulting):
        plan.refresh_from_db()
    return PlanWorld(
        cw=cw,
        world=cw.world,
        student=cw.student,
        student16=cw.student16,
        student_new=student_new,
        guardian16=guardian16,
        set_plan=set_plan,
        draft=draft,
        consulting=consulting,
        evaluation=evaluation,
        today=today,
    )
