"""Issue 7's application scenario in a real browser: the BPO drafts a TLV VSO application from a
case, adds two expert advices, records the guardian's consent for some parts of the dossier and
submits; the coordinator sees it in the school's list; the SWV consultant opens it from the SWV's
list (only the consented parts), takes it under review and grants it with category M (after
first forgetting the category); the partnership_admin opens the kinds page. Every page state
visited passes conftest.Browse.check (axe WCAG 2.1 AA, CSP, console, stylesheets)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_walk import log_in, log_out
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.browser

QUESTION = "Welke onderwijsplek past bij Sam?"
TRIED = "Een jaar lang een vaste plek, check-in en een rustplek."
OBSERVATION = "Sam zit achterin en doet pas mee na persoonlijke uitnodiging."
CONTACT_WITH = "Huisarts van Sam"
ADVICE_1 = "Plaatsing in het VSO is het best passend."
ADVICE_2 = "Vanuit de behandeling sluit ik mij hierbij aan."


def _set_up(w):
    """Sam (14) at school A with a mother with authority; a case in guidance with a class
    observation and a contact."""
    from passend.caseload.models import Contact, Observation, SupportCase
    from passend.organisations.models import SchoolYear
    from passend.students.models import Guardian, Student

    today = timezone.localdate()
    student = Student.objects.create(
        partnership=w.p,
        school=w.a,
        student_number="1001",
        first_name="Sam",
        last_name="Jansen",
        date_of_birth=years_ago(14),
        class_name="2B",
        year_of_study=2,
        enrolled_on=SchoolYear.current().start,
    )
    guardian = Guardian.objects.create(
        student=student, name="Ria Jansen", relation="mother", has_authority=True
    )
    case = SupportCase.objects.create(
        partnership=w.p,
        school=w.a,
        student=student,
        status="guidance",
        signal_source="mentor",
        signalled_on=today,
        signal="Trekt zich terug.",
        question=QUESTION,
        bpo=w.users["bpo"],
    )
    observation = Observation.objects.create(
        case=case, date=today, lesson="Wiskunde", report=OBSERVATION
    )
    Contact.objects.create(case=case, date=today, kind="external", with_whom=CONTACT_WITH)
    return student, guardian, case, observation


def _advice(browse, profession: str, name: str, text: str) -> None:
    page = browse.page
    page.get_by_role("link", name="Deskundigenadvies vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deskundigenadvies vastleggen")
    page.locator("#id_profession").select_option(profession)
    page.locator("#id_name").fill(name)
    page.locator("#id_given_on").fill(timezone.localdate().isoformat())
    page.locator("#id_advice").fill(text)
    page.locator("#id_independent").check()
    page.get_by_role("button", name="Advies opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het deskundigenadvies is vastgelegd.")


def test_tlv_application_from_draft_to_granted(browse, browser_world):
    from passend.applications.models import Application, DossierConsent

    w = browser_world
    page = browse.page
    main = page.get_by_role("main")
    student, guardian, case, observation = _set_up(w)
    today = timezone.localdate()

    # --- The BPO drafts the application --------------------------------------------------------
    log_in(browse, w.users["bpo"])
    browse.goto(f"/casussen/{case.code}/")
    browse.check("case page")
    page.get_by_role("link", name="Aanvraag bij het SWV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe aanvraag bij het SWV")
    browse.check("new application form")
    page.get_by_role("button", name="Aanvraag aanmaken").click()
    expect(main.get_by_role("group", name="Soort aanvraag")).to_contain_text(
        "Dit veld is verplicht."
    )
    browse.check("new application form with an error")
    page.get_by_label("TLV voortgezet speciaal onderwijs (VSO)").check()
    page.get_by_role("button", name="Aanvraag aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier bewerken")
    expect(page.locator("#id_question")).to_have_value(QUESTION)
    browse.check("dossier form")
    page.locator("#id_tried").fill(TRIED)
    page.locator(f"input[name=observations][value='{observation.code}']").check()
    page.locator("#id_mdo_on").fill(today.isoformat())
    page.get_by_role("button", name="Dossier opslaan").click()
    heading = "TLV voortgezet speciaal onderwijs (VSO) – Sam Jansen"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(main).to_contain_text("Leg eerst de toestemming vast")
    expect(main).to_contain_text("twee deskundigen")
    browse.check("application page, draft")
    application = Application.objects.get(case=case)
    assert application.tried == TRIED and list(application.observations.all()) == [observation]

    # Submitting too early says what is missing.
    page.get_by_role("button", name="Indienen bij het SWV").click()
    expect(page.get_by_role("status")).to_contain_text("Leg eerst de toestemming vast")
    browse.check("application page, refused submission")

    _advice(browse, "orthopedagogue", "Drs. O. Pedagoog", ADVICE_1)
    browse.check("application page with one advice")
    _advice(browse, "child_psychiatrist", "Dr. K. Psychiater", ADVICE_2)
    browse.check("application page with two advices")

    page.get_by_role("link", name="Toestemming dossier vastleggen").click()
    expect(page.get_by_label("Ouder/verzorger met gezag", exact=True)).to_be_checked()
    browse.check("dossier consent form")
    page.locator("#id_guardian").select_option(str(guardian.code))
    for part in ("question", "tried", "observations"):
        page.locator(f"input[name=parts][value={part}]").check()
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(main).to_contain_text("Ria Jansen")
    browse.check("application page with the consent")
    consent = DossierConsent.objects.get(application=application)
    assert consent.parts == ["question", "tried", "observations"]

    page.get_by_role("button", name="Indienen bij het SWV").click()
    expect(page.get_by_role("status")).to_contain_text("De aanvraag is ingediend bij het SWV.")
    expect(main).to_contain_text("Ingediend bij het SWV")
    browse.check("application page, submitted")
    application.refresh_from_db()
    assert application.status == "submitted" and application.submitted_on == today
    log_out(browse)

    # --- The coordinator sees it in the school's list ----------------------------------------
    log_in(browse, w.users["coordinator"])
    browse.goto(f"/schools/{w.a.code}/")
    page.get_by_role("link", name="Aanvragen arrangement en TLV").click()
    expect(main.get_by_role("table")).to_contain_text("Ingediend bij het SWV")
    browse.check("school's application list")
    log_out(browse)

    # --- The SWV consultant grants it with category M -----------------------------------------
    log_in(browse, w.users["consultant"])
    browse.goto(f"/partnerships/{w.p.code}/")
    page.get_by_role("link", name="Aanvragen arrangement en TLV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen bij het SWV")
    browse.check("SWV's application list")
    main.get_by_role("link", name=re.compile("^Sam Jansen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(main).to_contain_text(TRIED)
    expect(main).to_contain_text(OBSERVATION)
    expect(main).to_contain_text(ADVICE_1)
    expect(main).to_contain_text(ADVICE_2)
    expect(main).not_to_contain_text(CONTACT_WITH)  # no consent for the contacts
    browse.check("application page (consultant)")
    page.get_by_role("button", name="In behandeling nemen").click()
    expect(main).to_contain_text("In behandeling bij het SWV")
    browse.check("application page, under review")
    page.get_by_role("link", name="Besluit vastleggen").click()
    browse.check("decision form")
    page.get_by_label("Toegekend", exact=True).check()
    page.locator("#id_decision_number").fill("TLV-2026-0012")
    page.locator("#id_starts_on").fill(today.isoformat())
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.locator("#id_category")).to_have_attribute("aria-invalid", "true")
    browse.check("decision form with an error")
    page.locator("#id_category").select_option("M")
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het besluit is vastgelegd: toegekend.")
    expect(main).to_contain_text("Midden (M)")
    expect(main).to_contain_text("31 juli")
    browse.check("application page, granted")
    application.refresh_from_db()
    assert application.status == "granted" and application.category == "M"
    assert (application.ends_on.month, application.ends_on.day) == (7, 31)
    log_out(browse)

    # --- The partnership_admin: the kinds of application ----------------------------------------
    log_in(browse, w.users["partnership_admin"])
    browse.goto(f"/swv/{w.p.code}/aanvraagsoorten/")
    expect(page.get_by_label("Leerwegondersteunend onderwijs (LWOO)")).not_to_be_checked()
    browse.check("kinds of application")
