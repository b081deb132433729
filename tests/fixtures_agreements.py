"""Fixtures for the werkafspraken tests (loaded by conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from passend.accounts.choices import Role
from tests import factories


@dataclass
class AgreementsWorld:
    """On top of ``world``: the current school year; ``agreement`` — werkafspraken v1 of the
    ``bpo`` persona at school A, agreed (coordinator and BPO confirmed), not yet acknowledged;
    ``draft`` — a draft of ``bpo_a2`` (a second BPO of school A, not a persona) at A;
    ``agreement_b`` — a draft at school B with ``bpo_b``; ``evaluation`` — a draft annual
    evaluation of ``agreement``; ``profile`` — the ``bpo`` persona's competency profile at A;
    ``today`` — a day inside the school year."""

    world: object
    year: object
    agreement: object
    draft: object
    agreement_b: object
    evaluation: object
    profile: object
    bpo_a2: object
    bpo_b: object
    today: object


@pytest.fixture
def agreements_world(world) -> AgreementsWorld:
    from passend.agreements.choices import EvaluationKind
    from passend.agreements.services import (
        confirm_agreement,
        create_agreement,
        start_evaluation,
        start_profile,
    )
    from passend.organisations.models import SchoolYear

    year = SchoolYear.current()
    coordinator = world.users["coordinator"]
    bpo = world.users["bpo"]
    bpo_a2 = factories.member(Role.BPO, school=world.a)
    bpo_b = factories.member(Role.BPO, school=world.b)
    agreement = create_agreement(world.a, year, bpo, acting_user=coordinator)
    confirm_agreement(agreement, acting_user=coordinator)
    confirm_agreement(agreement, acting_user=bpo)
    draft = create_agreement(world.a, year, bpo_a2, acting_user=coordinator)
    agreement_b = create_agreement(world.b, year, bpo_b, acting_user=world.users["coordinator_b"])
    today = min(timezone.localdate(), year.end)
    evaluation = start_evaluation(
        agreement, kind=EvaluationKind.ANNUAL, date=today, acting_user=coordinator
    )
    profile = start_profile(world.a, year, bpo, acting_user=bpo)
    return AgreementsWorld(
        world=world,
        year=year,
        agreement=agreement,
        draft=draft,
        agreement_b=agreement_b,
        evaluation=evaluation,
        profile=profile,
        bpo_a2=bpo_a2,
        bpo_b=bpo_b,
        today=today,
    )
