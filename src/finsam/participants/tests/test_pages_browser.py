"""The registrar's flows and the office tables in a real Chromium: each works, passes axe, and is logged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from finsam.conftest import assert_accessible, log_in, screenshot
from finsam.demo import build
from finsam.participants.models import AccessLogEntry, Episode, Rating, Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_registrar_registers_a_referral_and_enrols_from_it(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "registrator", build.PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Deltagare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina deltagare")
    page.get_by_role("link", name="Remisser").click()
    page.get_by_role("link", name="Registrera remiss").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny remiss")
    page.get_by_label("Insats").select_option(label="Samverkans­team Finnveden".replace("\u00ad", ""))
    page.get_by_label("Remittent").select_option(label="Försäkringskassan")
    page.get_by_label("Remissdatum").fill("2026-03-02")
    page.get_by_label("Deltagare").fill("19121212-1212")
    assert_accessible(page)
    screenshot(page, "deltagare-ny-remiss")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Remissen är sparad")
    page.get_by_role("link", name="Skriv in från remissen 2026-03-02").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny inskrivning")
    expect(page.get_by_text("Från remiss: Försäkringskassan, 2026-03-02.")).to_be_visible()
    # A mistyped personnummer is explained, nothing is saved.
    page.get_by_label("Deltagare").fill("19121212-1213")
    page.get_by_label("Kön").select_option(label="Kvinna")
    page.get_by_label("Födelseår").fill("1912")
    page.get_by_label("Hemkommun").fill("Gnosjö")
    page.get_by_label("Sjukpenning").check()
    page.get_by_label("Ekonomiskt bistånd").check()
    page.get_by_label("År med offentlig försörjning").fill("3,5")
    page.get_by_label("Inskrivningsdatum").fill("2026-03-16")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".field.has-error")).to_contain_text("kontrollsiffran ska vara 2")
    assert_accessible(page)
    screenshot(page, "deltagare-inskrivning-fel")
    page.get_by_label("Deltagare").fill("19121212-1212")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Deltagaren är inskriven")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Deltagare #[0-9a-f]{8}"))
    expect(page.locator("dl")).to_contain_text("Sjukpenning, Ekonomiskt bistånd")
    assert_accessible(page)
    screenshot(page, "deltagare-detalj")
    episode = Episode.objects.get(enrolled_on="2026-03-16")
    assert episode.own_key == "" and episode.key_kind == "personnummer"
    assert episode.referral is not None and episode.referral.outcome == Referral.Outcome.ENROLLED
    assert str(episode.years_on_support) == "3.5"
    assert "19121212" not in page.content()


def test_a_registrar_rates_and_exits_a_participant(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "registrator", build.PASSWORD)
    episode = (
        Episode.objects.filter(intervention__code="SAMVERKANSTEAM", exited_on__isnull=True)
        .order_by("pk")
        .first()
    )
    assert episode is not None
    page.goto(f"{demo_site}/f/finnveden/deltagare/{episode.pk}/")
    page.get_by_role("link", name="Ny skattning").click()
    page.get_by_label("Datum").fill("2026-04-01")
    page.get_by_label("Skattad av").select_option(label="Deltagaren")
    for area, value in (("Hälsa", "4"), ("Motivation", "7"), ("Livssituation", "5"), ("Kompetens", "6")):
        page.get_by_label(area).fill(value)
    page.get_by_label("Arbetsmarknadskunskap").fill("11")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".field.has-error")).to_contain_text("10")
    page.get_by_label("Arbetsmarknadskunskap").fill("3")
    assert_accessible(page)
    screenshot(page, "deltagare-skattning")
    page.get_by_label("Arbetsmarknadskunskap").press("Enter")  # the keyboard submits the form
    expect(page.get_by_role("status")).to_contain_text("Skattningen är sparad")
    row = (
        page.get_by_role("table", name="Skattningar per tillfälle")
        .get_by_role("row")
        .filter(has_text="2026-04-01")
    )
    expect(row).to_have_text(re.compile(r"2026-04-01\s*Deltagaren\s*4\s*7\s*5\s*6\s*3"))
    assert Rating.objects.filter(episode=episode, rated_on="2026-04-01").count() == 5

    page.get_by_role("link", name="Avsluta").click()
    page.get_by_label("Avslutsdatum").fill("2026-04-30")
    page.get_by_label("Avslutsorsak").select_option(label="Arbete")
    page.get_by_label("Lön").check()
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Avslutet är sparat")
    expect(page.locator("dl")).to_contain_text("2026-04-30 – Arbete")
    episode.refresh_from_db()
    assert (str(episode.exited_on), episode.exit_reason, episode.income_after) == (
        "2026-04-30",
        "arbete",
        "lön",
    )
    expect(page.get_by_role("link", name="Avsluta")).to_have_count(0)


def test_a_registrar_searches_her_list_and_exports_it(page: Page, demo_site: str, tmp_path: Path) -> None:
    log_in(page, demo_site, "registrator", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/deltagare/lista/")
    expect(page.get_by_role("table")).to_contain_text("ST-1")
    page.get_by_label("Visa").select_option(label="Alla")
    page.get_by_label("Sök deltagare").fill("st-105")
    page.get_by_role("button", name="Sök").click()
    table = page.locator("#deltagarlista table")
    expect(table.locator("caption")).to_contain_text("1 episod")
    expect(table).to_contain_text("ST-105")
    assert "st-105" not in page.url.casefold()
    assert_accessible(page)
    screenshot(page, "deltagare-sok")
    # IT-spåret is not hers: its participant is never shown.
    expect(page.locator("body")).not_to_contain_text("IT-001")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportera mina deltagare till Excel").click()
    assert re.fullmatch(r"deltagare-finnveden-\d{4}-\d{2}-\d{2}\.xlsx", download.value.suggested_filename)
    actions = list(AccessLogEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["search", "export"]
    assert len(AccessLogEntry.objects.get(action="export").record_ids) == 76


def test_paging_through_a_search_keeps_the_term_out_of_the_url(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "registrator", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/deltagare/lista/")
    page.get_by_label("Visa").select_option(label="Alla")
    page.get_by_label("Sök deltagare").fill("st-")
    page.get_by_role("button", name="Sök").click()
    table = page.locator("#deltagarlista")
    expect(table).to_contain_text("Sida 1 av 2")
    caption = table.locator("caption").inner_text()
    assert "sökresultat" in caption
    table.get_by_role("button", name="Nästa").click()
    expect(table).to_contain_text("Sida 2 av 2")
    expect(table.locator("caption")).to_have_text(caption)
    expect(table.locator("tbody")).not_to_contain_text("IT-")
    assert "st-" not in page.url.casefold() and "sida" not in page.url
    table.get_by_role("button", name="Föregående").click()
    expect(table).to_contain_text("Sida 1 av 2")
    assert AccessLogEntry.objects.order_by("-id").values_list("action", flat=True)[0] == "search"


def test_the_web_import_previews_then_applies(page: Page, demo_site: str, tmp_path: Path) -> None:
    log_in(page, demo_site, "registrator", build.PASSWORD)
    header = (
        "insats;deltagare;kön;födelseår;kommun;remittent;remissdatum;inskrivningsdatum;avslutsdatum;"
        "avslutsorsak;försörjning_före;försörjning_efter;år_med_offentlig_försörjning\n"
    )
    bad = tmp_path / "fel.csv"
    bad.write_text(
        header + "SAMVERKANSTEAM;NY-1;kvinnan;1990;Gnosjö;region;2026-01-02;2026-01-10;;;;;\n", "utf-8"
    )
    good = tmp_path / "ny.csv"
    good.write_text(
        header + "SAMVERKANSTEAM;NY-1;kvinna;1990;Gnosjö;region;2026-01-02;2026-01-10;;;;;\n", "utf-8"
    )
    page.goto(f"{demo_site}/f/finnveden/deltagare/import/")
    page.get_by_label("Fil").set_input_files(str(bad))
    page.get_by_role("button", name="Förhandsgranska").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Filen har 1 fel. Inget har sparats.")
    expect(alert.get_by_role("row").nth(1)).to_have_text(
        re.compile(r"2\s*kön\s*kvinnan\s*en av kvinna, man, annat")
    )
    assert_accessible(page)
    page.get_by_label("Fil").set_input_files(str(good))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_text("1 nya, 0 ändrade och 0 oförändrade episoder.")).to_be_visible()
    assert not Episode.objects.filter(own_key="NY-1").exists()
    assert_accessible(page)
    screenshot(page, "deltagare-import-forhandsvisning")
    page.get_by_role("button", name="Bekräfta importen").click()
    expect(page.get_by_role("status")).to_contain_text("1 nya, 0 ändrade, 0 borttagna, 0 oförändrade")
    assert Episode.objects.filter(own_key="NY-1").count() == 1


def test_the_office_sees_the_seed_tables(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    # By default small counts are hidden in the office's tables too: Södra Vätterbygden's IT-spåret had 2 men.
    page.goto(f"{demo_site}/f/sodra-vatterbygden/deltagare/tabeller/?fran=2023-01-01&till=2023-06-30")
    expect(page.get_by_text("Små tal döljs, även i förbundets egna tabeller")).to_be_visible()
    table = page.get_by_role("table", name="Deltagare per insats och kön")
    men = table.get_by_role("row").filter(has_text="Deltagande män")
    expect(men).to_contain_text("77")
    expect(men).not_to_have_text(re.compile(r"Deltagande män\s*31\s*11\s*2\s*16"))
    assert_accessible(page)
    screenshot(page, "deltagare-tabeller-sodra-vatterbygden-2023h1")
    for path, heading in (
        ("volym/", "Volymdeltagare"),
        ("installningar/", "Inställningar för deltagaruppgifter"),
    ):
        page.goto(f"{demo_site}/f/sodra-vatterbygden/deltagare/{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
    expect(page.get_by_label("Gallring (år efter avslut)")).to_have_value("5")
    # Finnveden's office chooses exact counts for its own use, and sees the seed's tables.
    page.goto(f"{demo_site}/f/finnveden/deltagare/installningar/")
    page.get_by_label("dölj små tal även i förbundets egna tabeller").uncheck()
    page.get_by_role("button", name="Spara").click()
    page.goto(f"{demo_site}/f/finnveden/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Deltagare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deltagartabeller")
    page.get_by_label("Från").fill("2023-01-01")
    page.get_by_label("Till och med").fill("2023-12-31")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("Förbundet har valt exakta antal")).to_be_visible()
    table = page.get_by_role("table", name="Deltagare per insats och kön")
    expect(table.get_by_role("row").filter(has_text="Deltagande kvinnor")).to_have_text(
        re.compile(r"Deltagande kvinnor\s*51\s*0\s*51")
    )
    expect(table.get_by_role("row").filter(has_text="Deltagande män")).to_have_text(
        re.compile(r"Deltagande män\s*25\s*1\s*26")
    )
    reasons = page.get_by_role("table", name="Avslutsorsaker i detalj")
    expect(reasons.get_by_role("row").filter(has_text="Åter till remittent")).to_contain_text("8")
    referrals = page.get_by_role("table", name="Remissflöde per remittent och utfall")
    expect(referrals.get_by_role("row").filter(has_text="Regionen")).to_have_text(
        re.compile(r"Regionen\s*35\s*50,0")
    )
    expect(page.get_by_role("table", name="År med offentlig försörjning")).to_contain_text("5,4")
    expect(page.get_by_role("figure").first).to_contain_text("Gislaved")
    assert_accessible(page)
    screenshot(page, "deltagare-tabeller-finnveden-2023")
    # The office sees no personal data, and reading aggregates is not logged.
    response = page.goto(f"{demo_site}/f/finnveden/deltagare/lista/")
    assert response is not None and response.status == 403
    assert not AccessLogEntry.objects.exists()


def test_the_data_protection_officer_reads_the_access_log(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "registrator", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/deltagare/lista/")
    page.context.clear_cookies()
    log_in(page, demo_site, "dataskydd", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Deltagare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Åtkomstlogg")
    row = page.get_by_role("table").get_by_role("row").nth(1)
    expect(row).to_contain_text("registrator")
    expect(row).to_contain_text("127.0.0.1")
    expect(row).to_contain_text("Lista")
    assert_accessible(page)
    screenshot(page, "deltagare-atkomstlogg")
