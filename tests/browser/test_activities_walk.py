"""The activity log in a real browser: a BPO logs two activities in a row with the quick form,
fills in part of a week with the bulk grid, and opens the week view and the import page. Every
page state visited passes the checks of conftest.Browse.check (axe, CSP, console, stylesheets)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from passend.activities.models import Activity
from tests.browser.test_walk import log_in

pytestmark = pytest.mark.browser


def test_bpo_logs_activities(browse, browser_world):
    w = browser_world
    page = browse.page
    bpo = w.users["bpo"]

    log_in(browse, bpo)
    browse.goto("/me/activities/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activiteit vastleggen")
    browse.check("quick entry form")
    expect(page.get_by_label("Uren")).to_be_focused()
    page.get_by_label("Uren").fill("1,5")
    page.get_by_label("Taakgebied").select_option(label="Ouders")
    page.get_by_role("button", name="Vastleggen en volgende").click()
    expect(page.get_by_role("status")).to_contain_text("Vastgelegd: 1,5 uur ouders")
    browse.check("quick entry form after saving")
    # the area is remembered: only the hours to type for the next one
    expect(page.get_by_label("Taakgebied")).to_have_value("parents")
    page.get_by_label("Uren").fill("0,5")
    page.get_by_label("Uren").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Vastgelegd: 0,5 uur ouders")
    assert Activity.objects.filter(bpo=bpo).count() == 2

    browse.goto("/me/activities/week/")
    browse.check("week grid")
    page.locator("#id_r-0-hours").fill("2")
    page.locator("#id_r-1-hours").fill("13")
    page.get_by_role("button", name="Alles opslaan").click()
    expect(page.locator("#regel-2")).to_contain_text("tussen 0,25 en 12")
    browse.check("week grid with an error on line 2")
    assert Activity.objects.filter(bpo=bpo).count() == 2
    page.locator("#id_r-1-hours").fill("1")
    page.get_by_role("button", name="Alles opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("2 activiteiten vastgelegd")
    browse.check("week view")
    total = sum(a.hours for a in Activity.objects.filter(bpo=bpo))
    assert total == Decimal("5")

    browse.goto("/me/activities/import/")
    browse.check("import page")
