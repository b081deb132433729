"""The OPP pages end to end through the test client (passend/plans/views.py): draw up a plan and
its goals, consult, record the parents' decision, set it, evaluate it, make a new version with
the differences, and the PDF for signing. Bad input gives the form again with an error on the
field and writes nothing; the student and case pages show the plan's state (a refused consent,
a late setting); other schools, the director, the mentor and the partner get 404; the plan list
and the plan page keep a constant number of queries however many versions and records."""

from __future__ import annotations

import datetime
import json
import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.caseload.models import SupportCase
from passend.plans.choices import PlanStatus
from passend.plans.models import (
    DevelopmentPlan,
    PlanConsent,
    PlanConsultation,
    PlanEvaluation,
    PlanGoal,
    PlanGoalResult,
)
from passend.plans.views import plan_pdf_bytes
from passend.privacy.audit import VIEW_ACTION
from tests import factories
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def url(name: str, obj, query: str = "") -> str:
    return reverse(f"plans:{name}", args=[obj.code]) + query


def body(response) -> str:
    return response.content.decode()


def written() -> dict:
    """Row counts of everything the plan pages write (reads are audited, so view events are left
    out of the audit count)."""
    return {
        "plans": DevelopmentPlan.objects.count(),
        "goals": PlanGoal.objects.count(),
        "consultations": PlanConsultation.objects.count(),
        "consents": PlanConsent.objects.count(),
        "evaluations": PlanEvaluation.objects.count(),
        "results": PlanGoalResult.objects.count(),
        "audit": AuditEvent.objects.exclude(action=VIEW_ACTION).count(),
    }


def plan_data(day: datetime.date, **overrides) -> dict:
    """The plan form with ``day`` as the trigger date and the day the student was heard."""
    data = {
        "case": "",
        "trigger": "extra_support",
        "trigger_date": day.isoformat(),
        "exit_destination": "vmbo_kb",
        "exit_explanation": "Praktisch sterk, theorie kost moeite.",
        "hindering_factors": "Concentratie na de pauze.",
        "supporting_factors": "Sportief, goede band met de mentor.",
        "programme_deviations": "Geen tweede moderne vreemde taal.",
        "support_offered": "Twee keer per week begeleiding door de bpo'er.",
        "student_view": "Ik wil later iets met techniek.",
        "student_heard_on": day.isoformat(),
    }
    data.update(overrides)
    return data


def goals_data(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "doelen-TOTAL_FORMS": str(len(rows)),
        "doelen-INITIAL_FORMS": str(initial),
        "doelen-MIN_NUM_FORMS": "0",
        "doelen-MAX_NUM_FORMS": "30",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"doelen-{n}-{key}"] = value
    return data


def assert_field_error(response, field: str, form: str = "form") -> None:
    assert response.status_code == 200
    bound = response.context[form]
    assert field in bound.errors, (field, bound.errors)
    for message in bound.errors[field]:
        assert escape(message) in body(response), message


# --- The happy path ------------------------------------------------------------------------------


def test_draw_up_consult_consent_set_evaluate(client, plan_world):
    pw = plan_world
    student = pw.student_new
    sign_in(client, pw.world.users["bpo"])
    create = url("plan_create", student)
    assert client.get(create).status_code == 200
    response = client.post(create, plan_data(pw.today - 10 * DAY))
    plan = DevelopmentPlan.objects.get(student=student)
    assert response["Location"] == url("plan_goals", plan)
    assert plan.version == 1 and plan.status == PlanStatus.DRAFT
    assert plan.school == pw.world.a and plan.partnership == pw.world.p
    assert plan.exit_destination == "vmbo_kb"
    assert plan.hindering_factors == "Concentratie na de pauze."
    # A second plan for the same student: the existing one is opened.
    assert client.get(create)["Location"] == url("plan_detail", plan)

    rows = [
        {
            "goal": "Mo werkt 20 minuten zelfstandig.",
            "measure": "Drie lessen op rij.",
            "who": "bpo",
        },
        {},  # an empty row is left out
    ]
    response = client.post(url("plan_goals", plan), goals_data(rows))
    assert response["Location"] == url("plan_detail", plan)
    assert list(plan.goals.values_list("who", flat=True)) == ["bpo"]

    guardian = student.guardians.create(name="Eva Visser", relation="mother", has_authority=True)
    response = client.post(
        url("consultation_create", plan),
        {
            "date": pw.today.isoformat(),
            "party": "guardian",
            "guardian": str(guardian.code),
            "summary": "Moeder kan zich vinden in het plan.",
            "agreement_reached": "yes",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_CONSULTATION
    consultation = plan.consultations.get()
    assert consultation.agreement_reached and consultation.with_name == "Eva Visser"

    consent = {
        "given_by": "guardian",
        "guardian": str(guardian.code),
        "date": pw.today.isoformat(),
        "decision": "given",
        "reason": "",
    }
    assert client.post(url("consent_create", plan), consent).status_code == 302
    page = client.get(url("plan_set", plan))
    assert page.context["problems"] == []
    response = client.post(url("plan_set", plan), {"set_on": pw.today.isoformat()})
    assert response["Location"] == url("plan_detail", plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SET and plan.set_by == pw.world.users["bpo"]
    assert not plan.set_late
    detail = body(client.get(url("plan_detail", plan)))
    assert "Vastgesteld op" in detail and url("evaluation_create", plan) in detail
    assert url("plan_edit", plan) not in detail  # a set plan is not edited

    goal = plan.goals.get()
    response = client.post(
        url("evaluation_create", plan),
        {
            "date": pw.today.isoformat(),
            f"result_{goal.code}": "partly",
            f"note_{goal.code}": "Twee van de drie lessen.",
            "conclusion": "Goede start.",
            "next_steps": "Doorgaan.",
            "decision": "continue",
        },
    )
    evaluation = plan.evaluations.get()
    assert response["Location"] == url("evaluation_detail", evaluation)
    assert evaluation.results.get().result == "partly"
    page = body(client.get(url("evaluation_detail", evaluation)))
    assert "Twee van de drie lessen." in page and "Deels behaald" in page


def test_new_version_shows_the_differences(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    # Version 2 of Sam's plan exists as a draft; asking again opens it.
    response = client.post(url("plan_new_version", pw.set_plan))
    assert response["Location"] == url("plan_detail", pw.draft)
    assert DevelopmentPlan.objects.filter(student=pw.student).count() == 2

    edit = url("plan_edit", pw.draft)
    assert client.get(edit).context["form"].initial["exit_destination"] == "havo"
    response = client.post(
        edit,
        plan_data(
            pw.draft.trigger_date,
            exit_destination="vwo",
            exit_explanation=pw.draft.exit_explanation,
        ),
    )
    assert response.status_code == 302
    first, second = pw.draft.goals.order_by("position")
    rows = [
        {"code": str(first.code), "goal": first.goal, "measure": "Zes van de acht weken."},
        {"code": str(second.code), "goal": second.goal, "measure": second.measure, "delete": "on"},
        {"goal": "Sam vraagt zelf om hulp.", "measure": "Wekelijks."},
    ]
    assert client.post(url("plan_goals", pw.draft), goals_data(rows, initial=2)).status_code == 302
    page = client.get(url("plan_detail", pw.draft))
    kinds = sorted((c.kind, c.label) for c in page.context["changes"])
    assert ("changed", "Verwachte uitstroombestemming") in kinds
    assert [k for k, label in kinds if label == "Doel"] == ["added", "changed", "removed"]
    text = body(page)
    assert "Wijzigingen ten opzichte van versie 1" in text
    assert "Vwo-diploma, doorstroom naar het wo" in text and "Sam vraagt zelf om hulp." in text
    assert "Toegevoegd" in text and "Vervallen" in text and "Gewijzigd" in text


def test_a_set_plan_is_not_edited_through_the_pages(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    before = written()
    for name in ("plan_edit", "plan_goals", "consultation_create", "consent_create", "plan_set"):
        response = client.get(url(name, pw.set_plan))
        assert response["Location"] == url("plan_detail", pw.set_plan), name
    response = client.post(url("plan_edit", pw.set_plan), plan_data(pw.today))
    assert response["Location"] == url("plan_detail", pw.set_plan)
    response = client.post(url("plan_goals", pw.set_plan), goals_data([]))
    assert response["Location"] == url("plan_detail", pw.set_plan)
    assert written() == before
    assert pw.set_plan.goals.count() == 2


def test_return_to_draft_from_consultation(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["bpo"])
    response = client.post(url("plan_reopen", pw.consulting))
    assert response["Location"] == url("plan_detail", pw.consulting)
    pw.consulting.refresh_from_db()
    assert pw.consulting.status == PlanStatus.DRAFT
    assert pw.consulting.consents.get().superseded
    # A draft cannot go "back" again: the message is shown, nothing changes.
    client.post(url("plan_reopen", pw.consulting))
    assert pw.consulting.status == PlanStatus.DRAFT
    assert client.get(url("plan_reopen", pw.consulting)).status_code == 405


# --- Consent, and what the student and case pages show ------------------------------------------


def test_a_refused_consent_keeps_the_plan_in_consultation_and_the_pages_show_it(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    case = SupportCase.objects.create(
        partnership=pw.world.p,
        school=pw.world.a,
        student=pw.student16,
        signal_source="student",
        signalled_on=pw.today - 40 * DAY,
        signal="Noor loopt achter.",
        opened_by=pw.world.users["coordinator"],
    )
    refused = "Instemming geweigerd – het OPP blijft in overleg"
    for address in (
        reverse("caseload:case_detail", args=[case.code]),
        reverse("students:student_detail", args=[pw.student16.code]),
        url("plan_detail", pw.consulting),
        url("student_plans", pw.student16),
    ):
        page = client.get(address)
        assert page.status_code == 200
        assert refused in body(page), address
    # Setting is refused on the set page; the plan stays in consultation.
    before = written()
    response = client.post(url("plan_set", pw.consulting), {"set_on": pw.today.isoformat()})
    assert response.status_code == 200
    assert "geweigerd" in " ".join(response.context["form"].non_field_errors())
    pw.consulting.refresh_from_db()
    assert pw.consulting.status == PlanStatus.IN_CONSULTATION
    assert written() == before
    # Sam's set plan shows as set on his case page, with the draft of version 2.
    page = body(client.get(reverse("caseload:case_detail", args=[pw.cw.case.code])))
    assert "Versie 2: Concept" in page and refused not in page


def test_a_refusal_without_a_reason_is_a_field_error_and_writes_nothing(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    before = written()
    response = client.post(
        url("consent_create", pw.consulting),
        {
            "given_by": "guardian",
            "guardian": str(pw.guardian16.code),
            "date": pw.today.isoformat(),
            "decision": "refused",
            "reason": "",
        },
    )
    assert_field_error(response, "reason")
    assert written() == before


def test_setting_without_consent_is_refused_on_the_page(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    page = client.get(url("plan_set", pw.draft))
    assert any("instemming" in p for p in page.context["problems"])
    before = written()
    response = client.post(url("plan_set", pw.draft), {"set_on": pw.today.isoformat()})
    assert response.status_code == 200
    assert any("instemming" in e for e in response.context["form"].non_field_errors())
    assert written() == before
    pw.draft.refresh_from_db()
    assert pw.draft.status == PlanStatus.DRAFT


def test_setting_on_day_43_shows_the_flag(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    with time_machine.travel(datetime.datetime(2026, 4, 20, 10, 0), tick=False):
        trigger = datetime.date(2026, 3, 1)
        client.post(
            reverse("plans:plan_create", args=[cw.student.code]),
            plan_data(trigger, case=str(cw.case.code)),
        )
        plan = DevelopmentPlan.objects.get(student=cw.student)
        assert plan.case == cw.case
        client.post(url("plan_goals", plan), goals_data([{"goal": "Doel.", "measure": "Ja."}]))
        client.post(
            url("consent_create", plan),
            {
                "given_by": "guardian",
                "guardian": str(cw.guardian.code),
                "date": "2026-04-01",
                "decision": "given",
            },
        )
        page = body(client.get(url("plan_set", plan)))
        assert "vandaag is dag 50" in page
        response = client.post(url("plan_set", plan), {"set_on": "2026-04-13"}, follow=True)
        plan.refresh_from_db()
        assert plan.set_late and plan.set_on_day == 43
        assert "dag 43" in body(response)
        for address in (
            url("plan_detail", plan),
            reverse("students:student_detail", args=[cw.student.code]),
            reverse("caseload:case_detail", args=[cw.case.code]),
        ):
            assert "te laat vastgesteld (dag 43 na de startdatum)" in body(client.get(address))


def test_the_student_page_shows_what_is_late(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    noor = reverse("students:student_detail", args=[pw.student16.code])
    sam = reverse("students:student_detail", args=[pw.student.code])
    deadline = pw.consulting.set_deadline
    assert "Verstreken" not in body(client.get(noor))
    with time_machine.travel(deadline + DAY, tick=False):
        sign_in(client, pw.world.users["coordinator"])  # a session does not last that long
        page = body(client.get(noor))
        assert "Verstreken: het OPP had uiterlijk" in page
        assert "De termijn van zes weken is verstreken." in body(
            client.get(url("plan_detail", pw.consulting))
        )
    due = pw.set_plan.next_evaluation_due()
    assert "Te laat: uiterlijk" not in body(client.get(sam))
    with time_machine.travel(due + DAY, tick=False):
        sign_in(client, pw.world.users["coordinator"])
        page = body(client.get(sam))
        assert "Te laat: uiterlijk" in page and "Versie 1: Vastgesteld op" in page


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"trigger_date": ""}, "trigger_date"),
        ({"trigger": "whenever"}, "trigger"),
        ({"exit_destination": "astronaut"}, "exit_destination"),
        ({"student_heard_on": ""}, "student_heard_on"),  # a view without the day it was heard
        ({"trigger_date": "2999-01-01"}, "trigger_date"),
    ],
)
def test_bad_plan_input_gives_a_field_error_and_writes_nothing(
    client, plan_world, overrides, field
):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    before = written()
    response = client.post(url("plan_create", pw.student_new), plan_data(pw.today, **overrides))
    assert_field_error(response, field)
    assert written() == before


def test_a_case_of_another_student_is_refused(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    before = written()
    response = client.post(
        url("plan_edit", pw.draft), plan_data(pw.today, case=str(pw.cw.case_b.code))
    )
    assert_field_error(response, "case")
    assert written() == before


def test_bad_goal_rows_give_field_errors_and_write_nothing(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    before = written()
    first = pw.draft.goals.order_by("position").first()
    rows = [
        {"code": str(first.code), "goal": "Nieuw doel.", "measure": "Ja."},
        {"goal": "Zonder maatstaf."},
    ]
    response = client.post(url("plan_goals", pw.draft), goals_data(rows, initial=1))
    assert response.status_code == 200
    errors = response.context["formset"].errors
    assert "measure" in errors[1] and not errors[0]
    assert escape(errors[1]["measure"][0]) in body(response)
    assert written() == before
    first.refresh_from_db()
    assert first.goal != "Nieuw doel."


def test_bad_consultation_and_evaluation_input(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    before = written()
    response = client.post(
        url("consultation_create", pw.consulting),
        {
            "date": (pw.today + DAY).isoformat(),
            "party": "guardian",
            "guardian": "",
            "summary": "Gesprek.",
            "agreement_reached": "no",
        },
    )
    assert_field_error(response, "date")
    assert_field_error(response, "guardian")
    goal = pw.set_plan.goals.first()
    response = client.post(
        url("evaluation_create", pw.set_plan),
        {"date": pw.today.isoformat(), "conclusion": "Klaar.", "decision": "continue"},
    )
    assert_field_error(response, f"result_{goal.code}")
    assert written() == before


# --- Who sees it ---------------------------------------------------------------------------------


def test_others_get_404_and_write_nothing(client, plan_world):
    pw = plan_world
    before = written()
    for persona in ("coordinator_b", "director", "mentor", "partner", "consultant"):
        client.logout()
        sign_in(client, pw.world.users[persona])
        for address in (
            url("student_plans", pw.student),
            url("plan_detail", pw.set_plan),
            url("plan_edit", pw.draft),
            url("plan_pdf", pw.set_plan),
            url("evaluation_detail", pw.evaluation),
        ):
            assert client.get(address).status_code == 404, (persona, address)
        assert client.post(url("plan_reopen", pw.consulting)).status_code == 404
        assert client.post(url("plan_new_version", pw.set_plan)).status_code == 404
        response = client.post(url("plan_create", pw.student_new), plan_data(pw.today))
        assert response.status_code == 404
    assert written() == before
    assert not AuditEvent.objects.filter(
        action=VIEW_ACTION, extra__what__startswith="plan"
    ).exists()
    # The partner sees Sam's case, but not the plan section on it.
    sign_in(client, pw.world.users["partner"])
    page = client.get(reverse("caseload:case_detail", args=[pw.cw.case.code]))
    assert page.status_code == 200 and page.context["plan_summary"] is None
    assert "Ontwikkelingsperspectiefplan" not in body(page)


# --- The document --------------------------------------------------------------------------------


def test_the_pdf_for_signing(client, plan_world):
    pw = plan_world
    text = " ".join(pdf_text(plan_pdf_bytes(pw.set_plan, uncompressed=True)).split())
    for expected in (
        "Ontwikkelingsperspectiefplan (OPP)",
        "Sam Jansen",
        "Havo-diploma, doorstroom naar het hbo",
        "Spanning bij toetsen.",
        "Vrijstelling voor de tweede moderne vreemde taal.",
        "Sam plant zijn huiswerk zelf in een weekplanner.",
        "Plan besproken met moeder.",
        "Instemming gegeven door Ria Jansen",
        "Ik wil graag meer rust in de les.",
        "Ondertekening",
        "Handtekening",
    ):
        assert expected in text, expected
    text = " ".join(pdf_text(plan_pdf_bytes(pw.consulting, uncompressed=True)).split())
    assert "Instemming geweigerd door Kees Jansen" in text
    assert "Vader wil eerst een gesprek met de mentor." in text

    sign_in(client, pw.world.users["bpo"])
    response = client.get(url("plan_pdf", pw.set_plan))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(action=VIEW_ACTION, extra__what="plan_pdf")
    assert event.extra["student"] == str(pw.student.code)
    assert event.extra["on_behalf_of"] == "bpo"


def test_no_narrative_of_a_plan_in_the_audit_trail(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    for address in (
        url("student_plans", pw.student),
        url("plan_detail", pw.set_plan),
        url("plan_detail", pw.consulting),
        url("evaluation_detail", pw.evaluation),
    ):
        assert client.get(address).status_code == 200
    narratives = [
        "Haalt havo-niveau bij de kernvakken.",
        "Spanning bij toetsen.",
        "Betrokken ouders.",
        "Vrijstelling voor de tweede moderne vreemde taal.",
        "Wekelijkse begeleiding door de bpo'er.",
        "Ik wil graag meer rust in de les.",
        "Sam plant zijn huiswerk zelf in een weekplanner.",
        "Plan besproken met moeder.",
        "Vader wil eerst een gesprek met de mentor.",
        "Sam maakt goede voortgang.",
        "Goed gelukt.",
        "Sam Jansen",
        "Noor Jansen",
    ]
    extra = "\n".join(json.dumps(e.extra, ensure_ascii=False) for e in AuditEvent.objects.all())
    for text in narratives:
        assert text not in extra, text


# --- Query counts --------------------------------------------------------------------------------


def _count(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def _versions(pw, student, count: int) -> None:
    """``count`` set versions for ``student`` (who has none yet), each with a consent and an
    evaluation by a different user, then one draft."""
    previous = None
    users = [factories.member(Role.BPO, school=pw.world.a) for _ in range(count)]
    for n in range(1, count + 2):
        is_set = n <= count
        plan = DevelopmentPlan.objects.create(
            partnership=pw.world.p,
            school=pw.world.a,
            student=student,
            version=n,
            previous=previous,
            status=PlanStatus.SET if is_set else PlanStatus.DRAFT,
            trigger_date=pw.today - 400 * DAY,
            set_on=pw.today - (300 - n) * DAY if is_set else None,
            set_by=users[n - 1] if is_set else None,
        )
        PlanConsent.objects.create(
            partnership=pw.world.p,
            school=pw.world.a,
            plan=plan,
            given_by="guardian",
            given_by_name="Eva Visser",
            date=pw.today - 350 * DAY,
            decision="given",
        )
        if is_set:
            PlanEvaluation.objects.create(
                partnership=pw.world.p,
                school=pw.world.a,
                plan=plan,
                date=pw.today - 10 * DAY,
                conclusion="Goed.",
                decision="continue",
                evaluated_by=users[n - 1],
            )
        previous = plan


def test_student_plan_list_query_count_is_constant(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    address = url("student_plans", pw.student_new)
    _versions(pw, pw.student_new, 1)
    client.get(address)
    few = _count(client, address)
    DevelopmentPlan.objects.filter(student=pw.student_new).delete()
    _versions(pw, pw.student_new, 12)
    page = client.get(address)
    assert len(page.context["versions"]) == 13
    assert _count(client, address) == few


def test_student_page_query_count_does_not_grow_with_versions(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    address = reverse("students:student_detail", args=[pw.student_new.code])
    _versions(pw, pw.student_new, 1)
    client.get(address)
    few = _count(client, address)
    DevelopmentPlan.objects.filter(student=pw.student_new).delete()
    _versions(pw, pw.student_new, 12)
    assert "Versie 13: Concept" in body(client.get(address))
    assert _count(client, address) == few


def _records(pw, plan, count: int, start: int) -> None:
    """``count`` more goals, consultations, consents and evaluations (with a result per goal)
    on a set ``plan``, each evaluation by a different user."""
    goals = [
        PlanGoal.objects.create(
            partnership=pw.world.p,
            school=pw.world.a,
            plan=plan,
            position=start + n,
            goal=f"Doel {start + n}",
            measure="Ja.",
        )
        for n in range(count)
    ]
    for n in range(count):
        PlanConsultation.objects.create(
            partnership=pw.world.p,
            school=pw.world.a,
            plan=plan,
            date=pw.today - 390 * DAY,
            party="student",
            summary=f"Gesprek {start + n}",
        )
        PlanConsent.objects.create(
            partnership=pw.world.p,
            school=pw.world.a,
            plan=plan,
            given_by="guardian",
            given_by_name="Ria Jansen",
            date=pw.today - 385 * DAY,
            decision="given",
        )
        evaluation = PlanEvaluation.objects.create(
            partnership=pw.world.p,
            school=pw.world.a,
            plan=plan,
            date=pw.today - (30 + n) * DAY,
            conclusion=f"Conclusie {start + n}",
            decision="continue",
            evaluated_by=factories.member(Role.BPO, school=pw.world.a),
        )
        PlanGoalResult.objects.bulk_create(
            PlanGoalResult(
                partnership=pw.world.p,
                school=pw.world.a,
                evaluation=evaluation,
                goal=goal,
                result="achieved",
            )
            for goal in goals
        )


def test_plan_page_query_count_is_constant(client, plan_world):
    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    address = url("plan_detail", pw.set_plan)
    _records(pw, pw.set_plan, 1, 100)
    client.get(address)
    few = _count(client, address)
    _records(pw, pw.set_plan, 12, 200)
    page = client.get(address)
    assert len(page.context["goals"]) == 15 and len(page.context["evaluations"]) == 14
    assert _count(client, address) == few
    # The draft with its differences, too.
    address = url("plan_detail", pw.draft)
    few = _count(client, address)
    for n in range(12):
        PlanGoal.objects.create(
            partnership=pw.world.p,
            school=pw.world.a,
            plan=pw.draft,
            position=50 + n,
            goal=f"Extra doel {n}",
            measure="Ja.",
        )
    page = client.get(address)
    assert len([c for c in page.context["changes"] if c.kind == "added"]) == 12
    assert _count(client, address) == few


# --- Any bad input: never a 500 ------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
BAD_VALUES = ["", " ", "x" * 25000, SCRIPT, "ééé 𝕏 漢字 🙂", "\x00", "2025-13-45", "00000000"]


class _Rollback(Exception):
    """Undo one attempt, so that each bad value meets the same plan."""


def _forms(pw) -> dict:
    """Endpoint name → (the plan or student, valid data) of every form of the plan pages."""
    goal = pw.set_plan.goals.first()
    return {
        "plan_create": (pw.student_new, plan_data(pw.today)),
        "plan_edit": (pw.draft, plan_data(pw.today)),
        "plan_goals": (
            pw.draft,
            goals_data([{"goal": "Doel.", "approach": "Aanpak.", "who": "x", "when": "y"}]),
        ),
        "consultation_create": (
            pw.consulting,
            {
                "date": pw.today.isoformat(),
                "party": "guardian",
                "guardian": str(pw.guardian16.code),
                "summary": "Gesprek.",
                "agreement_reached": "yes",
            },
        ),
        "consent_create": (
            pw.consulting,
            {
                "given_by": "guardian",
                "guardian": str(pw.guardian16.code),
                "date": pw.today.isoformat(),
                "decision": "refused",
                "reason": "Nog niet.",
            },
        ),
        "plan_set": (pw.consulting, {"set_on": pw.today.isoformat()}),
        "evaluation_create": (
            pw.set_plan,
            {
                "date": pw.today.isoformat(),
                f"result_{goal.code}": "achieved",
                f"note_{goal.code}": "Goed.",
                "conclusion": "Klaar.",
                "next_steps": "",
                "decision": "continue",
            },
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "plan_create",
        "plan_edit",
        "plan_goals",
        "consultation_create",
        "consent_create",
        "plan_set",
        "evaluation_create",
    ],
)
def test_bad_values_in_every_field_never_give_a_500(client, plan_world, name):
    from django.db import transaction

    pw = plan_world
    sign_in(client, pw.world.users["coordinator"])
    subject, valid = _forms(pw)[name]
    fields = [k for k in valid if not k.endswith(("_FORMS", "_NUM_FORMS"))]
    for field in fields:
        for value in BAD_VALUES:
            before = written()
            try:
                with transaction.atomic():
                    response = client.post(url(name, subject), {**valid, field: value})
                    assert response.status_code in (200, 302), (field, value)
                    if response.status_code == 200:
                        assert written() == before, (field, value)
                    else:
                        response = client.get(response["Location"])
                    assert SCRIPT.encode() not in response.content, (field, value)
                    raise _Rollback
            except _Rollback:
                pass
