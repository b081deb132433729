"""Professional development in a real browser: a BPO registers for an event (and lands on the
waitlist of a full one), then the office records attendance and creates an event. Every page
state visited passes the checks of conftest.Browse.check (axe, CSP, console, stylesheets)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from passend.development.choices import EventKind, EventMode, RegistrationStatus
from passend.development.models import PdEvent, PdRegistration
from tests.browser.test_walk import log_in, log_out
from tests.fixtures_development import make_event

pytestmark = pytest.mark.browser


@pytest.fixture
def events(browser_world):
    """In P: an intervisie with a free seat, a full werkatelier (its one seat taken by the
    coordinator), an online webinar and a past netwerkcafé the BPO registered for."""
    w = browser_world
    open_event = make_event(w.p, days=7, capacity=3, title="Intervisie groep Dordrecht")
    full = make_event(
        w.p,
        days=9,
        capacity=1,
        title="Werkatelier handelingsgericht werken",
        kind=EventKind.WORKSHOP,
    )
    PdRegistration.objects.create(
        event=full, user=w.users["coordinator"], status=RegistrationStatus.REGISTERED
    )
    past = make_event(
        w.p,
        days=-2,
        capacity=20,
        title="Netwerkcafé voorjaar",
        kind=EventKind.NETWORK_CAFE,
        hours=Decimal("2.5"),
    )
    PdRegistration.objects.create(
        event=past, user=w.users["bpo"], status=RegistrationStatus.REGISTERED
    )
    make_event(
        w.p,
        days=12,
        title="Webinar passend onderwijs",
        kind=EventKind.WEBINAR,
        mode=EventMode.ONLINE,
        location="",
        online_url="https://webinar.example.org/basis",
    )
    return open_event, full, past


def test_bpo_registers_office_records_attendance(browse, browser_world, events):
    w = browser_world
    page = browse.page
    open_event, full, past = events
    listing = f"/partnerships/{w.p.code}/events/"

    log_in(browse, w.users["bpo"])
    browse.goto(listing)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bijeenkomsten deskundigheidsbevordering"
    )
    upcoming = page.get_by_role("table", name="Komende bijeenkomsten")
    expect(upcoming.get_by_role("row", name=re.compile("Werkatelier"))).to_contain_text("vol")
    browse.check("events list")

    upcoming.get_by_role("link", name="Intervisie groep Dordrecht").click()
    expect(page).to_have_url(browse.url(f"/events/{open_event.code}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Intervisie groep Dordrecht")
    browse.check("event page")

    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Je bent aangemeld voor „Intervisie groep Dordrecht”."
    )
    expect(page.locator("#my-registration")).to_have_text(
        "Je bent aangemeld voor deze bijeenkomst."
    )
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    browse.check("event page, registered")

    browse.goto(listing)
    row = page.get_by_role("row", name=re.compile("Intervisie groep Dordrecht"))
    expect(row).to_contain_text("Aangemeld")
    browse.check("events list with my registration")

    # The werkatelier is full: the BPO joins its waitlist.
    page.get_by_role("link", name="Werkatelier handelingsgericht werken").click()
    expect(page.get_by_role("main")).to_contain_text("Deze bijeenkomst is vol.")
    browse.check("full event page")
    page.get_by_role("button", name="Op de wachtlijst").click()
    expect(page.get_by_role("status")).to_contain_text("Je staat op de wachtlijst (plaats 1)")
    expect(page.locator("#my-registration")).to_contain_text(
        "Je staat op de wachtlijst (plaats 1)."
    )
    expect(page.get_by_role("button", name="Van de wachtlijst af")).to_be_visible()
    browse.check("full event page, waitlisted")

    browse.goto(listing)
    page.get_by_role("link", name="Mijn professionalisering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn professionalisering")
    mine = page.get_by_role("table", name="Komende bijeenkomsten waarvoor je bent aangemeld")
    expect(mine.get_by_role("row", name=re.compile("Intervisie"))).to_contain_text("Aangemeld")
    expect(mine.get_by_role("row", name=re.compile("Werkatelier"))).to_contain_text("Wachtlijst")
    browse.check("my development")

    page.get_by_role("link", name="Professionalisering toevoegen").click()
    browse.check("record form")
    page.get_by_label("Cursus of activiteit").fill("Training oplossingsgericht werken")
    page.get_by_label("Datum").fill("2025-10-01")
    page.get_by_label("Uren").fill("0")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-form-field--invalid")).to_have_count(1)
    browse.check("record form with an error")
    page.get_by_label("Uren").fill("6,5")
    page.get_by_role("button", name="Opslaan").click()
    records = page.get_by_role("table", name="Eigen professionalisering")
    expect(
        records.get_by_role("row", name=re.compile("Training oplossingsgericht"))
    ).to_contain_text("6,5")
    browse.check("my development with a record")
    log_out(browse)

    # The office records the BPO's attendance at the past netwerkcafé and adds an event.
    log_in(browse, w.users["office"])
    browse.goto(f"/events/{past.code}/")
    participants = page.get_by_role("table", name="Aangemeld")
    checkbox = participants.get_by_role("checkbox", name=re.compile(w.users["bpo"].full_name))
    expect(checkbox).not_to_be_checked()
    browse.check("past event for the office")
    checkbox.check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De aanwezigheid is opgeslagen.")
    expect(
        page.get_by_role("table", name="Aangemeld").get_by_role(
            "checkbox", name=re.compile(w.users["bpo"].full_name)
        )
    ).to_be_checked()
    browse.check("past event, attendance saved")
    assert PdRegistration.objects.get(event=past, user=w.users["bpo"]).attended is True

    browse.goto(listing)
    page.get_by_role("link", name="Nieuwe bijeenkomst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe bijeenkomst")
    browse.check("event form")
    page.get_by_label("Titel").fill("Webinar OPP")
    page.get_by_label("Soort bijeenkomst").select_option(EventKind.WEBINAR)
    page.get_by_label("Vorm").select_option(EventMode.ONLINE)
    page.get_by_label("Begint").fill("2030-03-05T15:30")
    page.get_by_label("Eindigt").fill("2030-03-05T15:00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-form-field--invalid")).to_have_count(2)  # end; missing link
    browse.check("event form with errors")
    page.get_by_label("Eindigt").fill("2030-03-05T17:00")
    page.get_by_label("Link naar de online bijeenkomst").fill("https://webinar.example.org/opp")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webinar OPP")
    browse.check("new event page")
    assert PdEvent.objects.get(title="Webinar OPP").mode == EventMode.ONLINE
    log_out(browse)
