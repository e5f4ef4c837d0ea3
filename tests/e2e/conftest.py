"""Browser tests: Playwright (Python) driving Debian's chromium. Never `playwright install`.

Mark them ``django_db(transaction=True)``; the shipped rows (national divisions, holidays)
that the flush at their end removes are restored by tests/conftest.py.

When chromium is missing the tests are skipped and say so; under CI=true (or
LIANXIN_REQUIRE_BROWSER=true) a missing browser is a failure.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRED = (
    os.environ.get("CI", "").lower() == "true"
    or os.environ.get("LIANXIN_REQUIRE_BROWSER", "") == "true"
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if REQUIRED:
            pytest.fail(
                "chromium is not installed: browser tests are required here (apt-get install chromium fonts-noto-cjk)"
            )
        pytest.skip(
            "chromium is not installed: browser tests skipped (apt-get install chromium fonts-noto-cjk)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="zh-CN", device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
