"""The OPP and the privacy controls: every narrative field of a plan is encrypted at rest (a canary
typed in through the services appears in no byte of the database, the dump, the SQL, the audit
trail or the logs); the student's data export holds the plans; retention deletes them with the
student; and the demo's plans (passend/demo/plans.py)."""

from __future__ import annotations

import datetime
import json
import logging
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.audit.models import AuditEvent
from passend.plans import services
from passend.plans.models import (
    DevelopmentPlan,
    PlanConsent,
    PlanConsultation,
    PlanEvaluation,
    PlanGoal,
    PlanGoalResult,
)
from passend.privacy import crypto
from passend.privacy.export import student_data
from passend.privacy.fields import encrypted_fields
from passend.privacy.retention import purge
from passend.privacy.views import export_pdf_bytes
from passend.students.models import Student
from tests.pdftext import pdf_text
from tests.test_plans_views import sign_in
from tests.test_privacy_encryption import _dump, _raw_database_text

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)

NARRATIVE = {
    (DevelopmentPlan, "exit_explanation"),
    (DevelopmentPlan, "hindering_factors"),
    (DevelopmentPlan, "supporting_factors"),
    (DevelopmentPlan, "programme_deviations"),
    (DevelopmentPlan, "support_offered"),
    (DevelopmentPlan, "student_view"),
    (PlanGoal, "goal"),
    (PlanGoal, "approach"),
    (PlanGoal, "measure"),
    (PlanConsultation, "summary"),
    (PlanConsent, "reason"),
    (PlanEvaluation, "conclusion"),
    (PlanEvaluation, "next_steps"),
    (PlanGoalResult, "note"),
}


def test_every_narrative_field_of_a_plan_is_encrypted():
    found = {(model, name) for model, names in encrypted_fields() for name in names}
    assert NARRATIVE <= found


def _canary(label: str) -> str:
    return f"CANARY-{label}-{uuid.uuid4().hex}"


def test_canaries_typed_into_a_plan_are_nowhere_at_rest(caseload_world, caplog):
    cw = caseload_world
    user = cw.world.users["coordinator"]
    caplog.set_level(logging.DEBUG)
    canaries = {f"{m.__name__}.{f}": _canary(f"{m.__name__}-{f}") for m, f in NARRATIVE}
    plan_texts = {
        name: canaries[f"DevelopmentPlan.{name}"]
        for model, name in NARRATIVE
        if model is DevelopmentPlan
    }
    with CaptureQueriesContext(connection) as queries:
        plan = services.create_plan(
            cw.student,
            fields={
                "trigger": "enrolment",
                "trigger_date": cw.today - 20 * DAY,
                "exit_destination": "havo",
                "student_heard_on": cw.today - 10 * DAY,
                **plan_texts,
            },
            acting_user=user,
        )
        services.update_goals(
            plan,
            [
                services.GoalInput(
                    goal=canaries["PlanGoal.goal"],
                    approach=canaries["PlanGoal.approach"],
                    measure=canaries["PlanGoal.measure"],
                )
            ],
            acting_user=user,
        )
        services.add_consultation(
            plan,
            date=cw.today - 5 * DAY,
            party="guardian",
            guardian=cw.guardian,
            summary=canaries["PlanConsultation.summary"],
            agreement_reached=False,
            acting_user=user,
        )
        services.record_consent(
            plan,
            given_by="guardian",
            guardian=cw.guardian,
            date=cw.today - 4 * DAY,
            decision="refused",
            reason=canaries["PlanConsent.reason"],
            acting_user=user,
        )
        services.record_consent(
            plan,
            given_by="guardian",
            guardian=cw.guardian,
            date=cw.today - 2 * DAY,
            decision="given",
            acting_user=user,
        )
        services.set_plan(plan, set_on=cw.today - DAY, acting_user=user)
        services.add_evaluation(
            plan,
            date=cw.today,
            results=[
                services.ResultInput(
                    str(plan.goals.get().code), "partly", canaries["PlanGoalResult.note"]
                )
            ],
            conclusion=canaries["PlanEvaluation.conclusion"],
            next_steps=canaries["PlanEvaluation.next_steps"],
            decision="continue",
            acting_user=user,
        )
    plan.refresh_from_db()
    assert plan.student_view == canaries["DevelopmentPlan.student_view"]  # readable
    assert PlanConsent.objects.get(decision="refused").reason == canaries["PlanConsent.reason"]

    raw = _raw_database_text()
    dump = _dump()
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    audit = "\n".join(json.dumps(e.extra, ensure_ascii=False) for e in AuditEvent.objects.all())
    assert len(canaries) == len(NARRATIVE)
    for label, canary in canaries.items():
        assert canary not in raw, label
        assert canary not in dump, label
        assert canary not in sql, label
        assert canary not in audit, label
        assert canary not in caplog.text, label
    assert crypto.PREFIX in raw


def test_the_data_export_holds_the_plans(client, plan_world):
    pw = plan_world
    with CaptureQueriesContext(connection) as queries:
        data = student_data(pw.student)
    plans = data["development_plans"]
    assert [p["version"] for p in plans] == [1, 2]
    first = plans[0]
    assert first["status"] == "Vastgesteld" and first["set_late"] is False
    assert first["hindering_factors"] == "Spanning bij toetsen."
    assert first["student_view"] == "Ik wil graag meer rust in de les."
    assert first["goals"][0]["goal"] == "Sam plant zijn huiswerk zelf in een weekplanner."
    assert first["consultations"][0]["summary"] == "Plan besproken met moeder."
    assert first["consents"][0]["decision"] == "Instemming gegeven"
    evaluation = first["evaluations"][0]
    assert evaluation["conclusion"] == "Sam maakt goede voortgang."
    assert [r["result"] for r in evaluation["results"]] == ["Behaald", "Behaald"]
    refused = student_data(pw.student16)["development_plans"][0]["consents"][0]
    assert refused["reason"] == "Vader wil eerst een gesprek met de mentor."

    # A constant number of queries for the plans, however many there are.
    DevelopmentPlan.objects.filter(pk=pw.draft.pk).update(status="set", set_on=pw.today)
    for _ in range(3):
        services.new_version(pw.draft, acting_user=pw.world.users["coordinator"])
        latest = DevelopmentPlan.objects.filter(student=pw.student).order_by("-version").first()
        DevelopmentPlan.objects.filter(pk=latest.pk).update(status="set", set_on=pw.today)
    with CaptureQueriesContext(connection) as more:
        assert len(student_data(pw.student)["development_plans"]) == 5
    assert len(more) == len(queries)

    sign_in(client, pw.world.users["coordinator"])
    response = client.get(reverse("privacy:student_export_json", args=[pw.student16.code]))
    exported = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert exported["development_plans"][0]["status"] == "In overleg met ouders"
    text = " ".join(pdf_text(export_pdf_bytes(pw.student16, uncompressed=True)).split())
    assert "Ontwikkelingsperspectiefplan, versie 1" in text
    assert "Vader wil eerst een gesprek met de mentor." in text


def test_retention_deletes_the_plans_with_the_student(plan_world):
    pw = plan_world
    left = pw.today - 3 * 365 * DAY
    Student.objects.filter(pk__in=[pw.student.pk, pw.student16.pk]).update(
        enrolled_on=left - 400 * DAY, left_on=left
    )
    assert DevelopmentPlan.objects.count() == 3
    report = purge(apply=True, on=pw.today)
    assert report.students == 2
    for model in (
        DevelopmentPlan,
        PlanGoal,
        PlanConsultation,
        PlanConsent,
        PlanEvaluation,
        PlanGoalResult,
    ):
        assert not model.objects.exists(), model.__name__
    assert Student.objects.filter(pk=pw.student_new.pk).exists()


# --- The demo ------------------------------------------------------------------------------------


def test_demo_plans(settings):
    from passend.accounts.models import User
    from passend.demo import caseload as demo_caseload
    from passend.demo import plans as demo_plans
    from passend.plans.due import due_items

    settings.REQUIRE_2FA = False
    call_command("demo", stdout=StringIO())
    users = {u.email: u for u in User.objects.all()}
    demo_plans.load(users)
    demo_plans.load(users)  # idempotent
    cases = demo_caseload.demo_cases()
    sara = cases[demo_caseload.EVALUATION_CASE].student
    noa = cases[demo_caseload.OWN_CONSENT_CASE].student
    youssef = cases[demo_caseload.ADVICE_CASE].student
    assert DevelopmentPlan.objects.count() == 3

    plan = DevelopmentPlan.objects.get(student=sara)
    assert plan.is_set and not plan.set_late and plan.case == cases[demo_caseload.EVALUATION_CASE]
    assert plan.goals.count() == 2 and plan.consultations.count() == 1
    assert plan.current_decision() == "given" and plan.student_view
    assert plan.evaluations.count() == 1 and plan.set_by.email == demo_caseload.COORDINATOR_A
    assert services.dossier_plan(sara) == plan

    plan = DevelopmentPlan.objects.get(student=noa)
    assert plan.status == "in_consultation" and plan.consent_refused
    assert plan.consents.get().reason

    plan = DevelopmentPlan.objects.get(student=youssef)
    assert plan.is_draft and plan.to_set_overdue_on(plan.trigger_date + 43 * DAY)

    coordinator = users[demo_caseload.COORDINATOR_A]
    items = due_items(coordinator, plan.trigger_date + 50 * DAY)
    overdue = [
        i for i in items if i.kind == "plan_to_set" and i.overdue(plan.trigger_date + 50 * DAY)
    ]
    assert {i.student for i in overdue} == {youssef, noa}
    assert all(i.school.pk == plan.school_id for i in items)
    assert due_items(users[demo_caseload.COORDINATOR_B], plan.trigger_date + 50 * DAY) == []
