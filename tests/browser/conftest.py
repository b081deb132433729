"""Browser suite: Playwright (sync API) drives Debian's Chromium against the live_server.

Chromium is found at PASSEND_CHROMIUM (default /usr/bin/chromium). When it is absent the suite is
skipped, unless PASSEND_BROWSER_REQUIRED=1 (CI), which turns the absence into a failure.

Every page visited goes through :meth:`Browse.check`: stylesheets loaded, no console errors, no
Content-Security-Policy violations, no failed requests, and zero axe-core WCAG 2.1 A/AA violations.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("PASSEND_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
STYLESHEETS = ("vendor/utrecht/component-library-css-", "passend/theme.css")

# Records every CSP violation of the document; added before any page script runs.
CSP_RECORDER = """
window.__passendCsp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__passendCsp.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"Chromium not found at {CHROMIUM}; install Debian's chromium to run the browser suite"
        )
        if os.environ.get("PASSEND_BROWSER_REQUIRED") == "1":
            pytest.fail(f"{message} (PASSEND_BROWSER_REQUIRED=1)", pytrace=False)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Chromium for one test module; Playwright stops afterwards, so later tests are unaffected."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the main thread while it is started; the ORM
    # calls of the fixtures (made from that thread) would otherwise raise
    # SynchronousOnlyOperation. Set for as long as Playwright runs, then restored.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            # launch() gives Chromium a fresh temporary user-data directory, removed on close.
            chromium = pw.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def browser_world(chromium_path, live_server, transactional_db, settings, world):
    """The personas of the root conftest, committed so that the live server sees them.

    The walk covers the password login; two-factor authentication has its own tests.
    """
    settings.REQUIRE_2FA = False
    return world


@dataclass
class Browse:
    """One browser tab with the checks every visited page must pass."""

    page: object
    base_url: str
    axe: object
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.add_init_script(CSP_RECORDER)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("response", self._on_response)

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            self.problems.append(f"console error: {msg.text}")

    def _on_request_failed(self, request) -> None:
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(
                f"HTTP {response.status}: {response.request.method} {response.url}"
            )

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str, **kw):
        return self.page.goto(self.url(path), **kw)

    def check(self, label: str, *, expect_status: int | None = None) -> None:
        """Assert that the current page is clean; ``expect_status`` allows one error response."""
        page = self.page
        page.wait_for_load_state("load")
        problems, self.problems = self.problems, []
        if expect_status is not None:
            expected = [
                f"HTTP {expect_status}: GET {page.url}",
                # Chromium logs the error status of the document itself as a console error.
                "console error: Failed to load resource: the server responded with a status of "
                f"{expect_status}",
            ]
            problems = [p for p in problems if not any(p.startswith(e) for e in expected)]

        sheets = page.evaluate(
            "() => Array.from(document.styleSheets, (s) => [s.href, s.cssRules.length])"
        )
        for name in STYLESHEETS:
            if not any(href and name in href and rules > 0 for href, rules in sheets):
                problems.append(f"stylesheet {name} not loaded (sheets: {sheets})")
        csp = page.evaluate("() => window.__passendCsp || []")
        problems += [f"CSP violation: {v}" for v in csp]
        # Evaluated scripts are not subject to the page's CSP; clear what the page recorded.
        page.evaluate("() => { window.__passendCsp = []; }")

        results = self.axe.run(page, options=AXE_OPTIONS)
        for v in results.response["violations"]:
            if not set(v["tags"]) & set(WCAG_TAGS):
                continue
            targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
            more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
            problems.append(f"axe {v['id']} [{v['impact']}]: {v['help']} — {targets}{more}")

        self.checked.append(label)
        if problems:
            raise AssertionError(f"{label} ({page.url}):\n  " + "\n  ".join(problems))


@pytest.fixture
def browse(browser, axe, live_server, browser_world):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    tab = Browse(page=page, base_url=live_server.url, axe=axe)
    yield tab
    context.close()
