"""Issue 7's OPP scenario in a real browser: the BPO draws up an OPP for Sam from his case
(perspective, action part, his view, goals), logs the consultation with his mother; the
coordinator records her refusal (first without the reason: a field error), sees the student page
say "consent refused – in consultation", records her consent after a further talk, sets the plan
and evaluates it. Every page state visited passes conftest.Browse.check (axe WCAG 2.1 AA, CSP,
console, stylesheets)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_walk import log_in, log_out
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.browser

GOAL = "Sam plant zijn huiswerk zelf in een weekplanner."
REASON = "Moeder wil eerst zien of de extra begeleiding helpt."
CONCLUSION = "Sam gebruikt de planner en haalt zijn toetsen."


def _set_up(w, today):
    """Sam (14) at school A with a mother with authority, and a case opened 20 days ago."""
    from passend.caseload.models import SupportCase
    from passend.organisations.models import SchoolYear
    from passend.students.models import Guardian, Student

    student = Student.objects.create(
        partnership=w.p,
        school=w.a,
        student_number="1001",
        first_name="Sam",
        last_name="Jansen",
        date_of_birth=years_ago(14),
        class_name="2B",
        year_of_study=2,
        level="havo",
        enrolled_on=SchoolYear.current().start,
    )
    guardian = Guardian.objects.create(
        student=student, name="Ria Jansen", relation="mother", has_authority=True
    )
    case = SupportCase.objects.create(
        partnership=w.p,
        school=w.a,
        student=student,
        signal_source="mentor",
        signalled_on=today - datetime.timedelta(days=20),
        signal="Sam raakt achter met zijn huiswerk.",
        bpo=w.users["bpo"],
        opened_by=w.users["bpo"],
    )
    return student, guardian, case


def test_draft_consent_set_evaluate(browse, browser_world):
    from passend.plans.models import DevelopmentPlan

    w = browser_world
    page = browse.page
    main = page.get_by_role("main")
    today = timezone.localdate()
    student, guardian, case = _set_up(w, today)

    # --- The BPO draws up the plan from the case ----------------------------------------------
    log_in(browse, w.users["bpo"])
    browse.goto(f"/casussen/{case.code}/")
    expect(main).to_contain_text("Er is geen OPP voor deze leerling.")
    browse.check("case page without a plan")
    page.get_by_role("link", name="OPP opstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OPP opstellen")
    expect(page.locator("#id_case")).to_have_value(str(case.code))
    browse.check("plan form")
    page.locator("#id_trigger").select_option("extra_support")
    page.locator("#id_trigger_date").fill("")
    page.get_by_role("button", name="OPP aanmaken").click()
    expect(page.locator("#id_trigger_date")).to_have_attribute("aria-invalid", "true")
    browse.check("plan form with an error")
    page.locator("#id_trigger_date").fill((today - datetime.timedelta(days=10)).isoformat())
    page.locator("#id_exit_destination").select_option("havo")
    page.locator("#id_hindering_factors").fill("Plannen kost Sam veel moeite.")
    page.locator("#id_supporting_factors").fill("Gemotiveerd en sportief.")
    page.locator("#id_support_offered").fill("Wekelijks gesprek met de bpo'er.")
    page.locator("#id_student_view").fill("Ik wil minder stress van huiswerk.")
    page.locator("#id_student_heard_on").fill(today.isoformat())
    page.get_by_role("button", name="OPP aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doelen van het OPP (versie 1)")
    browse.check("goals form")
    page.locator("#id_doelen-0-goal").fill(GOAL)
    page.locator("#id_doelen-0-who").fill("Mentor")
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.locator("#id_doelen-0-measure")).to_have_attribute("aria-invalid", "true")
    browse.check("goals form with an error")
    page.locator("#id_doelen-0-measure").fill("Zes van de acht weken ingevuld.")
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OPP van Sam Jansen")
    expect(main.get_by_role("table", name="Doelen van het OPP van Sam Jansen")).to_contain_text(
        GOAL
    )
    browse.check("plan page, draft")
    plan = DevelopmentPlan.objects.get(student=student)
    assert plan.case == case and plan.status == "draft"

    page.get_by_role("link", name="Overleg vastleggen").click()
    browse.check("consultation form")
    page.get_by_role("radio", name="Ouder/verzorger", exact=True).check()
    page.locator("#id_guardian").select_option(str(guardian.code))
    page.locator("#id_summary").fill("Plan besproken met moeder.")
    page.get_by_role("radio", name="Nee", exact=True).check()
    page.get_by_role("button", name="Overleg opslaan").click()
    expect(main).to_contain_text("Plan besproken met moeder.")
    browse.check("plan page, in consultation")
    log_out(browse)

    # --- The coordinator: refusal, consent, setting, evaluation -----------------------------
    log_in(browse, w.users["coordinator"])
    browse.goto(f"/opp/{plan.code}/")
    page.get_by_role("link", name="Instemming vastleggen").click()
    browse.check("consent form")
    expect(page.get_by_role("radio", name="Ouder/verzorger met gezag")).to_be_checked()
    page.locator("#id_guardian").select_option(str(guardian.code))
    page.get_by_role("radio", name="Instemming geweigerd").check()
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    browse.check("consent form, refusal without a reason")
    page.locator("#id_reason").fill(REASON)
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(main).to_contain_text("Instemming geweigerd – het OPP blijft in overleg.")
    browse.check("plan page, consent refused")
    browse.goto(f"/leerlingen/{student.code}/")
    expect(main).to_contain_text("Instemming geweigerd – het OPP blijft in overleg")
    browse.check("student page, consent refused")

    page.get_by_role("link", name="OPP versie 1 openen").click()
    page.get_by_role("link", name="Instemming vastleggen").click()
    page.locator("#id_guardian").select_option(str(guardian.code))
    page.get_by_role("radio", name="Instemming gegeven").check()
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(main).to_contain_text("Gegeven door Ria Jansen")
    browse.check("plan page, consent given")

    page.get_by_role("link", name="OPP vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OPP vaststellen")
    browse.check("set form")
    page.get_by_role("button", name="OPP vaststellen").click()
    expect(main).to_contain_text("(dag 10 na de startdatum)")
    browse.check("plan page, set")
    plan.refresh_from_db()
    assert plan.status == "set" and plan.set_on == today and not plan.set_late

    page.get_by_role("link", name="Evaluatie vastleggen").click()
    browse.check("evaluation form")
    page.get_by_role("radio", name="Deels behaald").check()
    page.locator("#id_conclusion").fill(CONCLUSION)
    page.get_by_role("radio", name="Plan ongewijzigd voortzetten").check()
    page.get_by_role("button", name="Evaluatie opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluatie van het OPP")
    expect(main).to_contain_text(CONCLUSION)
    browse.check("evaluation page")
    evaluation = plan.evaluations.get()
    assert evaluation.results.get().result == "partly" and evaluation.decision == "continue"

    page.get_by_role("link", name="OPP van Sam Jansen, versie 1").click()
    page.get_by_role("button", name="Nieuwe versie maken").click()
    expect(main).to_contain_text("Wijzigingen ten opzichte van versie 1")
    browse.check("plan page, version 2")
    browse.goto(f"/leerlingen/{student.code}/opp/")
    browse.check("the student's plans")
