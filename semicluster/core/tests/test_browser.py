"""Real-browser tests in Debian's Chromium (driven by Playwright), against a live server.

Skipped with a clear message where no Chromium is installed; with CI=true a missing browser fails
instead (`.ci/run` installs it). Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from semicluster.accounts.models import Role
from semicluster.core.testing import add_value, make_enterprise, make_user
from semicluster.plans.models import Area

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PASSWORD = "test-pass-123"
# This machine has no network but loopback: keep Chromium from reaching out at all.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium is not installed (apt-get install chromium)")
        pytest.skip("browser tests skipped: Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.console_errors = errors
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize(
    "role", [Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER, Role.ENTERPRISE_USER]
)
def test_each_role_logs_in_through_the_form_and_sees_the_demo_banner(page, live_server, kunshan_plan, role):
    scope: dict[str, Any] = {}
    if role == Role.DISTRICT_OFFICER:
        scope["area"] = Area.objects.get(code="kfq")
    elif role == Role.UNIT_OFFICER:
        from semicluster.plans.models import Unit

        scope["unit"] = Unit.objects.get(code="gxj")
    elif role == Role.ENTERPRISE_USER:
        scope["enterprise"] = make_enterprise()
    make_user(role, username=f"u-{role}", **scope)
    log_in(page, live_server, f"u-{role}")
    assert page.locator("[data-testid=demo-banner]").is_visible()
    shot(page, f"home-{role}")
    assert not page.console_errors, page.console_errors


def test_the_enterprise_page_draws_its_charts_under_the_content_security_policy(
    page, live_server, kunshan_plan
):
    firm = make_enterprise(name="图表测试企业（测试）")
    for year, revenue in ((2023, 800_000_000), (2024, 900_000_000)):
        add_value(firm, "revenue", year, revenue)
    add_value(firm, "revenue", 2025, 100_000_000, month=1)
    add_value(firm, "revenue", 2025, 190_000_000, month=2)
    make_user(Role.LEADER, username="leader-b")
    log_in(page, live_server, "leader-b")
    page.goto(f"{live_server.url}/enterprises/{firm.pk}/")
    page.wait_for_selector("[data-chart-ready=true]", timeout=10_000)
    assert page.locator("[data-chart-ready=true]").count() == 2
    assert page.locator("canvas").count() >= 2
    shot(page, "enterprise-page")
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_switching_the_language_changes_the_interface(page, live_server, kunshan_plan):
    make_user(Role.LEADER, username="leader-c")
    log_in(page, live_server, "leader-c")
    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav").get_by_text("Work plan").is_visible()
    page.click("button[value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("nav").get_by_text("工作方案").is_visible()
