"""The goals pages in a real Chromium: an anonymous answer on a phone, every page passes axe-core, the board
reads without edit controls."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from finsam import testing
from finsam.conftest import assert_accessible, log_in, screenshot
from finsam.demo import build
from finsam.goals import services
from finsam.goals.models import Commitment, CooperationCase, Questionnaire, Response, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}


def test_a_survey_is_answered_anonymously_on_a_phone(browser: Browser, demo_site: str) -> None:
    survey = Survey.objects.get(name="Pågående deltagare hösten 2023")
    (link,) = services.create_links(testing.SYSTEM, survey, 1, single_use=True)
    before = Response.objects.filter(survey=survey).count()
    context = browser.new_context(locale="sv-SE", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{demo_site}/enkat/{link.token}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Deltagare under insatsen")
        expect(page.get_by_role("link", name="Logga ut")).to_have_count(0)  # nobody is logged in
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page)
        screenshot(page, "goals-enkat-mobil")
        answers = {1: "6 – Instämmer helt", 2: "5", 3: "Vet inte", 4: "4"}
        for position, label in answers.items():
            group = page.get_by_role("group", name=re.compile(rf"^{position}\. "))
            group.get_by_role("radio", name=label, exact=True).tap()
        expect(
            page.get_by_role("group", name=re.compile(r"^1\. ")).get_by_role(
                "radio", name="6 – Instämmer helt"
            )
        ).to_be_checked()
        page.get_by_role("button", name="Skicka svaren").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
        assert_accessible(page)
        screenshot(page, "goals-enkat-tack-mobil")
        response = Response.objects.filter(survey=survey).order_by("-id").first()
        assert response is not None and Response.objects.filter(survey=survey).count() == before + 1
        values = {a.question.position: a.value for a in response.answers.select_related("question")}
        assert values == {1: 6, 2: 5, 3: 0, 4: 4}  # question 5 left empty
        # The link was for one answer: following it again says so.
        page.goto(f"{demo_site}/enkat/{link.token}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Enkäten går inte att besvara")
        assert_accessible(page)
    finally:
        context.close()


def test_every_goals_page_loads_and_is_accessible(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    goal = Commitment.objects.get(association__slug="finnveden", year=2023, position=8)
    case = CooperationCase.objects.filter(association__slug="finnveden").first()
    survey = Survey.objects.get(name="Pågående deltagare hösten 2023")
    questionnaire = Questionnaire.objects.get(association__slug="finnveden", name="Deltagare vid avslut")
    assert case is not None
    pages = {
        "maluppfyllelse": ("?ar=2023", "Måluppfyllelse 2023"),
        "bedom": (f"atagande/{goal.pk}/bedom/", "Bedöm åtagande 8 för 2023"),
        "atagande": (f"atagande/{goal.pk}/", "Åtagande 8 för 2023"),
        "nytt-atagande": ("atagande/ny/?ar=2024", "Nytt åtagande"),
        "struktur": ("struktur/?ar=2023", "Strukturarbete 2023"),
        "arenaarenden": ("register/samverkansarenden/?ar=2023", "Samverkansärenden 2023"),
        "arenaarende": (f"register/samverkansarenden/{case.pk}/", str(case)),
        "avvikelser": ("register/avvikelser/?ar=2023", "Avvikelserapporter (Lex Heller) 2023"),
        "aktiviteter": ("register/aktiviteter/?ar=2023", "Aktiviteter 2023"),
        "enkater": ("enkater/", "Enkäter"),
        "enkat": (f"enkater/{survey.pk}/", "Pågående deltagare hösten 2023"),
        "formular": (f"enkater/formular/{questionnaire.pk}/", "Deltagare vid avslut"),
    }
    for name, (path, heading) in pages.items():
        response = page.goto(f"{demo_site}/f/finnveden/mal/{path}")
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name="Mål", exact=True)).to_have_attribute("aria-current", "page")
        assert_accessible(page)
        screenshot(page, f"goals-{name}")
    page.goto(f"{demo_site}/f/finnveden/mal/?ar=2023")
    expect(page.locator(".summary")).to_have_text(
        "Tre av de tio målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllda under året, tre mål är "
        "inte uppfyllda, två är delvis uppfyllda och två har inte varit möjliga att få svar på."
    )
    lex_heller = page.get_by_role("row").filter(has_text="Lex Heller")
    expect(lex_heller).to_contain_text(re.compile(r"12\s*6\s*Delvis uppfyllt\s*som föreslaget"))
    page.goto(f"{demo_site}/f/finnveden/mal/enkater/{survey.pk}/")
    results = page.get_by_role("table", name="Resultat per fråga")
    expect(results.get_by_role("row").filter(has_text="Stödet jag får gör skillnad")).to_contain_text(
        "för få svar"
    )
    expect(results.get_by_role("row").filter(has_text="Jag blir lyssnad på")).to_contain_text("83\u00a0%")


def test_the_board_reads_the_goals_without_edit_controls(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "styrelse", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/")
    page.get_by_role("link", name="Mål", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Måluppfyllelse 2023")
    expect(page.get_by_role("link", name="Nytt åtagande")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Bedöm"))).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename == "maluppfyllelse-finnveden-2023-01-01-2023-12-31.xlsx"
    response = page.goto(f"{demo_site}/f/finnveden/mal/atagande/ny/")
    assert response is not None and response.status == 403
    page.goto(f"{demo_site}/f/finnveden/mal/struktur/?ar=2023")
    expect(page.get_by_role("table", name=re.compile("Ärenden per remittent"))).to_contain_text(
        re.compile(r"Kommunens försörjningsstöd\s*22\s*55\u00a0%")
    )
    assert_accessible(page)
