"""Werkafspraken services: the full year walk and the rules of each step (passend.agreements)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from passend.activities.choices import TaskArea
from passend.activities.services import log_activity
from passend.agreements import services
from passend.agreements.choices import AgreementStatus, EvaluationDecision, EvaluationKind
from passend.agreements.models import AgreedTask, TaskDescription, WorkAgreement
from passend.agreements.services import TaskInput
from passend.organisations.models import SchoolYear

pytestmark = pytest.mark.django_db


def _tasks(agreement):
    return [TaskInput(t.area, t.description, t.hours, t.origin_id) for t in agreement.tasks.all()]


def test_full_year_walk(world):
    """Draft → agreed → acknowledged; activities logged; the annual evaluation's realised hours
    are the sums of the activity log per task area; adjusting opens version 2 and leaves
    version 1 unchanged."""
    coordinator, bpo, director = (world.users[r] for r in ("coordinator", "bpo", "director"))
    year = SchoolYear.get_or_create_for_start_year(2025)
    agreement = services.create_agreement(world.a, year, bpo, acting_user=coordinator)
    assert agreement.status == AgreementStatus.DRAFT and agreement.version == 1
    # Pre-filled from the shipped task description (40 tasks, 0 hours each).
    assert agreement.tasks.count() == len(services.default_task_description()["items"])

    tasks = [
        TaskInput(TaskArea.STUDENT, "Observaties in de klas en handelingsadviezen", "120"),
        TaskInput(TaskArea.PARENTS, "Gesprekken met ouders", "40"),
        TaskInput(TaskArea.TEAM, "Coaching van mentoren", "60"),
    ]
    fields = {"presence_days": ["tue", "thu"], "presence_times": "8.30–16.00 uur"}
    agreement = services.update_agreement(
        agreement, revision=agreement.revision, fields=fields, tasks=tasks, acting_user=coordinator
    )
    services.confirm_agreement(agreement, acting_user=coordinator)
    agreement = services.confirm_agreement(agreement, acting_user=bpo)
    assert agreement.status == AgreementStatus.AGREED
    agreement = services.acknowledge_agreement(agreement, acting_user=director)
    assert agreement.status == AgreementStatus.ACKNOWLEDGED
    assert agreement.acknowledged_by == director

    logged = [
        (date(2025, 9, 2), "2.5", TaskArea.STUDENT),
        (date(2025, 10, 7), "1.75", TaskArea.STUDENT),
        (date(2026, 1, 13), "3", TaskArea.PARENTS),
        (date(2026, 3, 3), "4", TaskArea.TEAM),
        (date(2026, 6, 30), "5", TaskArea.TEAM),  # after the evaluation date: not counted
    ]
    for day, hours, area in logged:
        log_activity(
            bpo=bpo, school=world.a, date=day, hours=Decimal(hours), area=area, acting_user=bpo
        )
    # Another BPO's hours at the same school do not count.
    from passend.accounts.choices import Role
    from tests import factories

    other = factories.member(Role.BPO, school=world.a)
    log_activity(
        bpo=other,
        school=world.a,
        date=date(2025, 9, 3),
        hours=Decimal(8),
        area=TaskArea.STUDENT,
        acting_user=other,
    )

    evaluation = services.start_evaluation(
        agreement, kind=EvaluationKind.ANNUAL, date=date(2026, 6, 15), acting_user=coordinator
    )
    rows = {r.area: r for r in services.evaluation_rows(evaluation)}
    expected = {}
    for day, hours, area in logged:
        if day <= evaluation.date:
            expected[area] = expected.get(area, Decimal(0)) + Decimal(hours)
    assert {a: r.realised for a, r in rows.items()} == expected
    assert rows[TaskArea.STUDENT].agreed_hours == Decimal(120)

    evaluation = services.update_evaluation(
        evaluation,
        revision=evaluation.revision,
        fields={"conclusion": "Meer tijd voor ouders."},
        areas={TaskArea.PARENTS: services.AreaInput("Goed contact", "Meer uren")},
        acting_user=coordinator,
    )
    v1_tasks = list(agreement.tasks.values_list("area", "description", "hours"))
    evaluation = services.finalise_evaluation(
        evaluation, decision=EvaluationDecision.ADJUST, acting_user=coordinator
    )
    stored = {r.area: r.realised_hours for r in evaluation.areas.all()}
    assert stored == expected

    v2 = evaluation.next_agreement
    assert v2.version == 2 and v2.previous == agreement and v2.status == AgreementStatus.DRAFT
    assert list(v2.tasks.values_list("area", "description", "hours")) == v1_tasks
    tasks2 = _tasks(v2)
    tasks2[1] = TaskInput(TaskArea.PARENTS, "Gesprekken met ouders", "60", tasks2[1].origin_id)
    tasks2.append(TaskInput(TaskArea.ORGANISATION, "Deelname SOT", "30"))
    v2 = services.update_agreement(
        v2, revision=v2.revision, fields={}, tasks=tasks2, acting_user=coordinator
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACKNOWLEDGED
    assert list(agreement.tasks.values_list("area", "description", "hours")) == v1_tasks

    changes = services.agreement_changes(v2)
    kinds = sorted(c.kind for c in changes)
    assert kinds == ["added", "changed"]
    changed = next(c for c in changes if c.kind == "changed")
    assert "40" in changed.old and "60" in changed.new


def test_agreed_version_is_immutable(agreements_world):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    with pytest.raises(ValidationError):
        services.update_agreement(
            aw.agreement,
            revision=aw.agreement.revision,
            fields={},
            tasks=[],
            acting_user=coordinator,
        )
    with pytest.raises(ValidationError):
        services.confirm_agreement(aw.agreement, acting_user=coordinator)


def test_editing_withdraws_confirmations_and_conflicts_are_refused(agreements_world):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    draft = services.confirm_agreement(aw.draft, acting_user=aw.bpo_a2)
    assert draft.bpo_confirmed_at is not None
    start = draft.revision
    draft = services.update_agreement(
        draft, revision=start, fields={"notes": "x"}, tasks=_tasks(draft), acting_user=coordinator
    )
    assert draft.bpo_confirmed_at is None and draft.status == AgreementStatus.DRAFT
    with pytest.raises(ValidationError) as error:
        services.update_agreement(
            draft, revision=start, fields={"notes": "y"}, tasks=[], acting_user=coordinator
        )
    assert error.value.error_list[0].code == "conflict"
    draft.refresh_from_db()
    assert draft.notes == "x" and draft.tasks.exists()


def test_rights_of_each_step(agreements_world):
    aw = agreements_world
    users = aw.world.users
    with pytest.raises(PermissionDenied):
        services.create_agreement(aw.world.a, aw.year, aw.bpo_a2, acting_user=users["director"])
    with pytest.raises(PermissionDenied):
        services.acknowledge_agreement(aw.agreement, acting_user=users["coordinator"])
    with pytest.raises(PermissionDenied):
        services.confirm_agreement(aw.draft, acting_user=users["bpo"])  # not their agreement
    with pytest.raises(PermissionDenied):
        services.start_evaluation(
            aw.agreement, kind="annual", date=aw.today, acting_user=users["consultant"]
        )
    with pytest.raises(ValidationError):
        services.create_agreement(
            aw.world.a, aw.year, users["bpo"], acting_user=users["coordinator"]
        )
    with pytest.raises(ValidationError):  # not a BPO of school A
        services.create_agreement(aw.world.a, aw.year, aw.bpo_b, acting_user=users["coordinator"])
    with pytest.raises(ValidationError):  # a draft cannot be evaluated
        services.start_evaluation(
            aw.draft, kind="annual", date=aw.today, acting_user=users["coordinator"]
        )


def test_next_year_starts_from_last_years_agreements(agreements_world):
    aw = agreements_world
    next_year = SchoolYear.get_or_create_for_start_year(aw.year.start.year + 1)
    # The bpo persona's role has no end date, so they are a BPO of A next year as well.
    carried = services.create_agreement(
        aw.world.a, next_year, aw.world.users["bpo"], acting_user=aw.world.users["coordinator"]
    )
    assert list(carried.tasks.values_list("area", "description", "hours")) == list(
        aw.agreement.tasks.values_list("area", "description", "hours")
    )


def test_school_adopts_and_adapts_the_template(world):
    coordinator = world.users["coordinator"]
    own = services.adopt_task_description(world.a, acting_user=coordinator)
    template = TaskDescription.objects.get(partnership=world.p, school__isnull=True)
    assert own.based_on == template and own.items.count() == template.items.count()
    services.update_task_description(
        own,
        title="Taakomschrijving bpo School Aa",
        introduction="",
        items=[services.ItemInput(TaskArea.STUDENT, "Leerlingbegeleiding")],
        acting_user=coordinator,
    )
    assert template.items.count() == len(services.default_task_description()["items"])
    agreement = services.create_agreement(
        world.a, SchoolYear.current(), world.users["bpo"], acting_user=coordinator
    )
    assert list(agreement.tasks.values_list("description", flat=True)) == ["Leerlingbegeleiding"]
    with pytest.raises(ValidationError):
        services.adopt_task_description(world.a, acting_user=coordinator)
    with pytest.raises(PermissionDenied):
        services.update_task_description(
            template, title="x", introduction="", items=own_items(own), acting_user=coordinator
        )


def own_items(description):
    return [services.ItemInput(i.area, i.text, i.source) for i in description.items.all()]


def test_competency_ratings(agreements_world):
    aw = agreements_world
    bpo, coordinator = aw.world.users["bpo"], aw.world.users["coordinator"]
    ratings = list(aw.profile.ratings.all())
    assert len(ratings) == len(services.default_competencies()["competencies"])
    first = ratings[0].competency_id
    services.rate_competencies(
        aw.profile,
        levels={first: 3},
        as_coordinator=False,
        development_goals="Coaching",
        acting_user=bpo,
    )
    services.rate_competencies(
        aw.profile, levels={first: 2}, as_coordinator=True, acting_user=coordinator
    )
    rating = aw.profile.ratings.get(competency_id=first)
    assert (rating.self_level, rating.coordinator_level) == (3, 2)
    with pytest.raises(PermissionDenied):
        services.rate_competencies(
            aw.profile, levels={first: 4}, as_coordinator=True, acting_user=bpo
        )
    with pytest.raises(PermissionDenied):
        services.rate_competencies(
            aw.profile, levels={first: 4}, as_coordinator=False, acting_user=coordinator
        )
    with pytest.raises(ValidationError):
        services.rate_competencies(
            aw.profile, levels={first: 5}, as_coordinator=False, acting_user=bpo
        )


def test_latest_versions(agreements_world):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    services.update_evaluation(
        aw.evaluation, revision=0, fields={"conclusion": "ok"}, areas={}, acting_user=coordinator
    )
    evaluation = services.finalise_evaluation(
        aw.evaluation, decision=EvaluationDecision.ADJUST, acting_user=coordinator
    )
    latest = set(WorkAgreement.objects.latest_versions().values_list("pk", flat=True))
    assert evaluation.next_agreement.pk in latest and aw.agreement.pk not in latest
    assert AgreedTask.objects.filter(agreement=evaluation.next_agreement).count() == (
        aw.agreement.tasks.count()
    )


def test_area_with_hours_logged_later_gets_a_row(agreements_world):
    aw = agreements_world
    coordinator, bpo = aw.world.users["coordinator"], aw.bpo_a2
    draft = services.update_agreement(
        aw.draft,
        revision=aw.draft.revision,
        fields={},
        tasks=[TaskInput(TaskArea.STUDENT, "Leerlingbegeleiding", "100")],
        acting_user=coordinator,
    )
    services.confirm_agreement(draft, acting_user=coordinator)
    agreed = services.confirm_agreement(draft, acting_user=bpo)
    evaluation = services.start_evaluation(
        agreed, kind=EvaluationKind.INTERIM, date=aw.today, acting_user=coordinator
    )
    assert list(evaluation.areas.values_list("area", flat=True)) == [TaskArea.STUDENT]
    log_activity(
        bpo=bpo,
        school=aw.world.a,
        date=aw.today,
        hours=Decimal("2"),
        area=TaskArea.POLICY,
        acting_user=bpo,
    )
    evaluation = services.update_evaluation(
        evaluation,
        revision=evaluation.revision,
        fields={},
        areas={TaskArea.POLICY: services.AreaInput("Profiel bijgewerkt", "")},
        acting_user=coordinator,
    )
    row = evaluation.areas.get(area=TaskArea.POLICY)
    assert row.went_well == "Profiel bijgewerkt" and row.agreed_hours == 0
