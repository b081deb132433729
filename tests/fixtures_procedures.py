"""Fixtures for the procedures tests and the authorization matrix (loaded by conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from passend.staffing.choices import EmploymentType, ProcedureStep


@dataclass
class ProcedureWorld:
    """On top of ``world``: at school A an open appointment procedure with its first two steps
    ticked by the coordinator (``open_a``), and one with all five steps done (``ready_a``),
    both for the current school year and for candidates without an account yet."""

    world: object
    year: object
    open_a: object
    ready_a: object


def start(world, school=None, *, email="kandidaat@example.org", name="Kim Kandidaat", **kw):
    from passend.organisations.models import SchoolYear
    from passend.staffing.procedures import start_procedure

    school = school or world.a
    year = kw.pop("school_year", None) or SchoolYear.current()
    coordinator = kw.pop(
        "acting_user", world.users["coordinator" if school == world.a else "coordinator_b"]
    )
    return start_procedure(
        school=school,
        school_year=year,
        candidate_name=name,
        candidate_email=email,
        planned_hours_per_week=kw.pop("hours", Decimal("12.5")),
        employment_type=kw.pop("employment_type", EmploymentType.SCHOOL),
        planned_start=kw.pop("planned_start", max(year.start, _today())),
        acting_user=coordinator,
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


def tick_all(world, procedure, steps=None) -> None:
    """Tick ``steps`` (all by default) as the school's coordinator."""
    from passend.staffing.procedures import tick_step

    coordinator = world.users["coordinator" if procedure.school == world.a else "coordinator_b"]
    for step in steps or list(ProcedureStep.values):
        tick_step(
            procedure,
            step,
            acting_user=coordinator,
            date=_today() + timedelta(days=3)
            if step == ProcedureStep.INTRODUCTION_MEETING
            else None,
            note="Diploma's getoetst: pabo + master SEN."
            if step == ProcedureStep.QUALIFICATIONS_CHECKED
            else "",
        )


@pytest.fixture
def procedure_world(world) -> ProcedureWorld:
    from passend.organisations.models import SchoolYear

    open_a = start(world)
    tick_all(world, open_a, [ProcedureStep.TASKS_AGREED, ProcedureStep.QUALIFICATIONS_CHECKED])
    ready_a = start(world, email="klaar@example.org", name="Kees Klaar")
    tick_all(world, ready_a)
    return ProcedureWorld(world=world, year=SchoolYear.current(), open_a=open_a, ready_a=ready_a)
