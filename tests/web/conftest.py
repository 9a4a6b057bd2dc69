"""Browser tests: one chromium for the package, a fresh context per page, JavaScript on and off."""

from __future__ import annotations

import pytest

from tests.conftest import DatabaseFactory
from tests.support.browser import ARGS, CHROMIUM, new_page, outside_the_page_loop


class PageSafeDatabases(DatabaseFactory):
    """The shared database factory, its asyncio.run calls moved off the thread where Playwright's loop runs."""

    def new(self) -> str:
        return outside_the_page_loop(super().new)

    def drop(self, url: str) -> None:
        outside_the_page_loop(super().drop, url)

    def close(self) -> None:
        outside_the_page_loop(super().close)


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = outside_the_page_loop(PageSafeDatabases, tmp_path_factory.mktemp("web-db"))
    yield factory
    factory.close()


@pytest.fixture(scope="package")  # Playwright's loop must be gone before tests outside tests/web call asyncio.run
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture
def pages(browser, server):
    """Open pages on the test's server: `pages()` for a visitor with JavaScript, `pages(javascript=False)`."""
    opened = []

    def open_page(**options):
        page = new_page(browser, server.base_url, **options)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.context.close()
