"""The OPP's rules in passend.plans.services and the model (issue 7, point 1): the legal clocks
with frozen dates (set on day 43 after the trigger is flagged, day 42 not; the next evaluation
exactly twelve months after the setting or the latest evaluation, 29 February included), the
life cycle draft → in consultation → set, consent on the action part (no setting without it; a
refusal needs its reason and keeps the plan in consultation; who decides at 17 and at 18), a set
version never changes, a new version copies it and shows the differences, evaluations, and
``dossier_plan``."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from passend.audit.models import AuditEvent
from passend.plans import clocks, services
from passend.plans.choices import ConsentDecision, PlanStatus
from passend.plans.models import DevelopmentPlan, PlanConsent, PlanGoal
from passend.students.models import Guardian, Student
from tests.fixtures_plans import goal_inputs, plan_fields

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _student(cw, number: str, born: datetime.date, first_name: str = "Lies") -> Student:
    return Student.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student_number=number,
        first_name=first_name,
        last_name="de Boer",
        date_of_birth=born,
        enrolled_on=datetime.date(2020, 8, 1),
    )


def _mother(student) -> Guardian:
    return Guardian.objects.create(
        student=student, name="Anja de Boer", relation="mother", has_authority=True
    )


def _ready(cw, student, trigger: datetime.date, *, consent_on: datetime.date | None = None):
    """A plan with goals and the mother's consent, ready to be set."""
    user = cw.world.users["coordinator"]
    plan = services.create_plan(student, fields=plan_fields(trigger), acting_user=user)
    services.update_goals(plan, goal_inputs(), acting_user=user)
    services.record_consent(
        plan,
        given_by="guardian",
        guardian=_mother(student),
        date=consent_on or trigger,
        decision="given",
        acting_user=user,
    )
    return plan


# --- The six weeks -------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "late"), [(0, False), (41, False), (42, False), (43, True)])
def test_set_on_day_43_after_the_trigger_is_flagged_day_42_not(caseload_world, day, late):
    cw = caseload_world
    trigger = datetime.date(2026, 1, 5)
    set_on = trigger + day * DAY
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0), tick=False):
        plan = _ready(cw, _student(cw, "7001", datetime.date(2012, 5, 1)), trigger)
        services.set_plan(plan, set_on=set_on, acting_user=cw.world.users["bpo"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SET and plan.set_on == set_on
    assert plan.set_late is late
    assert plan.set_on_day == day
    assert plan.set_deadline == datetime.date(2026, 2, 16)  # 5 January + 42 days
    event = AuditEvent.objects.get(action="plan.set")
    assert event.extra["set_late"] is late and event.extra["day"] == day


def test_a_plan_not_set_is_overdue_from_day_43(caseload_world):
    plan = DevelopmentPlan(trigger_date=datetime.date(2026, 1, 5), status=PlanStatus.DRAFT)
    assert not plan.to_set_overdue_on(datetime.date(2026, 2, 16))  # day 42
    assert plan.to_set_overdue_on(datetime.date(2026, 2, 17))  # day 43
    plan.status = PlanStatus.SET
    assert not plan.to_set_overdue_on(datetime.date(2026, 2, 17))


# --- The yearly evaluation -----------------------------------------------------------------------


def _evaluate(plan, user, day: datetime.date, decision: str = "continue"):
    return services.add_evaluation(
        plan,
        date=day,
        results=[services.ResultInput(str(g.code), "partly") for g in plan.goals.all()],
        conclusion="Voortgang besproken met ouders.",
        decision=decision,
        acting_user=user,
    )


def test_evaluation_is_due_exactly_twelve_months_after_setting_and_the_last_evaluation(
    caseload_world,
):
    cw = caseload_world
    user = cw.world.users["coordinator"]
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, 0), tick=False):
        plan = _ready(
            cw, _student(cw, "7002", datetime.date(2012, 5, 1)), datetime.date(2026, 3, 2)
        )
        assert plan.next_evaluation_due() is None  # not set yet
        services.set_plan(plan, set_on=datetime.date(2026, 3, 10), acting_user=user)
        assert plan.next_evaluation_due() == datetime.date(2027, 3, 10)
    with time_machine.travel(datetime.datetime(2026, 11, 1, 10, 0), tick=False):
        _evaluate(plan, user, datetime.date(2026, 11, 1))
        assert plan.next_evaluation_due() == datetime.date(2027, 11, 1)
        # The annotation of lists gives the same day without a query of its own.
        listed = DevelopmentPlan.objects.with_state().get(pk=plan.pk)
        assert listed.last_evaluated_on == datetime.date(2026, 11, 1)
        assert listed.next_evaluation_due() == datetime.date(2027, 11, 1)


def test_a_plan_set_on_29_february_is_due_on_28_february(caseload_world):
    cw = caseload_world
    with time_machine.travel(datetime.datetime(2028, 3, 1, 10, 0), tick=False):
        plan = _ready(
            cw, _student(cw, "7003", datetime.date(2014, 5, 1)), datetime.date(2028, 2, 1)
        )
        services.set_plan(
            plan, set_on=datetime.date(2028, 2, 29), acting_user=cw.world.users["coordinator"]
        )
    assert plan.next_evaluation_due() == datetime.date(2029, 2, 28)
    assert clocks.one_year_after(datetime.date(2028, 2, 28)) == datetime.date(2029, 2, 28)
    assert clocks.one_year_after(datetime.date(2027, 3, 1)) == datetime.date(2028, 3, 1)


def test_evaluation_results_per_goal_and_the_decision_for_a_new_version(plan_world):
    pw = plan_world
    user = pw.world.users["bpo"]
    # Sam's version 2 is a draft; deciding "new version" returns it instead of a third.
    evaluation = _evaluate(pw.set_plan, user, pw.today, decision="new_version")
    assert evaluation.led_to == pw.draft
    assert sorted(evaluation.results.values_list("result", flat=True)) == ["partly", "partly"]
    assert pw.set_plan.next_evaluation_due() == clocks.one_year_after(pw.today)


def test_evaluation_needs_every_goal_a_plan_in_force_and_a_date_after_setting(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    first, second = pw.set_plan.goals.all()
    count = pw.set_plan.evaluations.count()
    with pytest.raises(ValidationError) as error:
        services.add_evaluation(
            pw.set_plan,
            date=pw.set_plan.set_on - DAY,
            results=[services.ResultInput(str(first.code), "achieved")],
            conclusion="",
            decision="maybe",
            acting_user=user,
        )
    fields = set(error.value.message_dict)
    assert fields == {"date", services.result_field(second), "conclusion", "decision"}
    with pytest.raises(ValidationError):
        _evaluate(pw.consulting, user, pw.today)  # not set
    assert pw.set_plan.evaluations.count() == count


# --- Life cycle and consent ----------------------------------------------------------------------


def test_a_plan_cannot_be_set_without_consent_on_the_action_part(caseload_world):
    cw = caseload_world
    user = cw.world.users["coordinator"]
    plan = services.create_plan(
        cw.student, fields=plan_fields(cw.today - 10 * DAY), acting_user=user
    )
    services.update_goals(plan, goal_inputs(), acting_user=user)
    with pytest.raises(ValidationError) as error:
        services.set_plan(plan, set_on=cw.today, acting_user=user)
    assert "instemming" in " ".join(error.value.messages)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.set_on is None
    assert not AuditEvent.objects.filter(action="plan.set").exists()


def test_a_refusal_needs_a_reason_and_keeps_the_plan_in_consultation(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    plan = pw.consulting
    with pytest.raises(ValidationError) as error:
        services.record_consent(
            plan,
            given_by="guardian",
            guardian=pw.guardian16,
            date=pw.today,
            decision="refused",
            reason="  ",
            acting_user=user,
        )
    assert set(error.value.message_dict) == {"reason"}
    assert plan.consents.count() == 1
    # The refusal that counts keeps the plan in consultation: setting is refused.
    assert plan.status == PlanStatus.IN_CONSULTATION and plan.consent_refused
    with pytest.raises(ValidationError) as error:
        services.set_plan(plan, set_on=pw.today, acting_user=user)
    assert "geweigerd" in " ".join(error.value.messages)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_CONSULTATION
    # After further consultation the father consents: now it can be set.
    services.record_consent(
        plan,
        given_by="guardian",
        guardian=pw.guardian16,
        date=pw.today,
        decision="given",
        acting_user=user,
    )
    assert not DevelopmentPlan.objects.get(pk=plan.pk).consent_refused
    services.set_plan(plan, set_on=pw.today, acting_user=user)
    assert plan.status == PlanStatus.SET and not plan.set_late


def test_the_reason_of_a_refusal_is_never_in_the_audit_trail(plan_world):
    reason = "Vader wil eerst een gesprek met de mentor."
    event = AuditEvent.objects.get(action="plan.consent_recorded", extra__decision="refused")
    assert reason not in str(event.extra)
    assert event.extra["plan"] == str(plan_world.consulting.code)


def test_who_decides_on_the_action_part_by_age(caseload_world):
    """A guardian with authority until 18, then the student: 16 is the AVG age for consent to
    processing, not for the right of consent on the action part."""
    cw = caseload_world
    user = cw.world.users["coordinator"]
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0), tick=False):
        minor = _student(cw, "7010", datetime.date(2008, 6, 2), "Bas")  # 17 until 2 June
        mother = _mother(minor)
        no_authority = Guardian.objects.create(
            student=minor, name="Piet de Boer", relation="father", has_authority=False
        )
        plan = services.create_plan(
            minor, fields=plan_fields(datetime.date(2026, 5, 1)), acting_user=user
        )
        for given_by, guardian, field in (
            ("student", None, "given_by"),
            ("guardian", None, "guardian"),
            ("guardian", no_authority, "guardian"),
            ("guardian", cw.guardian, "guardian"),  # Sam's mother, not Bas's
        ):
            with pytest.raises(ValidationError) as error:
                services.record_consent(
                    plan,
                    given_by=given_by,
                    guardian=guardian,
                    date=datetime.date(2026, 6, 1),
                    decision="given",
                    acting_user=user,
                )
            assert field in error.value.message_dict, (given_by, guardian)
        consent = services.record_consent(
            plan,
            given_by="guardian",
            guardian=mother,
            date=datetime.date(2026, 6, 1),
            decision="given",
            acting_user=user,
        )
        assert consent.given_by_name == "Anja de Boer"
    with time_machine.travel(datetime.datetime(2026, 6, 2, 10, 0), tick=False):
        # Eighteen today: now the student decides, and the mother no longer.
        with pytest.raises(ValidationError) as error:
            services.record_consent(
                plan,
                given_by="guardian",
                guardian=mother,
                date=datetime.date(2026, 6, 2),
                decision="given",
                acting_user=user,
            )
        assert "given_by" in error.value.message_dict
        consent = services.record_consent(
            plan,
            given_by="student",
            date=datetime.date(2026, 6, 2),
            decision="given",
            acting_user=user,
        )
        assert consent.given_by_name == "Bas de Boer" and consent.guardian is None


def test_consultation_moves_a_draft_into_consultation_and_back_to_draft_supersedes_consent(
    plan_world,
):
    pw = plan_world
    user = pw.world.users["bpo"]
    draft = pw.draft
    services.add_consultation(
        draft,
        date=pw.today,
        party="student",
        summary="Sam vindt de doelen haalbaar.",
        agreement_reached=True,
        acting_user=user,
    )
    assert draft.status == PlanStatus.IN_CONSULTATION
    with pytest.raises(ValidationError):
        services.update_plan(draft, fields=plan_fields(draft.trigger_date), acting_user=user)
    services.record_consent(
        draft,
        given_by="guardian",
        guardian=pw.cw.guardian,
        date=pw.today,
        decision="given",
        acting_user=user,
    )
    services.return_to_draft(draft, acting_user=user)
    assert draft.status == PlanStatus.DRAFT
    assert list(draft.consents.values_list("superseded", flat=True)) == [True]
    assert services.current_consent(draft) is None
    # The consent given on the old text no longer counts.
    with pytest.raises(ValidationError):
        services.set_plan(draft, set_on=pw.today, acting_user=user)
    assert draft.consultations.count() == 1  # the consultation history stays


def test_only_one_plan_line_per_student(plan_world):
    pw = plan_world
    with pytest.raises(ValidationError):
        services.create_plan(
            pw.student,
            fields=plan_fields(pw.today),
            acting_user=pw.world.users["coordinator"],
        )
    assert DevelopmentPlan.objects.filter(student=pw.student).count() == 2


def test_services_refuse_people_outside_the_school(plan_world):
    pw = plan_world
    for persona in ("coordinator_b", "director", "mentor", "partner", "partnership_admin"):
        user = pw.world.users[persona]
        with pytest.raises(PermissionDenied):
            services.update_goals(pw.draft, goal_inputs(), acting_user=user)
        with pytest.raises(PermissionDenied):
            services.create_plan(pw.student_new, fields=plan_fields(pw.today), acting_user=user)
    assert not DevelopmentPlan.objects.filter(student=pw.student_new).exists()


# --- Immutability and versions -------------------------------------------------------------------


def test_a_set_plan_cannot_be_changed(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    plan = pw.set_plan
    before = (
        plan.updated_at,
        plan.goals.count(),
        plan.consultations.count(),
        plan.consents.count(),
    )
    attempts = [
        lambda: services.update_plan(plan, fields=plan_fields(plan.trigger_date), acting_user=user),
        lambda: services.update_goals(plan, goal_inputs()[:1], acting_user=user),
        lambda: services.add_consultation(
            plan,
            date=pw.today,
            party="student",
            summary="Nog een gesprek.",
            agreement_reached=True,
            acting_user=user,
        ),
        lambda: services.record_consent(
            plan,
            given_by="guardian",
            guardian=pw.cw.guardian,
            date=pw.today,
            decision="refused",
            reason="Toch niet.",
            acting_user=user,
        ),
        lambda: services.return_to_draft(plan, acting_user=user),
        lambda: services.set_plan(plan, set_on=pw.today, acting_user=user),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    plan.refresh_from_db()
    after = (plan.updated_at, plan.goals.count(), plan.consultations.count(), plan.consents.count())
    assert after == before and plan.status == PlanStatus.SET


def test_a_new_version_copies_the_plan_and_shows_the_differences(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    draft = pw.draft
    assert draft.version == 2 and draft.previous == pw.set_plan and draft.is_draft
    assert draft.exit_destination == pw.set_plan.exit_destination
    assert services.plan_changes(draft) == []  # a fresh copy differs in nothing
    kept, dropped = draft.goals.order_by("position")
    assert kept.origin.plan == pw.set_plan
    # Only one version in preparation at a time.
    assert services.new_version(pw.set_plan, acting_user=user) == draft

    services.update_plan(
        draft,
        case=pw.cw.case,
        fields=plan_fields(
            draft.trigger_date,
            exit_destination="vwo",
            hindering_factors="Spanning bij toetsen en presentaties.",
        ),
        acting_user=user,
    )
    rows = [
        services.GoalInput(
            code=str(kept.code),
            goal=kept.goal,
            approach="Tweewekelijks gesprek met de mentor.",
            who=kept.who,
            when=kept.when,
            measure=kept.measure,
        ),
        services.GoalInput(goal="Sam presenteert voor de klas.", measure="Eén presentatie."),
    ]
    services.update_goals(draft, rows, acting_user=user)
    changes = {(c.kind, c.label, c.old, c.new) for c in services.plan_changes(draft)}
    destination = (
        "changed",
        "Verwachte uitstroombestemming",
        "Havo-diploma, doorstroom naar het hbo",
        "Vwo-diploma, doorstroom naar het wo",
    )
    factors = (
        "changed",
        "Belemmerende factoren",
        "Spanning bij toetsen.",
        "Spanning bij toetsen en presentaties.",
    )
    assert destination in changes and factors in changes
    kinds = sorted(c.kind for c in services.plan_changes(draft) if c.label == "Doel")
    assert kinds == ["added", "changed", "removed"]
    changed = next(
        c for c in services.plan_changes(draft) if c.kind == "changed" and c.label == "Doel"
    )
    assert "Wekelijks gesprek" in changed.old and "Tweewekelijks gesprek" in changed.new
    # The set version is untouched.
    assert PlanGoal.objects.filter(plan=pw.set_plan).count() == 2
    assert DevelopmentPlan.objects.get(pk=pw.set_plan.pk).exit_destination == "havo"


def test_goals_are_all_or_nothing(plan_world):
    pw = plan_world
    before = list(pw.draft.goals.values_list("pk", "position"))
    with pytest.raises(ValidationError) as error:
        services.update_goals(
            pw.draft,
            [services.GoalInput(goal="Goed doel.", measure="Ja."), services.GoalInput(goal="")],
            acting_user=pw.world.users["coordinator"],
        )
    assert any("Doel 2" in m for m in error.value.messages)
    assert list(pw.draft.goals.values_list("pk", "position")) == before


def test_dossier_plan_is_the_newest_set_version(plan_world):
    pw = plan_world
    user = pw.world.users["coordinator"]
    assert services.dossier_plan(pw.student) == pw.set_plan  # version 2 is a draft
    assert services.dossier_plan(pw.student16) is None  # in consultation
    assert services.dossier_plan(pw.student_new) is None
    services.record_consent(
        pw.draft,
        given_by="guardian",
        guardian=pw.cw.guardian,
        date=pw.today,
        decision=ConsentDecision.GIVEN,
        acting_user=user,
    )
    services.set_plan(pw.draft, set_on=pw.today, acting_user=user)
    assert services.dossier_plan(pw.student) == pw.draft
    assert list(DevelopmentPlan.objects.in_force().filter(student=pw.student)) == [pw.draft]


def test_constraints_guard_the_invariants(plan_world):
    from django.db import IntegrityError, transaction

    pw = plan_world
    with transaction.atomic(), pytest.raises(IntegrityError):
        PlanConsent.objects.filter(pk=pw.consulting.consents.get().pk).update(reason="")
    with transaction.atomic(), pytest.raises(IntegrityError):
        DevelopmentPlan.objects.filter(pk=pw.draft.pk).update(status="set")  # no set_on
    with transaction.atomic(), pytest.raises(IntegrityError):
        DevelopmentPlan.objects.filter(pk=pw.set_plan.pk).update(status="draft")  # two open
