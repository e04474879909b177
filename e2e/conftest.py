"""Browser tests: one Debian chromium per session, a fresh context per test, the demo world.

Playwright's sync API runs an event loop in the test thread, and Django refuses database work
from a thread with a running loop; the tests are synchronous, so we tell Django it is safe.
"""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Belt and braces: Playwright must never fetch a browser of its own.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS_DIR = Path("/tmp/e2e-shots")
TIMEOUT_MS = 10_000
_CALL_PASSED = pytest.StashKey[bool]()

# Records every Content-Security-Policy violation in the page, before any page script runs.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


@dataclass
class PageProblems:
    """What went wrong in a page: console errors, uncaught errors, failed or refused loads."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    error_responses: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        if self.page.is_closed() or not self.page.context.browser:
            return []
        try:
            found = self.page.evaluate("window.__cspViolations || []")
        except Exception:  # JavaScript disabled, or the page is navigating
            return []
        return [str(v) for v in found]

    def all(self) -> list[str]:
        return [
            *(f"console error: {m}" for m in self.console_errors),
            *(f"page error: {m}" for m in self.page_errors),
            *(f"request failed: {m}" for m in self.failed_requests),
            *(f"error response: {m}" for m in self.error_responses),
            *(f"CSP violation: {m}" for m in self.csp_violations()),
        ]

    def assert_clean(self) -> None:
        problems = self.all()
        assert not problems, "problems in the browser:\n" + "\n".join(problems)


def _known_noise(message: ConsoleMessage) -> bool:
    """Chromium may still ask for /favicon.ico on its own before it reads the page's icon."""
    return urlsplit(message.location.get("url") or "").path == "/favicon.ico"


def _watch(page: Page) -> PageProblems:
    problems = PageProblems(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not _known_noise(message):
            problems.console_errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))

    def on_failed(request: Any) -> None:
        # ERR_ABORTED: the browser dropped a request because the page navigated on (e.g. the
        # favicon of a page a form submission leaves); nothing failed on the server.
        if "ERR_ABORTED" not in str(request.failure):
            problems.failed_requests.append(f"{request.url}: {request.failure}")

    page.on("requestfailed", on_failed)
    page.on(
        "response",
        lambda response: (
            problems.error_responses.append(f"{response.status} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    return problems


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium package).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_world(transactional_db: Any) -> None:
    """The demo world (reference data, organisations, one person per role), committed."""
    call_command("seed_demo", stdout=io.StringIO())


@dataclass
class Session:
    """A browser context with one watched page; `url()` builds addresses on the live server."""

    base_url: str
    context: BrowserContext
    page: Page
    problems: PageProblems

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture
def open_session(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any
) -> Iterator[Callable[..., Session]]:
    """Opens a new context (options as for `browser.new_context`) with one watched page.

    After a test that passed, every page it opened must be free of console errors, uncaught
    errors, failed requests, server errors and Content-Security-Policy violations.
    """
    sessions: list[Session] = []

    def open_(**options: Any) -> Session:
        options.setdefault("locale", "en-GB")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(_CSP_LISTENER)
        page = context.new_page()
        sessions.append(Session(live_server.url, context, page, _watch(page)))
        return sessions[-1]

    yield open_
    try:
        if request.node.stash.get(_CALL_PASSED, False):
            for opened in sessions:
                opened.problems.assert_clean()
    finally:
        for opened in sessions:
            opened.context.close()


@pytest.fixture
def session(open_session: Callable[..., Session], demo_world: None) -> Session:
    """A JavaScript-enabled browser session on the live server with the demo world loaded."""
    return open_session()


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SHOTS_DIR


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_PASSED] = report.passed
    return report
