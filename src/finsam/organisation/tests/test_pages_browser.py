"""The organisation pages in a real Chromium: every page loads, passes axe-core, and the main forms work."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from finsam.conftest import assert_accessible, log_in, screenshot
from finsam.demo import build
from finsam.organisation.models import Association, BoardSeat, Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_organisation_page_loads_and_is_accessible(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    expect(page.get_by_role("heading", name="Välj förbund")).to_be_visible()
    finnveden = Association.objects.get(slug="finnveden")
    member = Member.objects.get(association=finnveden, code="GISLAVED")
    seat = BoardSeat.objects.filter(association=finnveden).first()
    assert seat is not None
    intervention = finnveden.interventions.get(code="SAMVERKANSTEAM")
    pages = {
        "oversikt": ("", "Finnvedens Samordningsförbund"),
        "medlemmar": ("medlemmar/", "Medlemmar"),
        "medlem": (f"medlemmar/{member.pk}/", "Gislaveds kommun"),
        "ny-medlem": ("medlemmar/ny/", "Ny medlem"),
        "styrelse": ("styrelse/", "Styrelse"),
        "styrelseplats": (f"styrelse/{seat.pk}/", str(seat)),
        "insatser": ("insatser/", "Insatser"),
        "insats": (f"insatser/{intervention.pk}/", "Samverkansteam Finnveden"),
        "beviljade-belopp": ("beviljade-belopp/", "Beviljade belopp"),
        "medlemsbidrag": ("medlemsbidrag/?ar=2023", "Medlemsbidrag 2023"),
        "andringslogg": ("andringslogg/", "Ändringslogg"),
        "anvandare": ("anvandare/", "Användare och roller"),
    }
    for name, (path, heading) in pages.items():
        response = page.goto(f"{demo_site}/f/finnveden/{path}")
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        expect(page.get_by_role("note")).to_contain_text("demonstration")
        assert_accessible(page)
        screenshot(page, f"organisation-{name}")


def test_the_board_table_shows_the_seed_board(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "styrelse", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/styrelse/?ar=2023")
    rows = page.get_by_role("table", name="Styrelsen under").get_by_role("row")
    gnosjo = rows.filter(has_text="Gnosjö kommun")
    expect(gnosjo).to_have_text(re.compile(r"Stefan Lundell, ordförande\s*Senada Sacic"))
    expect(rows.filter(has_text="Arbetsförmedlingen")).to_contain_text("Anna Svensson t.o.m. 2023-07-31")
    expect(rows.filter(has_text="Staten gm Försäkringskassan")).to_contain_text("Klas Rydell")
    # The board member may read the board but not change it: no edit links, and the form is refused.
    expect(page.get_by_role("link", name="Ny styrelseplats")).to_have_count(0)
    response = page.goto(f"{demo_site}/f/finnveden/styrelse/ny/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingen behörighet")


def test_the_contribution_split_reproduces_the_annual_report(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/medlemsbidrag/?ar=2023")
    table = page.get_by_role("table")
    for name, amount in (
        ("Gislaveds kommun", "507\u00a0900"),
        ("Gnosjö kommun", "162\u00a0400"),
        ("Värnamo kommun", "597\u00a0200"),
        ("Region Jönköpings län", "1\u00a0267\u00a0500"),
    ):
        expect(table.get_by_role("row").filter(has_text=name)).to_contain_text(amount)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename == "medlemsbidrag-finnveden-2023.xlsx"


def test_a_new_member_is_created_with_the_keyboard_and_errors_are_explained(
    page: Page, demo_site: str
) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/medlemmar/ny/")
    page.get_by_label("Kod").fill("GNOSJO")  # already taken
    page.get_by_label("Namn").fill("Gnosjö kommun igen")
    page.get_by_label("Slag").select_option("municipality")
    page.get_by_label("Slag").press("Tab")
    page.keyboard.press("Enter")  # focus is on Spara
    expect(page.get_by_role("alert")).to_contain_text("finns redan")
    assert_accessible(page)
    page.get_by_label("Kod").fill("VAGGERYD")
    page.get_by_label("Namn").fill("Vaggeryds kommun")
    page.get_by_label("Kod").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade")
    expect(page.get_by_role("row").filter(has_text="Vaggeryds kommun")).to_contain_text("Kommun")
    assert Member.objects.filter(association__slug="finnveden", code="VAGGERYD").exists()


def test_a_population_is_added_in_place(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    member = Member.objects.get(association__slug="finnveden", code="VARNAMO")
    page.goto(f"{demo_site}/f/finnveden/medlemmar/{member.pk}/")
    page.get_by_label("Folkmängd").fill("34000")
    page.get_by_label("Referensdatum").fill("2023-11-01")
    url = page.url
    page.get_by_role("button", name="Lägg till folkmängd").click()
    expect(page.locator("#populations").get_by_role("row").nth(1)).to_contain_text(
        re.compile(r"2023-11-01\s*34\s000")
    )
    assert page.url == url
    assert member.populations.count() == 3


def test_a_registrar_of_finnveden_sees_nothing_of_sodra_vatterbygden(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "registrator", build.PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Finnvedens Samordningsförbund")
    response = page.goto(f"{demo_site}/f/sodra-vatterbygden/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    response = page.goto(f"{demo_site}/f/finnveden/medlemsbidrag/")
    assert response is not None and response.status == 403
