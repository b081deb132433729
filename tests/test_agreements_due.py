"""What is due in werkafspraken (passend.agreements.due) and the framework evidence of aspects
8–10 (passend.agreements.evidence)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.agreements import services
from passend.agreements.choices import EvaluationDecision
from passend.agreements.due import EVALUATION_DUE_DAYS, agreements_due_for
from passend.agreements.evidence import agreements_made, evaluations_held, task_description
from tests import factories

pytestmark = pytest.mark.django_db


def _early(year):
    return year.start + timedelta(days=30)


def test_due_per_role(agreements_world):
    aw = agreements_world
    users = aw.world.users
    on = _early(aw.year)
    coordinator = agreements_due_for(users["coordinator"], on)
    # The bpo_a2 draft waits for the coordinator; the agreed one waits for the director.
    assert [a.pk for a in coordinator.to_confirm] == [aw.draft.pk]
    assert coordinator.missing == []
    director = agreements_due_for(users["director"], on)
    assert [a.pk for a in director.to_acknowledge] == [aw.agreement.pk]
    assert director.to_confirm == []
    bpo_a2 = agreements_due_for(aw.bpo_a2, on)
    assert [a.pk for a in bpo_a2.to_confirm] == [aw.draft.pk]
    assert not agreements_due_for(users["bpo"], on)  # confirmed, nothing to do
    for persona in ("consultant", "partnership_admin", "partner", "other_swv", "no_role"):
        assert not agreements_due_for(users[persona], on), persona
    # coordinator_b sees only school B's draft.
    assert [a.pk for a in agreements_due_for(users["coordinator_b"], on).to_confirm] == [
        aw.agreement_b.pk
    ]


def test_missing_agreements_and_evaluations(agreements_world):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    newcomer = factories.member(Role.BPO, school=aw.world.a)
    due = agreements_due_for(coordinator, _early(aw.year))
    assert [(m.school, m.bpo) for m in due.missing] == [(aw.world.a, newcomer)]
    assert due.evaluation_due == []

    late = aw.year.end - timedelta(days=EVALUATION_DUE_DAYS - 1)
    due = agreements_due_for(coordinator, late)
    assert [a.pk for a in due.evaluation_due] == [aw.agreement.pk]
    services.update_evaluation(
        aw.evaluation, revision=0, fields={"conclusion": "Goed"}, areas={}, acting_user=coordinator
    )
    services.finalise_evaluation(
        aw.evaluation, decision=EvaluationDecision.KEEP, acting_user=coordinator
    )
    assert agreements_due_for(coordinator, late).evaluation_due == []


def test_last_years_missing_evaluation_is_overdue(world):
    from passend.organisations.models import SchoolYear

    coordinator, bpo = world.users["coordinator"], world.users["bpo"]
    year = SchoolYear.current()
    last = SchoolYear.get_or_create_for_start_year(year.start.year - 1)
    agreement = services.create_agreement(world.a, last, bpo, acting_user=coordinator)
    services.confirm_agreement(agreement, acting_user=coordinator)
    services.confirm_agreement(agreement, acting_user=bpo)
    due = agreements_due_for(world.users["director"], _early(year))
    assert [a.pk for a in due.evaluation_overdue] == [agreement.pk]


def test_due_query_count_is_constant(agreements_world, django_assert_max_num_queries):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    late = aw.year.end - timedelta(days=1)
    with django_assert_max_num_queries(12) as few:
        agreements_due_for(coordinator, late)
    for _ in range(6):
        extra = factories.member(Role.BPO, school=aw.world.a)
        agreement = services.create_agreement(aw.world.a, aw.year, extra, acting_user=coordinator)
        if _ % 2:
            services.confirm_agreement(agreement, acting_user=coordinator)
            services.confirm_agreement(agreement, acting_user=extra)
        factories.member(Role.BPO, school=aw.world.a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        due = agreements_due_for(coordinator, late)
    assert len(due.missing) == 6 and len(due.to_confirm) == 4


def test_start_page_shows_due_items(client, agreements_world, settings):
    settings.REQUIRE_2FA = False
    aw = agreements_world
    client.force_login(aw.world.users["director"])
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()
    body = client.get(reverse("front:home")).content.decode()
    assert reverse("agreements:agreement_detail", args=[aw.agreement.code]) in body
    assert "voor gezien tekenen" in body


def test_evidence_for_aspects_8_to_10(agreements_world):
    aw = agreements_world
    a, year = aw.world.a, aw.year
    coordinator, director = aw.world.users["coordinator"], aw.world.users["director"]
    assert task_description(a, year).met is False
    services.adopt_task_description(a, acting_user=coordinator)
    assert task_description(a, year).met is True

    lines = agreements_made(a, year)
    assert [line.met for line in lines] == [False, False]  # agreed not acknowledged; a draft
    assert evaluations_held(a, year)[0].met is False

    services.acknowledge_agreement(aw.agreement, acting_user=director)
    services.update_evaluation(
        aw.evaluation,
        revision=0,
        fields={"conclusion": "Aanpassen"},
        areas={},
        acting_user=coordinator,
    )
    services.finalise_evaluation(
        aw.evaluation, decision=EvaluationDecision.ADJUST, acting_user=coordinator
    )
    held = evaluations_held(a, year)
    assert len(held) == 1 and held[0].met is True and "2" in held[0].text
    # The adjusted version 2 is now the latest: a draft again until both confirm.
    names = [line.text for line in agreements_made(a, year)]
    assert any(aw.world.users["bpo"].full_name in n and "concept" in n for n in names)
    assert agreements_made(aw.world.b, year)[0].met is False
    assert evaluations_held(aw.world.c, year) is None


def test_evidence_shows_on_the_assessment(client, agreements_world, quality_world):
    from passend.quality.evidence import derived_evidence

    evidence = derived_evidence(
        agreements_world.world.a, agreements_world.year, numbers={"8", "9", "10"}
    )
    assert set(evidence) == {"8", "9", "10"}
