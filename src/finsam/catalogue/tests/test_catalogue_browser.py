from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from finsam.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 900, "dator"), (390, 844, "telefon")])
def test_the_public_catalogue_on_a_computer_and_a_phone(
    browser: Browser, demo_site: str, width: int, height: int, name: str
) -> None:
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{demo_site}/katalog/")
    assert_accessible(page)
    page.get_by_role("link", name="Samordningsförbundet Södra Vätterbygden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Insatser i Samordningsförbundet Södra Vätterbygden"
    )
    page.get_by_role("searchbox", name="Sök").fill("läkare")
    page.get_by_role("searchbox", name="Sök").press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 insats")
    assert_accessible(page)
    page.get_by_role("link", name="Koll på förmåga").click()
    expect(page.get_by_text("Via kommunens försörjningsstöd.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"katalog-{name}")
    context.close()
