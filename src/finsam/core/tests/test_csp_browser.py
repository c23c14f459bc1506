"""The Content-Security-Policy in Chromium: pages and htmx work under it, and nothing is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from finsam.conftest import log_in
from finsam.demo import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_htmx_swaps_a_search_result_in_and_the_policy_refuses_nothing(page: Page, demo_site: str) -> None:
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", watch)
    log_in(page, demo_site, "registrator", build.PASSWORD)
    for path in ("/", "/f/finnveden/", "/f/finnveden/deltagare/", "/konto/"):
        page.goto(demo_site + path)
    page.goto(f"{demo_site}/f/finnveden/deltagare/lista/")
    assert "script-src 'self'" in page.context.request.get(page.url).headers["content-security-policy"]
    page.get_by_label("Visa").select_option(label="Alla")
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.get_by_label("Sök deltagare").fill("st-105")
        page.get_by_role("button", name="Sök").click()
    expect(page.locator("#deltagarlista table caption")).to_contain_text("1 episod")
    assert refused == []
