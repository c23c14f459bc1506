"""The page "E-postaviseringar" in Chromium: reached from the account page, accessible, and a kind turned off
stays off."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from finsam.conftest import assert_accessible, log_in
from finsam.demo import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_data_protection_officer_turns_off_the_mail_after_erasures(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "dataskydd", build.PASSWORD)
    page.goto(f"{demo_site}/konto/")
    page.get_by_role("link", name="E-postaviseringar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-postaviseringar")
    assert_accessible(page)
    erasures = page.get_by_label("gallringen har tagit bort deltagaruppgifter")
    expect(erasures).to_be_checked()
    erasures.uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Dina val är sparade.")
    expect(page.get_by_label("gallringen har tagit bort deltagaruppgifter")).not_to_be_checked()
    expect(page.get_by_label("någon begär en roll som kräver godkännande")).to_be_checked()
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
