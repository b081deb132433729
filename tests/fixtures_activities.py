"""Fixtures for the activity log tests (loaded by conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from passend.accounts.choices import Role
from tests import factories


@dataclass
class ActivitiesWorld:
    """On top of ``world``: ``bpo_b`` (a BPO of school B, not a persona); one activity of the
    ``bpo`` persona at school A today (``activity``) and one of ``bpo_b`` at B
    (``activity_b``)."""

    world: object
    bpo: object
    bpo_b: object
    activity: object
    activity_b: object
    today: object


@pytest.fixture
def activities_world(world) -> ActivitiesWorld:
    from passend.activities.choices import TaskArea
    from passend.activities.services import log_activity

    bpo = world.users["bpo"]
    bpo_b = factories.member(Role.BPO, school=world.b)
    today = timezone.localdate()
    activity = log_activity(
        bpo=bpo,
        school=world.a,
        date=today,
        hours=Decimal("1.5"),
        area=TaskArea.STUDENT,
        note="Gesprek",
        acting_user=bpo,
    )
    activity_b = log_activity(
        bpo=bpo_b,
        school=world.b,
        date=today - timedelta(days=1),
        hours=Decimal("2"),
        area=TaskArea.PARENTS,
        acting_user=bpo_b,
    )
    return ActivitiesWorld(world, bpo, bpo_b, activity, activity_b, today)
