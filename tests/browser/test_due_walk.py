"""The due list in a real browser: school A's coordinator sees the start page's "Te doen"
panel (werkafspraken missing for the BPO, overdue; a consent expiring soon), opens the due
page with its two groups, follows an item to the student, and turns the weekly e-mail on.
Every page state visited passes conftest.Browse.check (axe WCAG 2.1 AA, CSP, console,
stylesheets)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_walk import log_in
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.browser

CONSENT_ITEM = "Toestemming Jeugdhulp (SMW/wijkteam) van Sam Jansen verloopt"


def test_start_panel_due_page_and_digest(browse, browser_world):
    from passend.caseload.models import Consent
    from passend.organisations.models import SchoolYear
    from passend.students.models import Guardian, Student

    w = browser_world
    page = browse.page
    main = page.get_by_role("main")
    today = timezone.localdate()
    student = Student.objects.create(
        partnership=w.p,
        school=w.a,
        student_number="1001",
        first_name="Sam",
        last_name="Jansen",
        date_of_birth=years_ago(14),
        class_name="2B",
        enrolled_on=SchoolYear.current().start,
    )
    mother = Guardian.objects.create(student=student, name="Ria Jansen", relation="mother")
    Consent.objects.create(
        partnership=w.p,
        school=w.a,
        student=student,
        given_by="guardian",
        guardian=mother,
        domain="youth_care",
        purpose="Bespreking in het SOT",
        given_on=today - datetime.timedelta(days=60),
        expires_on=today + datetime.timedelta(days=9),
    )
    coordinator = w.users["coordinator"]

    log_in(browse, coordinator)
    panel = page.locator("section", has=page.get_by_role("heading", name="Te doen"))
    expect(panel).to_contain_text("Werkafspraken ontbreken")
    expect(panel).to_contain_text(CONSENT_ITEM)
    browse.check("start page with the due panel")

    page.get_by_role("link", name="Alles wat te doen is (2)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Te doen")
    expect(page.get_by_role("heading", name="Te laat (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Binnenkort (1)")).to_be_visible()
    browse.check("due page")

    page.get_by_label("Stuur mij elke week een e-mail met wat er te doen is").check()
    page.get_by_role("button", name="Keuze opslaan").click()
    expect(main).to_contain_text("Je krijgt voortaan elke week een e-mail")
    browse.check("due page after turning the e-mail on")
    coordinator.refresh_from_db()
    assert coordinator.due_digest is True

    page.get_by_role("link", name=CONSENT_ITEM).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Jansen")
    browse.check("student page from the due page")
