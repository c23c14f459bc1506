"""The drafted commentary on deviations from the budget, on the demo's real figures (Finnveden 2023 as
seed 001's note 3, Södra Vätterbygden's forecast at 30 June 2023 as seed 000), and the narrative editor's
preview."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from finsam.accounts.models import User
from finsam.organisation.models import Association
from finsam.reports import deviations
from finsam.reports.board import kinds
from finsam.reports.models import ReportVersion

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
MINUS = "\u2212"
FINNVEDEN_END = dt.date(2023, 12, 31)
SODRA_END = dt.date(2023, 6, 30)


def points(text: str) -> list[str]:
    return [line.removeprefix("* ").replace(NBSP, " ") for line in text.splitlines() if line.startswith("* ")]


def test_finnveden_2023_deviations_are_drafted_largest_first(demo: dict[str, Association]) -> None:
    found = points(deviations.draft(demo["finnveden"], FINNVEDEN_END))
    assert [p.split(":")[0] for p in found] == [
        "Utrymme nya projekt",
        "Sociala företag",
        "Ränta",
        "Övriga ersättningar och intäkter",
        "Styrelse",
        "Kompetensutveckling",
    ]
    assert found[0] == (
        f"Utrymme nya projekt: utfallet 0 kr mot budgeten 1 000 000 kr, en avvikelse (utfall − budget) på "
        f"{MINUS}1 000 000 kr ({MINUS}100 %), en lägre kostnad än budgeterat."
    )
    # Seed 001's note 3: the board set aside 80 000 kr more for competence development during the year.
    assert found[-1] == (
        "Kompetensutveckling: utfallet 244 936 kr mot budgeten 200 000 kr, en avvikelse (utfall − budget) på "
        "44 936 kr (22 %), en högre kostnad än budgeterat. Styrelsen har beviljat insatsen 280 000 kr för "
        "2023: 200 000 kr den 17 november 2022 (Verksamhetsplan 2023) och 80 000 kr den 21 september 2023 "
        "(Ur utrymmet för nya projekt). Händelse den 21 september 2023: Extra medel till kompetensutveckling."
    )
    assert (
        "Styrelse: utfallet 54 404 kr mot budgeten 3 000 kr, en avvikelse (utfall − budget) på 51 404 kr"
        in (found[4])
    )
    assert "152" not in found[2] and "151 952 kr (ej budgeterat), en högre intäkt än budgeterat" in found[2]
    # Below the thresholds: Verksamhetsutvecklare +25 042 kr is 3 %, Samverkansteam −53 738 kr is 2 %.
    assert not any(p.startswith(("Verksamhetsutvecklare", "Samverkansteam")) for p in found)


def test_sodra_vatterbygden_forecast_deviations_name_the_grant_and_the_shared_cost(
    demo: dict[str, Association],
) -> None:
    found = {p.split(":")[0]: p for p in points(deviations.draft(demo["sodra-vatterbygden"], SODRA_END))}
    assert found["NOVA - Stöd i förändring"] == (
        "NOVA - Stöd i förändring: prognosen för helåret 3 714 000 kr mot budgeten 3 253 000 kr, en "
        "avvikelse (prognos − budget) på 461 000 kr (14 %), en högre kostnad än budgeterat. Styrelsen har "
        "beviljat insatsen 3 714 000 kr för 2023: 3 253 000 kr den 24 november 2022 (Verksamhetsplan 2023) "
        "och 461 000 kr den 15 juni 2023 (Extra medel för ytterligare en coach i Jönköping)."
    )
    assert found["Enter"].startswith(
        "Enter: prognosen för helåret 2 500 000 kr mot budgeten 2 819 000 kr, en avvikelse "
        f"(prognos − budget) på {MINUS}319 000 kr ({MINUS}11 %), en lägre kostnad än budgeterat."
    )
    # Seed 000: the office's costs are invoiced in part to Finnveden (the director 35 %, the rest 50 %).
    assert found["Kansli"].endswith(
        "Kostnaden är brutto: av den till och med 30 juni 2023 faktureras 331 380 kr till Finnvedens "
        "Samordningsförbund enligt avtal om kostnadsdelning (förbundschefens lön 35 % och övriga "
        "kanslikostnader 50 %)."
    )


def test_the_thresholds_are_settings(demo: dict[str, Association], settings: Settings) -> None:
    settings.DEVIATION_THRESHOLD_KRONOR = 25_000
    settings.DEVIATION_THRESHOLD_PERCENT = 1
    names = [p.split(":")[0] for p in points(deviations.draft(demo["finnveden"], FINNVEDEN_END))]
    assert "Verksamhetsutvecklare" in names and "Samverkansteam Finnveden" in names
    settings.DEVIATION_THRESHOLD_KRONOR = 2_000_000
    assert deviations.draft(demo["finnveden"], FINNVEDEN_END) == ""


def test_the_register_of_events_explains_a_deviation(demo: dict[str, Association]) -> None:
    # Seed 001: from 2023 the association pays the board's fees, which the budget did not count on; the
    # office's register holds that event on the row.
    found = points(deviations.draft(demo["finnveden"], FINNVEDEN_END))
    assert found[4].startswith("Styrelse: utfallet 54 404 kr mot budgeten 3 000 kr")
    assert found[4].endswith(
        "en högre kostnad än budgeterat. Händelse den 1 januari 2023: Förbundet betalar styrelsens arvoden."
    )


def test_the_draft_is_the_default_text_of_the_economy_parts(demo: dict[str, Association]) -> None:
    interim = kinds.defaults(ReportVersion.Kind.INTERIM, demo["sodra-vatterbygden"], SODRA_END)["economy"]
    assert interim.startswith("Här följer resultat- och balansräkning per {{ period_till }}")
    assert "* NOVA - Stöd i förändring: prognosen för helåret 3" in interim
    annual = kinds.defaults(ReportVersion.Kind.ANNUAL, demo["finnveden"], FINNVEDEN_END)["deviations"]
    assert annual.startswith("Rader som avviker från budgeten med minst 25")


def test_the_editor_previews_and_the_board_reads_the_text_as_it_prints(demo: dict[str, Association]) -> None:
    association = demo["finnveden"]
    version = ReportVersion.objects.get(association=association, kind=ReportVersion.Kind.ANNUAL)
    page = f"/f/finnveden/rapporter/versioner/{version.pk}/"
    saved = version.texts.get(key="foreword").markdown
    office = Client()
    office.force_login(User.objects.get(username="kansli"))
    response = office.post(
        page, {"key": "foreword", "markdown": "**Året** gav {{ resultat }} kr.", "preview": "1"}
    )
    shown = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"<strong>Året</strong> gav {MINUS}504{NBSP}695 kr." in shown
    assert "Förhandsvisning (inte sparad)" in shown
    assert version.texts.get(key="foreword").markdown == saved  # a preview saves nothing
    # The drafted deviations of the annual report, previewed as a list.
    assert "<li>Utrymme nya projekt: utfallet 0" in shown

    board = Client()
    board.force_login(User.objects.get(username="styrelse"))
    read = html.unescape(board.get(page).content.decode())
    assert "Spara texten" not in read
    assert "{{" not in read and "**" not in read and "<pre" not in read
    assert f"Vid årsskiftet är det egna kapitalet 2{NBSP}608{NBSP}640 kr" in read
