"""The report pages in Chromium: the office starts a version, writes and asks the board; the board is asked
for its code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from finsam.conftest import assert_accessible, log_in, screenshot
from finsam.demo import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_starts_an_annual_report_and_writes_the_foreword(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/rapporter/")
    assert_accessible(page)
    page.get_by_label("Rapport").select_option("annual-report")
    page.get_by_label("Period till och med").fill("2023-12-31")
    page.get_by_role("button", name="Påbörja").click()
    # The demo's version 1 waits for the board; the new one starts from its texts.
    expect(page.get_by_role("heading", level=1)).to_have_text("Årsredovisning 2023-12-31, version 2")
    foreword = page.get_by_label("Text: Ordföranden har ordet")
    foreword.fill("Ett år har gått. Resultatet blev {{ resultat }} kr och soliditeten {{ soliditet }}.")
    page.locator("#foreword").get_by_role("button", name="Spara texten").click()
    expect(page.get_by_role("status")).to_contain_text("Texten är sparad")
    assert_accessible(page)
    screenshot(page, "rapporter-version")
    page.get_by_role("button", name="Be styrelsen godkänna").click()
    expect(page.get_by_role("status")).to_contain_text("inte har godkänt ännu får e-post")
    expect(page.get_by_text("Styrelsen ombads senast")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").click()
    assert download.value.suggested_filename == "arsredovisning-finnveden-2023.docx"


def test_a_board_member_without_an_authenticator_is_asked_to_set_one_up(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/rapporter/")
    page.get_by_label("Rapport").select_option("annual-report")
    page.get_by_label("Period till och med").fill("2023-12-31")
    page.get_by_role("button", name="Påbörja").click()
    url = page.url
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, demo_site, "styrelse", build.PASSWORD)
    page.goto(url)
    expect(page.get_by_text("För att godkänna behöver du tvåstegsinloggning.")).to_be_visible()
    expect(page.get_by_role("button", name="Spara texten")).to_have_count(0)
    assert_accessible(page)


def test_the_board_reads_the_texts_as_they_print_within_the_page(page: Page, demo_site: str) -> None:
    """The version a board member approves: the texts rendered with their figures, wrapped at 1 280 px (a
    line of the raw text was 1 551 px wide)."""
    log_in(page, demo_site, "styrelse", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/rapporter/")
    page.get_by_role("link", name="Årsredovisning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Årsredovisning 2023-12-31, version 1")
    narrative = page.locator(".narrative")
    text = " ".join(narrative.all_inner_texts()).replace("\u00a0", " ")
    assert "{{" not in text and "**" not in text
    assert "Vid årsskiftet är det egna kapitalet 2 608 640 kr" in text
    assert "Utrymme nya projekt: utfallet 0 kr mot budgeten 1 000 000 kr" in text  # the drafted deviations
    widths = [
        box["width"] for box in (narrative.nth(i).bounding_box() for i in range(narrative.count())) if box
    ]
    assert widths and max(widths) <= 700
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)
    screenshot(page, "rapporter-styrelsen-laser")


def test_the_office_previews_a_text_with_its_figures(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/rapporter/")
    page.get_by_role("link", name="Årsredovisning").first.click()
    page.get_by_label("Text: Ordföranden har ordet").fill("**Året** gav {{ resultat }} kr.")
    page.locator("#foreword").get_by_role("button", name="Förhandsgranska").click()
    preview = page.locator("#forhandsvisning")
    expect(preview).to_contain_text("Förhandsvisning (inte sparad)")
    expect(preview.locator("strong")).to_have_text("Året")
    expect(preview).to_contain_text("Året gav −504 695 kr.")
    expect(page.get_by_label("Text: Ordföranden har ordet")).to_have_value("**Året** gav {{ resultat }} kr.")
    assert_accessible(page)
