"""Fixtures for the hours tests and the authorization matrix (loaded by conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from passend.staffing.choices import AssignmentKind, EmploymentType


@dataclass
class HoursWorld:
    """On top of ``world``: current-year DUO counts for A (812) and B (164), P's saved policy
    for the current year (4 h + 1 h per 100 students, half-days of 4 h, minimum 4 h) with its
    allocations, the bpo persona as A's regular BPO (12 h) who also gives 2 h BPO+ at B."""

    world: object
    year: object
    policy: object
    regular: object
    plus: object


def assignment(school, bpo, year, hours, *, kind=AssignmentKind.REGULAR, **kw):
    from passend.staffing.models import BpoAssignment

    return BpoAssignment.objects.create(
        partnership=school.partnership,
        school=school,
        school_year=year,
        bpo=bpo,
        kind=kind,
        hours_per_week=Decimal(hours),
        employment_type=kw.pop("employment_type", EmploymentType.SCHOOL),
        start_date=kw.pop("start_date", year.start),
        **kw,
    )


def demo_formula(**changes):
    from passend.staffing.hours import Formula

    values = {
        "base_hours": Decimal("4"),
        "hours_per_unit": Decimal("1"),
        "students_per_unit": 100,
        "half_day_hours": Decimal("4"),
        "minimum_hours": Decimal("4"),
    }
    values.update(changes)
    return Formula(**values)


@pytest.fixture
def hours_world(world) -> HoursWorld:
    from passend.organisations.models import SchoolYear
    from passend.staffing.hours import save_policy
    from tests import factories

    year = SchoolYear.current()
    factories.enrollment(world.a, start_year=year.start.year, count=812)
    factories.enrollment(world.b, start_year=year.start.year, count=164)
    bpo = world.users["bpo"]
    regular = assignment(world.a, bpo, year, "12")
    plus = assignment(
        world.b, bpo, year, "2", kind=AssignmentKind.PLUS, request_note="Dyslexie-aanpak"
    )
    policy = save_policy(
        world.p, year, demo_formula(), acting_user=world.users["partnership_admin"]
    )
    return HoursWorld(world=world, year=year, policy=policy, regular=regular, plus=plus)
