"""Debian's chromium driven by Playwright, and the steps of a visit that many browser tests share."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.support.client import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# As root chromium needs --no-sandbox; without the background-networking flags it tries to reach Google's
# services, which this closed network refuses slowly.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def new_page(
    browser: Browser,
    base_url: str,
    *,
    javascript: bool = True,
    width: int = 1200,
    height: int = 900,
    dark: bool = False,
) -> Page:
    context = browser.new_context(
        base_url=base_url,
        java_script_enabled=javascript,
        viewport={"width": width, "height": height},
        color_scheme="dark" if dark else "light",
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def log_in(page: Page, name: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("User name or email").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def mark_page(page: Page) -> None:
    """Leave a mark in the page's window; `still_same_page` tells whether a reload or navigation wiped it."""
    page.evaluate("window.__agoraMark = 'kept'")


def still_same_page(page: Page) -> bool:
    return page.evaluate("window.__agoraMark === 'kept'")


def score_of(page: Page, selector: str) -> int:
    return int(re.sub(r"[^-0-9]", "", page.locator(selector).first.inner_text()))


def outside_the_page_loop(function, *args):
    """Run `function` in a thread of its own: Playwright's sync API keeps an event loop running in this one, and
    helpers like make_admin start their own with asyncio.run."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()
