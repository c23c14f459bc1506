"""A role with personal data asked for in Chromium: the office asks on the user page, the data protection
officer finds the request on her start page and decides on an accessible page; only then is the role given."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from finsam.conftest import assert_accessible, log_in, screenshot
from finsam.demo import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_asks_and_the_data_protection_officer_approves(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/anvandare/")
    page.get_by_label("Användarnamn").fill("kansli")
    page.get_by_role("combobox", name="Roll").select_option("registrar")
    page.get_by_label("Samverkansteam Finnveden").check()
    page.get_by_label("Motivering").fill("Vikarierar för registratorn i juni")
    page.get_by_role("button", name="Ge rollen").click()
    expect(page.get_by_role("status")).to_contain_text("väntar nu på beslut")
    response = page.goto(f"{demo_site}/f/finnveden/deltagare/lista/")
    assert response is not None and response.status == 403
    page.goto(f"{demo_site}/f/finnveden/")
    expect(page.get_by_role("region", name="Behörigheter som väntar på beslut")).to_contain_text(
        "väntar på beslut av någon annan"
    )

    page.context.clear_cookies()
    log_in(page, demo_site, "dataskydd", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/")
    waiting = page.get_by_role("region", name="Behörigheter som väntar på beslut")
    waiting.get_by_role("link", name="Deltagarregistrator för kansli, begärd av kansli").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Begärda behörigheter")
    assert_accessible(page)
    screenshot(page, "behorigheter-dataskydd")
    page.get_by_label("Kommentar (valfri)").fill("Till och med juni")
    page.get_by_role("button", name="Godkänn").click()
    expect(page.get_by_role("status")).to_contain_text("Rollen är godkänd och tilldelad.")
    expect(page.get_by_role("table", name="Senaste beslut")).to_contain_text("Godkänd")
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, demo_site, "kansli", build.PASSWORD)
    response = page.goto(f"{demo_site}/f/finnveden/deltagare/lista/")
    assert response is not None and response.status == 200
