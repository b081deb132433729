"""Werkafspraken in a real browser: the coordinator drafts them and confirms, the BPO confirms,
the director acknowledges, the coordinator evaluates and decides to adjust, which opens
version 2. Every page state visited passes conftest.Browse.check (axe, CSP, console, styles)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from passend.agreements.choices import AgreementStatus, EvaluationStatus
from passend.agreements.models import AgreementEvaluation, WorkAgreement
from tests.browser.test_walk import log_in, log_out

pytestmark = pytest.mark.browser


def test_agree_acknowledge_evaluate(browse, browser_world):
    w = browser_world
    page = browse.page
    coordinator, bpo, director = (w.users[r] for r in ("coordinator", "bpo", "director"))

    log_in(browse, coordinator)
    browse.goto(f"/school/{w.a.code}/werkafspraken/")
    browse.check("school werkafspraken, none yet")
    page.get_by_role("link", name=f"Werkafspraken opstellen met {bpo.full_name}").click()
    browse.check("new werkafspraken form")
    page.get_by_role("button", name="Werkafspraken aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("bewerken")
    browse.check("edit form pre-filled from the task description")
    page.locator("#id_presence_times").fill("Dinsdag 8.30–16.00 uur")
    page.locator("#id_taken-0-hours").fill("-3")
    page.get_by_role("button", name="Werkafspraken opslaan").click()
    expect(page.locator("#taak-1")).to_contain_text("0")
    browse.check("edit form with an error in task 1")
    page.locator("#id_taken-0-hours").fill("120")
    page.get_by_role("button", name="Werkafspraken opslaan").click()
    page.get_by_role("button", name="Werkafspraken bevestigen als coördinator").click()
    browse.check("detail, confirmed by the coordinator")
    agreement = WorkAgreement.objects.get(school=w.a, bpo=bpo)
    assert agreement.coordinator_confirmed_at is not None
    assert agreement.tasks.order_by("position").first().hours == 120
    log_out(browse)

    log_in(browse, bpo)
    browse.goto("/werkafspraken/mijn/")
    browse.check("my werkafspraken")
    browse.goto(f"/werkafspraken/{agreement.code}/")
    page.get_by_role("button", name="Werkafspraken bevestigen als bpo'er").click()
    browse.check("detail, agreed")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AGREED
    log_out(browse)

    log_in(browse, director)
    browse.goto(f"/werkafspraken/{agreement.code}/")
    page.get_by_role("button", name="Voor gezien tekenen").click()
    browse.check("detail, acknowledged")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACKNOWLEDGED
    log_out(browse)

    log_in(browse, coordinator)
    browse.goto(f"/werkafspraken/{agreement.code}/")
    page.get_by_role("link", name="Evaluatie starten").click()
    browse.check("new evaluation form")
    page.get_by_role("button", name="Evaluatie aanmaken").click()
    browse.check("evaluation edit form")
    page.get_by_label("Conclusie").fill("Meer tijd voor ouders nodig.")
    page.get_by_role("button", name="Evaluatie opslaan").click()
    browse.check("evaluation detail")
    page.get_by_label("Werkafspraken worden aangepast").check()
    page.get_by_role("button", name="Evaluatie vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("bewerken")
    browse.check("version 2 edit form")
    evaluation = AgreementEvaluation.objects.get(agreement=agreement)
    assert evaluation.status == EvaluationStatus.FINAL
    v2 = evaluation.next_agreement
    assert v2.version == 2 and v2.status == AgreementStatus.DRAFT
    page.locator("#id_taken-0-hours").fill("100")
    page.get_by_role("button", name="Werkafspraken opslaan").click()
    expect(page.locator("main")).to_contain_text("versie 1")
    browse.check("version 2 detail with the differences")
    agreement.refresh_from_db()
    assert agreement.tasks.order_by("position").first().hours == 120
