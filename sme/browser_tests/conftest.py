"""Playwright fixtures for the browser tests, without pytest-playwright (it insists on downloading its own
browser). Drives Debian's Chromium (/usr/bin/chromium; ``CHROMIUM`` overrides the path) headless against
pytest-django's ``live_server``, which also serves the static files through StaticFilesHandler.

Each test gets a fresh browser context (its own cookies) in Chinese. Screenshots go to
``var/screenshots/``; a failing test leaves one named ``<test>-FAILED.png`` there. Any JavaScript error,
server error (5xx) or missing static file seen by the page fails the test that saw it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test item, so the page fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Playwright's sync API runs an asyncio event loop in this (the test) thread. Django refuses ORM calls
    # made from a thread with a running event loop (SynchronousOnlyOperation), so the test's own database
    # work (factories, asserting on rows) would fail. The tests are plain synchronous code and the live
    # server answers in its own thread, so the check has nothing to protect here: switch it off, for the
    # browser session only (it is restored afterwards, and never set when the browser tests don't run).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            yield p
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"找不到 Chromium（{CHROMIUM}）：apt-get install -y chromium fonts-noto-cjk", pytrace=False
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def viewport() -> ViewportSize:
    """The window size; override (e.g. with ``@pytest.mark.parametrize``) for a phone-size test."""
    return {"width": 1280, "height": 900}


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, live_server, viewport: ViewportSize
) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=viewport,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))

    def on_response(response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 500 or (response.status >= 400 and "/static/" in response.url):
            problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    page.on("response", on_response)
    yield page
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    if failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"{_slug(request.node.name)}-FAILED.png", full_page=True)
    context.close()
    for problem in problems:
        print(problem)  # shown with the failure report
    if problems and not failed:
        pytest.fail("The page reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def screenshot(request: pytest.FixtureRequest, page: Page) -> Callable[[str], Path]:
    """``screenshot("registered")`` saves the whole page as var/screenshots/<test>-<nn>-registered.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(name: str) -> Path:
        path = SCREENSHOT_DIR / f"{_slug(request.node.name)}-{next(counter):02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
