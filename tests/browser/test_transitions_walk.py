"""Transitions in a real browser: the BPO records an outgoing VO → MBO transition of a student of
17 from the student page — sharing parts without consent is refused on the form — then with
the student's own consent, reads it back, changes it, and finds it in the school's list with
its filters. Every page state visited passes conftest.Browse.check (axe WCAG 2.1 AA, CSP,
console, stylesheets)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_walk import log_in
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.browser

NOTES = "Noor plant graag vooruit en wil een vaste contactpersoon op het mbo."


def test_record_an_outgoing_transition_with_consent(browse, browser_world):
    from passend.organisations.models import SchoolYear
    from passend.students.models import Student
    from passend.transitions.models import Transition

    w = browser_world
    page = browse.page
    main = page.get_by_role("main")
    year = SchoolYear.current()
    student = Student.objects.create(
        partnership=w.p,
        school=w.a,
        student_number="1002",
        first_name="Noor",
        last_name="Jansen",
        date_of_birth=years_ago(17),
        class_name="5A",
        year_of_study=5,
        enrolled_on=year.start,
    )
    today = timezone.localdate()

    log_in(browse, w.users["bpo"])
    browse.goto(f"/leerlingen/{student.code}/")
    expect(main).to_contain_text("Er zijn geen overstappen vastgelegd voor deze leerling.")
    browse.check("student page without transitions")
    page.get_by_role("link", name="Overstap vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overstap vastleggen")
    browse.check("new transition form")

    page.locator("#id_kind").select_option("vo_mbo")
    page.get_by_label("Uitgaand").check()
    page.locator("#id_date").fill(year.end.replace(day=31).isoformat())
    page.locator("#id_other_name").fill("Da Vinci College")
    page.get_by_label("Samenvatting van de ondersteuningsbehoefte").check()
    page.get_by_role("button", name="Overstap vastleggen").click()
    expect(main).to_contain_text("Er is geen toestemming vastgelegd")
    browse.check("transition form: sharing without consent refused")
    assert not Transition.objects.exists()

    page.get_by_label("Ja, toestemming gegeven").check()
    page.locator("#id_consent_given_by").select_option("student")
    page.locator("#id_consent_on").fill(today.isoformat())
    page.get_by_role("button", name="Overstap vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overstap Noor Jansen")
    expect(main).to_contain_text("Samenvatting van de ondersteuningsbehoefte")
    browse.check("transition page")
    transition = Transition.objects.get()
    assert transition.consent_given and transition.shared_parts == ["support_summary"]

    page.get_by_role("link", name="Overstap wijzigen").click()
    browse.check("transition edit form")
    page.locator("#id_handover_on").fill(today.isoformat())
    page.locator("#id_handover_with").fill("Loopbaanadviseur mbo")
    page.locator("#id_handover_notes").fill(NOTES)
    page.get_by_role("button", name="Overstap opslaan").click()
    expect(main).to_contain_text(NOTES)
    browse.check("transition page with the warm handover")

    page.get_by_role("link", name="Noor Jansen").click()
    expect(main).to_contain_text("VO → MBO, uitgaand")
    browse.check("student page with the transition")

    browse.goto(f"/school/{w.a.code}/overstappen/")
    expect(main).to_contain_text("Jansen, Noor")
    browse.check("school's transitions")
    page.locator("#id_kind").select_option("po_vo")
    page.get_by_role("button", name="Overstappen tonen").click()
    expect(main).to_contain_text("Geen overstappen gevonden.")
    browse.check("school's transitions, filtered")
