"""Issue 6's acceptance scenario in a real browser: the BPO opens a case from the signal, records a
class observation and a handelingsadvies for the mentor; the coordinator records the guardian's
consent for youth care, shares the case with that domain, plans an SOT meeting with the partner,
discusses the case (minutes, decisions, an action point for the partner) and finalises it; the
partner sees the case, the recap and the action point; the coordinator withdraws the consent and
the partner loses the case, its part of the recap and the action point at once. Every page state
visited passes conftest.Browse.check (axe WCAG 2.1 AA, CSP, console, stylesheets)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_walk import log_in, log_out
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.browser

SIGNAL = "Sam trekt zich terug in de les en zegt weinig."
QUESTION = "Wat heeft Sam nodig om weer mee te doen?"
OBSERVATION = "Sam zit achterin en doet pas mee na persoonlijke uitnodiging."
ADVICE = "Geef Sam een vaste plek voorin en check bij de start van de les in."
MINUTES = "Besproken: thuissituatie en welbevinden in de klas."
DECISIONS = "Schoolmaatschappelijk werk gaat in gesprek met moeder."
ACTION = "Kennismakingsgesprek met moeder plannen"


def _set_up(w):
    """Sam (14) at school A with a mother with authority; A's SOT for this school year with the
    partner persona in the youth-care domain."""
    from passend.organisations.choices import Domain
    from passend.organisations.models import SchoolYear, SupportTeam, SupportTeamMember
    from passend.students.models import Guardian, Student

    year = SchoolYear.current()
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
        mentor=w.users["mentor"],
        enrolled_on=year.start,
    )
    guardian = Guardian.objects.create(
        student=student, name="Ria Jansen", relation="mother", has_authority=True
    )
    team = SupportTeam.objects.create(school=w.a, partnership=w.p, school_year=year)
    member = SupportTeamMember.objects.create(
        team=team,
        school=w.a,
        user=w.users["partner"],
        name=w.users["partner"].full_name,
        function="Schoolmaatschappelijk werker",
        domain=Domain.YOUTH_CARE,
    )
    return student, guardian, member


def test_signal_to_sot_recap_and_consent_withdrawal(browse, browser_world):
    from passend.caseload.models import (
        ActionPoint,
        AgendaItem,
        CaseShare,
        Consent,
        Meeting,
        Observation,
        Recommendation,
        SupportCase,
    )

    w = browser_world
    page = browse.page
    main = page.get_by_role("main")
    coordinator, bpo, partner = (w.users[r] for r in ("coordinator", "bpo", "partner"))
    student, guardian, member = _set_up(w)
    today = timezone.localdate()

    # --- The BPO: signal, class observation, handelingsadvies for the mentor ------------------
    log_in(browse, bpo)
    browse.goto(f"/school/{w.a.code}/leerlingen/")
    browse.check("student list")
    page.get_by_role("link", name="Jansen, Sam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Jansen")
    browse.check("student page, no case yet")
    page.get_by_role("link", name="Nieuwe casus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe casus")
    browse.check("new case form")

    # Empty signal: the error is shown and linked to its input.
    page.get_by_role("button", name="Casus aanmaken").click()
    expect(page.locator("#id_signal")).to_have_attribute("aria-invalid", "true")
    browse.check("new case form with an error")
    page.locator("#id_signal_source").select_option("mentor")
    page.locator("#id_signalled_by_name").fill("Mentor 2B")
    page.locator("#id_signal").fill(SIGNAL)
    page.locator("#id_question").fill(QUESTION)
    expect(page.locator("#id_bpo")).to_have_value(str(bpo.code))
    page.get_by_role("button", name="Casus aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus Sam Jansen")
    expect(main).to_contain_text(SIGNAL)
    browse.check("case page, signal")
    case = SupportCase.objects.get(student=student)
    assert case.status == "signal" and case.bpo == bpo and case.signal == SIGNAL

    page.get_by_role("link", name="Klassenobservatie vastleggen").click()
    browse.check("observation form")
    page.locator("#id_lesson").fill("Wiskunde")
    page.locator("#id_teacher_name").fill("Dhr. De Vries")
    page.locator("#id_report").fill(OBSERVATION)
    page.get_by_role("button", name="Observatie opslaan").click()
    expect(main).to_contain_text(OBSERVATION)
    browse.check("case page with the observation")

    page.get_by_role("link", name="Handelingsadvies vastleggen").click()
    browse.check("recommendation form")
    page.locator("#id_audience").select_option("mentor")
    page.locator("#id_text").fill(ADVICE)
    page.get_by_role("button", name="Advies opslaan").click()
    timeline = page.locator("ol.utrecht-ordered-list")
    expect(timeline).to_contain_text("Klassenobservatie – Wiskunde")
    expect(timeline).to_contain_text(OBSERVATION)
    expect(timeline).to_contain_text("Handelingsadvies voor Mentor")
    expect(timeline).to_contain_text(ADVICE)
    browse.check("case page with observation and recommendation")
    assert Observation.objects.get(case=case).report == OBSERVATION
    recommendation = Recommendation.objects.get(case=case)
    assert recommendation.audience == "mentor" and recommendation.text == ADVICE
    log_out(browse)

    # --- The coordinator: consent, sharing, the SOT meeting ---------------------------------
    log_in(browse, coordinator)
    browse.goto(f"/leerlingen/{student.code}/")
    cases = main.get_by_role("table", name="Ondersteuningsvragen van deze leerling")
    expect(cases).to_contain_text("Signalering")
    browse.check("student page with the case (coordinator)")
    page.get_by_role("link", name="Toestemming vastleggen").click()
    browse.check("consent form")
    expect(page.get_by_label("Ouder/verzorger met gezag", exact=True)).to_be_checked()
    page.locator("#id_guardian").select_option(str(guardian.code))
    page.locator("#id_domain").select_option("youth_care")
    page.locator("#id_purpose").fill("Bespreking in het SOT")
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Jansen")
    consents = page.locator("section[aria-labelledby=consents-heading]")
    expect(consents).to_contain_text("Jeugdhulp (SMW/wijkteam)")
    expect(consents).to_contain_text("Ria Jansen")
    browse.check("student page with the consent")
    consent = Consent.objects.get(student=student)
    assert consent.domain == "youth_care" and consent.guardian == guardian
    assert consent.given_on == today and consent.withdrawn_on is None

    cases.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus Sam Jansen")
    browse.check("case page (coordinator)")
    page.get_by_role("link", name="Delen beheren").click()
    browse.check("share page, not shared yet")
    page.locator("#id_domain").select_option("youth_care")
    page.get_by_role("button", name="Casus delen").click()
    expect(page.locator("main table")).to_contain_text("Geldige toestemming:")
    browse.check("share page, shared with youth care under consent")
    assert CaseShare.objects.filter(case=case, domain="youth_care", ended_on=None).exists()

    browse.goto(f"/school/{w.a.code}/overleggen/")
    browse.check("meeting list, none yet")
    page.get_by_role("link", name="Overleg plannen").click()
    browse.check("meeting form")
    page.locator("#id_location").fill("Kamer 12")
    page.locator("#id_starts_at").fill("14:00")
    page.locator("#id_chair").select_option(str(coordinator.code))
    for key in (f"user:{coordinator.pk}", f"user:{bpo.pk}", f"member:{member.pk}"):
        page.locator(f"input[name=attendees][value='{key}']").check()
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SOT-overleg")
    browse.check("meeting page, empty agenda")
    meeting = Meeting.objects.get(school=w.a)
    assert set(meeting.attendees.values_list("user_id", flat=True)) == {
        coordinator.pk,
        bpo.pk,
        partner.pk,
    }

    page.locator("#id_case").select_option(str(case.code))
    page.get_by_role("button", name="Op de agenda zetten").click()
    expect(main.get_by_role("heading", level=3)).to_have_text("1. Sam Jansen (2B)")
    browse.check("meeting page with the case on the agenda")

    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    browse.check("meeting page, presence saved")

    # The student's name is a visually hidden part of the link's name; Chromium joins the
    # hidden (absolutely positioned) span with a space: "vastleggen : Sam Jansen".
    page.get_by_role(
        "link", name=re.compile(r"^Verslag en actiepunten vastleggen\s?: Sam Jansen$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bespreking van Sam Jansen")
    browse.check("agenda item form")
    due = today + datetime.timedelta(days=14)
    page.locator("#id_minutes").fill(MINUTES)
    page.locator("#id_decisions").fill(DECISIONS)
    page.locator("#id_actions-0-description").fill(ACTION)
    page.locator("#id_actions-0-owner").select_option(str(partner.code))
    # Without a date the whole item is refused (all or nothing).
    page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Actiepunt 1: vul een datum in.")
    browse.check("agenda item form with an error")
    assert not ActionPoint.objects.exists()
    page.locator("#id_actions-0-due_on").fill(due.isoformat())
    page.get_by_role("button", name="Verslag opslaan").click()
    expect(main).to_contain_text(DECISIONS)
    browse.check("meeting page with minutes and an action point")
    item = AgendaItem.objects.get(meeting=meeting, case=case)
    assert item.minutes == MINUTES and item.decisions == DECISIONS
    point = ActionPoint.objects.get(item=item)
    assert point.owner == partner and point.due_on == due and point.description == ACTION

    page.get_by_role("button", name="Overleg afronden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verslag SOT-overleg")
    expect(main.get_by_role("heading", level=3)).to_have_text("Sam Jansen (2B)")
    expect(main).to_contain_text(DECISIONS)
    expect(main.get_by_role("table")).to_contain_text(ACTION)
    expect(main.get_by_role("table")).to_contain_text(partner.full_name)
    browse.check("recap (coordinator)")
    meeting.refresh_from_db()
    assert meeting.finalised_at is not None and meeting.finalised_by == coordinator
    log_out(browse)

    # --- The partner: the case, the recap and the action point -------------------------------
    log_in(browse, partner)
    page.get_by_role("link", name="Mijn casussen").click()
    expect(main.get_by_role("link", name=re.compile("^Sam Jansen"))).to_be_visible()
    browse.check("my cases (partner)")
    main.get_by_role("link", name=re.compile("^Sam Jansen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus Sam Jansen")
    expect(main).to_contain_text(SIGNAL)
    expect(main).to_contain_text(DECISIONS)  # the timeline has the meeting's decisions
    expect(main.get_by_role("link", name="Casus bewerken")).to_have_count(0)
    browse.check("case page (partner)")
    response = browse.goto(f"/casussen/{case.code}/")
    assert response.status == 200

    response = browse.goto(f"/overleggen/{meeting.code}/verslag/")
    assert response.status == 200
    expect(main.get_by_role("heading", level=3)).to_have_text("Sam Jansen (2B)")
    expect(main).to_contain_text(DECISIONS)
    expect(main).to_contain_text(ACTION)
    browse.check("recap (partner)")

    browse.goto("/mijn-overleggen/")
    actions = main.get_by_role("table").first
    expect(actions).to_contain_text(ACTION)
    expect(actions).to_contain_text("Sam Jansen")
    browse.check("my meetings and action points (partner)")
    log_out(browse)

    # --- The coordinator withdraws the consent -----------------------------------------------
    log_in(browse, coordinator)
    browse.goto(f"/leerlingen/{student.code}/")
    browse.check("student page before withdrawing")
    consents = page.locator("section[aria-labelledby=consents-heading]")
    consents.get_by_role("button", name=re.compile("^Intrekken")).click()
    expect(page.get_by_role("status")).to_contain_text("De toestemming is ingetrokken.")
    expect(consents).to_contain_text("al ingetrokken")
    browse.check("student page, consent withdrawn")
    consent.refresh_from_db()
    assert consent.withdrawn_on == today
    log_out(browse)

    # --- The partner has lost access ----------------------------------------------------------
    log_in(browse, partner)
    response = browse.goto(f"/casussen/{case.code}/")
    assert response.status == 404
    browse.check("case page (partner, after withdrawal)", expect_status=404)

    response = browse.goto(f"/overleggen/{meeting.code}/verslag/")
    assert response.status == 200
    expect(main).not_to_contain_text("Sam Jansen")
    expect(main).not_to_contain_text(DECISIONS)
    expect(main).to_contain_text("Er zijn geen casussen besproken die u mag inzien.")
    browse.check("recap (partner, after withdrawal)")

    browse.goto("/mijn-casussen/")
    expect(main).not_to_contain_text("Sam Jansen")
    expect(main).to_contain_text("0 casussen")
    browse.check("my cases (partner, after withdrawal)")

    browse.goto("/mijn-overleggen/")
    expect(main).not_to_contain_text(ACTION)
    expect(main).to_contain_text("U heeft geen open actiepunten.")
    browse.check("my meetings (partner, after withdrawal)")
    log_out(browse)

    # The data stays with the school; only the partner's access went.
    assert AgendaItem.objects.get(pk=item.pk).decisions == DECISIONS
    assert ActionPoint.objects.filter(pk=point.pk, done_on=None).exists()
