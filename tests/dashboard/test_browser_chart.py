"""Real Chromium: a leader opens 统计分析, the ECharts charts draw (SVG in each chart
container) with no console error under the strict CSP, and the dimension switch redraws
the licensing chart by kind."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import PASSWORD
from tests.dashboard.conftest import build_known

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fresh_content_types() -> None:
    """Rebuild content types after an earlier transactional test's flush (see
    tests/browser/test_licensing_instant_certificate.py)."""
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)


def _build(cast, lic) -> None:
    from django.db import connection

    try:
        build_known(cast, lic)
    finally:
        connection.close()


@pytest.fixture
def data(cast, lic, settings):
    """The known applications, built in a thread of their own: certificate signing runs
    its own event loop, which cannot start inside Playwright's running loop."""
    _fresh_content_types()
    settings.AXES_ENABLED = False
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_build, cast, lic).result()
    return cast


def test_the_charts_render_without_console_errors(page, data):
    errors: list[str] = []

    def on_console(message) -> None:
        # The browser's own favicon request (the site has none) is not the page's error.
        if message.type == "error" and "favicon" not in message.location.get("url", ""):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/accounts/login/?next=/dashboard/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.fill("#date_from", "2025-01-01")
    page.fill("#date_to", "2025-06-30")
    page.locator("label[for=dim-month]").click()
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/dashboard/?*date_from=2025-01-01*")
    chart = page.locator("[data-testid=chart-licensing]")
    chart.locator("svg").first.wait_for()
    assert "2025年4月" in chart.inner_text()
    assert page.locator("[data-testid=chart-supervision] svg").count() >= 1
    assert page.locator("[data-testid=figure-licensing-applications]").inner_text().endswith("5")

    page.locator("label[for=dim-kind]").click()
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**dimension=kind*")
    chart = page.locator("[data-testid=chart-licensing]")
    chart.locator("svg").first.wait_for()
    assert "食品经营许可证" in chart.inner_text()
    assert errors == []
