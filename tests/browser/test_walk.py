"""Walk passend in a real browser as two roles, checking every page (see conftest.Browse.check)."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def log_in(browse, user) -> None:
    page = browse.page
    browse.goto("/login/")
    browse.check("login page")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(browse.url("/"))
    expect(page.locator("header")).to_contain_text(user.full_name)


def log_out(browse) -> None:
    page = browse.page
    page.locator("header").get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(browse.url("/login/"))
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    browse.check("login page after logging out")


def test_theme_and_language_switch(browse):
    page = browse.page
    browse.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    # The theme's tokens reach the page: the header has the primary colour (#1d4f91).
    expect(page.locator("header.passend-header")).to_have_css(
        "background-color", "rgb(29, 79, 145)"
    )
    browse.check("login page (nl)")

    page.locator("header").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(browse.url("/login/"))
    browse.check("login page (en)")


def test_partnership_admin_walk(browse, browser_world):
    w = browser_world
    page = browse.page
    log_in(browse, w.users["partnership_admin"])
    browse.check("start page")

    page.get_by_role("link", name="Overzicht van het SWV").first.click()
    expect(page).to_have_url(browse.url(f"/partnerships/{w.p.code}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("SWV Pe")
    browse.check("partnership page")

    page.get_by_role("main").get_by_role("link", name="Scholen", exact=True).click()
    expect(page).to_have_url(browse.url("/schools/"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="School Aa")).to_be_visible()
    expect(results.get_by_role("link", name="School Bee")).to_be_visible()
    expect(results.get_by_role("link", name="School Cee")).to_have_count(0)  # other partnership
    browse.check("schools list")

    # The search box updates the results table through htmx, without a page load.
    page.get_by_role("searchbox").fill("Bee")
    expect(results.get_by_role("link", name="School Bee")).to_be_visible()
    expect(results.get_by_role("link", name="School Aa")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/schools/\?q=Bee$"))
    browse.check("schools list, searched")

    results.get_by_role("link", name="School Bee").click()
    expect(page).to_have_url(browse.url(f"/schools/{w.b.code}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("School Bee")
    browse.check("school page")

    browse.goto(f"/partnerships/{w.p.code}/users/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikers en rollen")
    expect(page.get_by_role("link", name=w.users["coordinator"].full_name)).to_be_visible()
    browse.check("users and roles")

    page.get_by_role("link", name="Persoon toevoegen").click()
    expect(page).to_have_url(browse.url(f"/partnerships/{w.p.code}/users/new/"))
    browse.check("add person form")

    # Empty: the errors are shown, and each is linked to its input (aria-describedby).
    page.get_by_role("button", name="Toevoegen").click()
    for name in ("full_name", "email"):
        box = page.locator(f"#id_{name}")
        error = page.locator(f"#id_{name}_error")
        expect(error).to_be_visible()
        expect(error).not_to_be_empty()
        expect(box).to_have_attribute("aria-invalid", "true")
        expect(box).to_have_attribute("aria-describedby", re.compile(rf"\bid_{name}_error\b"))
        expect(box).to_have_accessible_description(error.inner_text().strip())
    browse.check("add person form with errors")

    page.get_by_label("Naam").fill("Nieuwe Mentor")
    page.get_by_label("E-mailadres").fill("nieuwe.mentor@example.org")
    page.get_by_label("Rol", exact=True).select_option("mentor")
    page.get_by_label("School").select_option(str(w.a.code))
    page.get_by_role("button", name="Toevoegen").click()
    expect(page).to_have_url(re.compile(rf"/partnerships/{w.p.code}/users/[0-9a-f-]{{36}}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe Mentor")
    expect(page.get_by_role("main")).to_contain_text("School Aa")
    browse.check("person page")

    log_out(browse)


def test_coordinator_walk(browse, browser_world):
    w = browser_world
    page = browse.page
    log_in(browse, w.users["coordinator"])
    browse.check("start page")
    expect(page.get_by_role("link", name="Gebruikers en rollen")).to_have_count(0)

    page.get_by_role("link", name="Overzicht van het SWV").click()
    expect(page).to_have_url(browse.url(f"/partnerships/{w.p.code}/"))
    browse.check("partnership page")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Scholen").click()
    expect(page).to_have_url(browse.url("/schools/"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="School Aa")).to_be_visible()
    expect(results.get_by_role("link", name="School Bee")).to_have_count(0)
    browse.check("schools list")

    results.get_by_role("link", name="School Aa").click()
    expect(page).to_have_url(browse.url(f"/schools/{w.a.code}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("School Aa")
    browse.check("school page")

    # School B is outside the coordinator's scope: the 404 page, not a hint that it exists.
    response = browse.goto(f"/schools/{w.b.code}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(page.get_by_role("main")).not_to_contain_text("School Bee")
    browse.check("404 page", expect_status=404)

    log_out(browse)


def test_checks_catch_problems(browse):
    """The page checks are not vacuous: an inline style, a console error and an unlabelled
    image on an otherwise clean page make them fail, naming each problem."""
    page = browse.page
    browse.goto("/login/")
    page.evaluate(
        """() => {
          const style = document.createElement("style");  // blocked by style-src 'self'
          style.textContent = "body { color: red }";
          document.head.append(style);
          const img = document.createElement("img");       // axe image-alt (WCAG 1.1.1)
          img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
          document.querySelector("main").append(img);
          console.error("boom");
        }"""
    )
    expect(page.locator("main img")).to_have_count(1)
    with pytest.raises(AssertionError) as failure:
        browse.check("login page, spoiled on purpose")
    report = str(failure.value)
    assert "CSP violation: style-src-elem" in report
    assert "console error: boom" in report
    assert "axe image-alt [critical]" in report
