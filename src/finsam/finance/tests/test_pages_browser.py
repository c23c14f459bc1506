"""The finance pages in Chromium: every page loads and passes axe-core; an upload through the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from finsam.conftest import assert_accessible, log_in, screenshot
from finsam.demo import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_finance_page_loads_and_is_accessible(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "ekonom", build.PASSWORD)
    pages = {
        "ekonomi": ("", "Ekonomi"),
        "resultatrakning": ("resultatrakning/", "Resultaträkning per 2023-12-31"),
        "resultatrakning-helar": ("resultatrakning-helar/", "Resultaträkning 2023-12-31"),
        "balansrakning": ("balansrakning/", "Balansräkning per 2023-12-31"),
        "kassaflode": ("kassaflode/", "Kassaflödesanalys 2023-12-31"),
        "driftsredovisning": ("driftsredovisning/", "Driftredovisning 2023-12-31"),
        "noter": ("noter/", "Noter 2023-12-31"),
        "nyckeltal": ("nyckeltal/", "Nyckeltal 2023-12-31"),
        "delade-kostnader": ("delade-kostnader/", "Delade kostnader"),
        "rader": ("rader/", "Rapportrader och konton"),
        "budget": ("budget/?ar=2023", "Budget och prognos från 2023"),
        "import": ("import/", "Importera bokföring eller budget"),
    }
    for name, (path, heading) in pages.items():
        separator = "&" if "?" in path else "?"
        response = page.goto(f"{demo_site}/f/finnveden/ekonomi/{path}{separator}datum=2023-12-31")
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
        screenshot(page, f"ekonomi-{name}")


def test_the_interim_income_statement_reads_like_seed_000(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    page.goto(f"{demo_site}/f/sodra-vatterbygden/ekonomi/resultatrakning/?datum=2023-06-30")
    costs = page.get_by_role("table", name="Kostnader")
    expect(costs.get_by_role("row").filter(has_text="Enter")).to_contain_text("2\u00a0879\u00a0738")
    expect(costs.get_by_role("row").filter(has_text="Summa kostnader")).to_contain_text("3\u00a0781\u00a0314")
    # The members' contributions accrued to the half-year (ADR 0024): the period's result is 665 315; the
    # booked 2 888 315 that seed 000 printed as its headline is explained under the table.
    result = page.get_by_role("table", name="Periodens resultat")
    expect(result).to_contain_text("665\u00a0315")
    expect(result).to_contain_text("\u22121\u00a0092\u00a0600")
    expect(
        page.get_by_text("Bokfört resultat, före periodisering, är 2\u00a0888\u00a0315 kr")
    ).to_be_visible()
    screenshot(page, "ekonomi-delarsrapport-sodra-vatterbygden")


def test_an_export_uploaded_again_changes_nothing(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "ekonom", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/ekonomi/import/")
    page.get_by_label("Slag av fil").select_option("sie")
    page.get_by_label("Fil:", exact=True).set_input_files(str(build.LEDGERS / "finnveden-2023.se"))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import av finnveden-2023.se")
    expect(page.get_by_role("status")).to_contain_text(
        "filen är redan importerad; inget ändrades", timeout=30000
    )
    assert_accessible(page)


def test_the_board_reads_but_cannot_import(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "styrelse", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/ekonomi/")
    expect(page.get_by_role("link", name="Importera SIE- eller budgetfil")).to_have_count(0)
    response = page.goto(f"{demo_site}/f/finnveden/ekonomi/import/")
    assert response is not None and response.status == 403
