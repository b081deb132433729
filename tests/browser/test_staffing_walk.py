"""The appointment of a new BPO in a real browser (seed 000 §5): school A's coordinator starts the
procedure and ticks the school's steps, the consultant ticks the introduction meeting, the office
ticks its two steps, the coordinator completes it, and the new BPO appears in the SWV directory
with the procedure's hours. Every page state passes conftest.Browse.check (axe, CSP, console,
stylesheets)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.organisations.models import SchoolYear
from passend.staffing.choices import ProcedureStatus
from passend.staffing.models import AppointmentProcedure, BpoAssignment
from tests.browser.test_walk import log_in, log_out

pytestmark = pytest.mark.browser


def _tick(page, number: int) -> None:
    page.get_by_role("button", name=f"Stap {number} afvinken").click()
    expect(page.get_by_role("button", name=f"Stap {number} bijwerken")).to_be_visible()


def test_appointment_procedure_to_directory(browse, browser_world):
    w = browser_world
    page = browse.page
    year = SchoolYear.current()
    planned_start = max(year.start, timezone.localdate())
    meeting = timezone.localdate() + timedelta(days=7)

    # The coordinator starts the procedure from the school's list of procedures.
    log_in(browse, w.users["coordinator"])
    browse.goto(f"/schools/{w.a.code}/appointments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benoemingsprocedures bpo'er")
    browse.check("school's procedures, none yet")
    page.get_by_role("link", name="Nieuwe procedure starten").click()
    expect(page).to_have_url(browse.url(f"/schools/{w.a.code}/appointments/new/"))
    browse.check("start form")

    # Submitted empty first: errors linked to their inputs.
    page.get_by_role("button", name="Procedure starten").click()
    expect(page.locator("#id_candidate_name_error")).to_be_visible()
    expect(page.locator("#id_candidate_name")).to_have_attribute("aria-invalid", "true")
    browse.check("start form with errors")

    page.get_by_label("Naam kandidaat").fill("Noor Nieuw")
    page.get_by_label("E-mailadres kandidaat").fill("noor.nieuw@example.org")
    page.get_by_label("Beoogde uren per week").fill("12,5")
    page.get_by_label("Dienstverband").select_option("hired")
    page.get_by_label("Schooljaar").select_option(year.name)
    page.get_by_label("Beoogde begindatum").fill(planned_start.isoformat())
    page.get_by_role("button", name="Procedure starten").click()
    expect(page).to_have_url(re.compile(r"/appointments/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Benoemingsprocedure Noor Nieuw")
    expect(page.locator("#procedure-status")).to_contain_text("0 van 5 stappen afgevinkt")
    browse.check("procedure, just started")
    detail = page.url.removeprefix(browse.base_url)

    # Her steps: the tasks agreed, and the qualifications checked (a note is required).
    _tick(page, 1)
    page.get_by_role("button", name="Stap 2 afvinken").click()
    expect(page.locator("#id_qualifications_checked_note_error")).to_be_visible()
    browse.check("procedure, qualifications step without a note")
    page.locator("#id_qualifications_checked_note").fill(
        "Lerarenopleiding VO en Master SEN gezien: voldoet aan aspect 13."
    )
    _tick(page, 2)
    expect(page.locator("#procedure-status")).to_contain_text("2 van 5 stappen afgevinkt")
    # The consultant's and office's steps have no buttons for her.
    expect(page.get_by_role("button", name="Stap 3 afvinken")).to_be_visible()  # she may, too
    expect(page.get_by_role("button", name="Procedure afronden")).to_have_count(0)
    browse.check("procedure, the school's steps done")
    log_out(browse)

    # The consultant ticks the introduction meeting, with its date.
    log_in(browse, w.users["consultant"])
    browse.goto(detail)
    expect(page.get_by_role("button", name="Stap 1 bijwerken")).to_have_count(0)
    expect(page.get_by_role("button", name="Stap 4 afvinken")).to_have_count(0)
    browse.check("procedure for the consultant")
    page.get_by_label("Datum kennismaking").fill(meeting.isoformat())
    _tick(page, 3)
    expect(page.locator("#step-introduction_meeting")).to_contain_text("Kennismaking op")
    browse.check("procedure, introduction ticked")
    log_out(browse)

    # The office ticks its two steps.
    log_in(browse, w.users["office"])
    browse.goto(detail)
    expect(page.get_by_role("button", name="Stap 3 bijwerken")).to_have_count(0)
    browse.check("procedure for the office")
    _tick(page, 4)
    _tick(page, 5)
    expect(page.locator("#procedure-status")).to_contain_text("5 van 5 stappen afgevinkt")
    browse.check("procedure, every step ticked")
    log_out(browse)

    # The coordinator completes it.
    log_in(browse, w.users["coordinator"])
    browse.goto(detail)
    browse.check("procedure ready to complete")
    page.get_by_role("button", name="Procedure afronden").click()
    expect(page.get_by_role("main")).to_contain_text("De procedure is afgerond")
    expect(page.locator("#procedure-status")).to_contain_text("Afgerond")
    browse.check("procedure, completed")

    procedure = AppointmentProcedure.objects.get(school=w.a)
    assert procedure.status == ProcedureStatus.COMPLETED
    person = User.objects.get(email="noor.nieuw@example.org")
    assert Membership.objects.filter(user=person, role=Role.BPO, school=w.a).exists()
    assignment = BpoAssignment.objects.get(procedure=procedure)
    assert str(assignment.hours_per_week) in {"12.5", "12.50"} and assignment.bpo == person

    # The directory lists the new BPO with the hours; the search narrows it down (htmx).
    page.get_by_role("link", name="Naar het overzicht van coördinatoren en bpo'ers").click()
    expect(page).to_have_url(browse.url(f"/partnerships/{w.p.code}/directory/"))
    table = page.locator("#results table")
    row = table.get_by_role("row").filter(has_text="Noor Nieuw")
    expect(row).to_contain_text("School Aa")
    expect(row).to_contain_text("noor.nieuw@example.org")
    expect(row).to_contain_text("12,5")
    expect(row).to_contain_text("Bpo'er")
    browse.check("directory for the coordinator")
    page.get_by_role("searchbox").fill("Noor")
    expect(page).to_have_url(re.compile(r"/directory/\?q=Noor$"))
    expect(table.get_by_role("row")).to_have_count(2)  # header + Noor
    browse.check("directory, searched")
    log_out(browse)

    # The office sees it too, and may correct the phone number.
    log_in(browse, w.users["office"])
    browse.goto(f"/partnerships/{w.p.code}/directory/")
    browse.check("directory for the office")
    page.get_by_role("link", name="Wijzig gegevens van Noor Nieuw").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gegevens van Noor Nieuw")
    browse.check("contact form")
    page.get_by_label("Telefoonnummer").fill("06 1234 5678")
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(browse.url(f"/partnerships/{w.p.code}/directory/"))
    expect(
        page.locator("#results").get_by_role("row").filter(has_text="Noor Nieuw")
    ).to_contain_text("06 1234 5678")
    browse.check("directory after the contact edit")
    log_out(browse)
