"""The self-assessment in a real browser: a coordinator fills in every aspect through the inline
(htmx) forms and submits; the consultant comments on an aspect and marks it reviewed. Every page
state visited passes the checks of conftest.Browse.check (axe, CSP, console, stylesheets)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passend.organisations.models import SchoolYear
from passend.quality.choices import AssessmentStatus
from passend.quality.frameworkfile import parse
from passend.quality.management.commands import load_framework_path
from passend.quality.models import QualityAssessment
from passend.quality.services import create_framework_from_file, update_framework
from tests.browser.test_walk import log_in, log_out

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def published(browser_world):
    """P's framework for the current year, published, due in ten days."""
    w = browser_world
    admin = w.users["partnership_admin"]
    framework = create_framework_from_file(
        parse(load_framework_path().read_bytes()),
        partnership=w.p,
        school_year=SchoolYear.current(),
        acting_user=admin,
        publish=True,
    )
    due = timezone.localdate() + timedelta(days=10)
    return update_framework(framework, acting_user=admin, assessment_due=due)


def test_coordinator_fills_in_and_submits_consultant_reviews(browse, browser_world, published):
    w = browser_world
    page = browse.page
    year = published.school_year.name

    # The start page says the assessment is due; its link leads to the school's assessments.
    log_in(browse, w.users["coordinator"])
    notice = page.get_by_role("link", name=f"Zelfevaluatie kwaliteitskader {year} nog niet")
    expect(notice).to_be_visible()
    browse.check("start page with the due notice")
    notice.click()
    expect(page).to_have_url(browse.url(f"/schools/{w.a.code}/assessments/"))
    browse.check("school's assessments")

    page.get_by_role("button", name=f"Zelfevaluatie {year} starten").click()
    expect(page).to_have_url(re.compile(r"/assessments/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Zelfevaluatie kwaliteitskader {year}"
    )
    browse.check("assessment, just started")

    assessment = QualityAssessment.objects.get(school=w.a)
    ratings = list(assessment.ratings.select_related("aspect").order_by("aspect__sort_key"))
    detail = f"/assessments/{assessment.code}/"
    # The form also works as a page of its own (the fallback without JavaScript).
    browse.goto(f"{detail}ratings/{ratings[0].code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aspect 1 beoordelen")
    browse.check("rating form as a page")
    browse.goto(detail)
    for index, rating in enumerate(ratings):
        number = rating.aspect.number
        page.get_by_role("link", name=f"Aspect {number} invullen", exact=True).click()
        form = page.locator(f"form#r-{rating.code}")
        expect(form).to_be_visible()
        expect(form.get_by_role("heading", name=f"Aspect {number}")).to_be_focused()
        if index == 0:
            browse.check("assessment with an inline form")
            form.get_by_label("Bewijsstuk").set_input_files(
                files=[{"name": "werkafspraken.pdf", "mimeType": "application/pdf", "buffer": PDF}]
            )
        value = "partly" if number == "10" else "meets"
        form.locator(f"input[type=radio][value={value}]").check()
        form.get_by_label("Onderbouwing").fill(f"Besproken in het SOT (aspect {number}).")
        form.get_by_role("button", name=f"Aspect {number} opslaan").click()
        row = page.locator(f"div#r-{rating.code}")
        expect(row).to_contain_text(f"Besproken in het SOT (aspect {number}).")
        if index == 0:
            expect(row.get_by_role("link", name="werkafspraken.pdf")).to_be_visible()
            browse.check("assessment after an inline save")
    expect(page.locator("#assessment-progress")).to_contain_text(
        f"{len(ratings)} van {len(ratings)} aspecten beoordeeld."
    )
    browse.check("assessment, every aspect rated")

    page.get_by_role("button", name="Zelfevaluatie indienen").click()
    expect(page.get_by_role("main")).to_contain_text("ingediend bij de consulent")
    expect(page.locator("#assessment-status")).to_contain_text("Status: Ingediend")
    expect(page.get_by_role("link", name=re.compile(r"^Aspect \d+ wijzigen$"))).to_have_count(0)
    browse.check("assessment, submitted")
    log_out(browse)

    # The consultant finds it on the start page, comments on aspect 10 and closes the review.
    log_in(browse, w.users["consultant"])
    waiting = page.locator("section[aria-labelledby=due-title]").get_by_role(
        "link", name=re.compile(r"^Zelfevaluatie kwaliteitskader .* beoordelen – School Aa$")
    )
    expect(waiting).to_be_visible()
    browse.check("consultant's start page")
    waiting.click()
    expect(page.locator("#assessment-status")).to_contain_text("Status: Ingediend")
    browse.check("assessment for the consultant")

    aspect_10 = next(r for r in ratings if r.aspect.number == "10")
    browse.goto(f"{detail}ratings/{aspect_10.code}/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reactie op aspect 10")
    browse.check("review form as a page")
    browse.goto(detail)
    page.get_by_role("link", name="Reageren op aspect 10", exact=True).click()
    form = page.locator(f"form#r-{aspect_10.code}")
    form.get_by_label("Reactie consulent").fill("Plan de evaluatie van de werkafspraken.")
    browse.check("assessment with the consultant's inline form")
    form.get_by_role("button", name="Reactie op aspect 10 opslaan").click()
    expect(page.locator(f"div#r-{aspect_10.code}")).to_contain_text(
        "Plan de evaluatie van de werkafspraken."
    )

    page.get_by_label("Algemene reactie").fill("Helder onderbouwd.")
    page.get_by_role("button", name="Markeren als beoordeeld").click()
    expect(page.locator("#assessment-status")).to_contain_text("Status: Beoordeeld")
    expect(page.locator("#assessment-status")).to_contain_text("Helder onderbouwd.")
    browse.check("assessment, reviewed")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REVIEWED
    log_out(browse)
