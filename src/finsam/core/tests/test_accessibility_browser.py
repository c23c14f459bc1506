"""Keyboard-only use, 200 % zoom and a phone in Chromium: each role's start page, and the main flows of a
registrar and of the office.

Zoom is a 1280 px wide window at 200 %: 640 CSS pixels at device scale factor 2. No page may scroll sideways
(WCAG 1.4.10 reflow), and axe-core must still pass at every size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from finsam.conftest import assert_accessible, log_in, screenshot
from finsam.core import clock
from finsam.core.audit import Actor
from finsam.demo import build
from finsam.organisation.models import Association, Intervention
from finsam.participants import services as participants
from finsam.participants.models import Referral
from finsam.reports import services as reports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERS = [login for login, _ in build.LOGINS]
SIZES = {
    "dator": {"viewport": {"width": 1280, "height": 900}},
    "zoom-200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
    "telefon": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}
WIDTHS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    name: (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent).trim().replace(/:$/, ""),
    tag: el.tagName.toLowerCase(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0,
  };
}"""


@pytest.fixture
def contexts(browser: Browser) -> Iterator[dict[str, BrowserContext]]:
    made = {name: browser.new_context(locale="sv-SE", **options) for name, options in SIZES.items()}  # type: ignore[arg-type]
    yield made
    for context in made.values():
        context.close()


def focused(page: Page) -> dict[str, object]:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, name: str, tag: str | None = None, limit: int = 80) -> None:
    """Press Tab until the element named name has the focus; every element passed shows that it has it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "body":  # past the last element the browser's own controls have the focus
            continue
        assert now["outline"] and now["visible"], f"no visible focus on {now}"
        if now["name"] == name and (tag is None or now["tag"] == tag):
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def test_a_registrar_logs_in_and_registers_a_referral_with_the_keyboard_only(
    page: Page, demo_site: str
) -> None:
    page.goto(f"{demo_site}/konto/logga-in/")
    assert focused(page)["name"] == "Användarnamn"  # the form starts there
    page.keyboard.type("registrator")
    tab_to(page, "Lösenord", "input")
    page.keyboard.type(build.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Finnvedens Samordningsförbund")
    # The first Tab shows the link past the menus; then through the main menu to the participants.
    tab_to(page, "Hoppa till innehållet", limit=1)
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_in_viewport()
    tab_to(page, "Deltagare", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina deltagare")
    tab_to(page, "Remisser", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Remisser")
    tab_to(page, "Registrera remiss", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny remiss")
    tab_to(page, "Insats", "select")
    page.keyboard.press("ArrowDown")  # the first intervention after the empty choice
    tab_to(page, "Remittent", "select")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Arbetsförmedlingen
    tab_to(page, "Spara", "button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Remissen är sparad.")
    referral = Referral.objects.get(
        association__slug="finnveden",
        received_on=clock.today(),
        outcome="",  # the demo's day
    )
    assert (referral.intervention.code, referral.source) == ("SAMVERKANSTEAM", "arbetsförmedlingen")
    assert_accessible(page)


def test_the_office_corrects_an_intervention_with_the_keyboard_only(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "kansli", build.PASSWORD)
    page.goto(f"{demo_site}/f/finnveden/")
    tab_to(page, "Insatser", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Insatser")
    tab_to(page, "IT-spåret", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("IT-spåret")
    # A required field left empty: the form comes back saying what is missing, and nothing is saved.
    tab_to(page, "Namn", "input")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    tab_to(page, "Platser", "input")
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    tab_to(page, "Spara", "button")
    page.keyboard.press("Enter")
    name = page.get_by_label("Namn", exact=False).first
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field.has-error")).to_contain_text("Detta fält måste fyllas i.")
    assert Intervention.objects.get(association__slug="finnveden", code="ITSPARET").name == "IT-spåret"
    assert_accessible(page)
    tab_to(page, "Namn", "input")
    page.keyboard.type("IT-spåret")
    tab_to(page, "Spara", "button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade.")
    saved = Intervention.objects.get(association__slug="finnveden", code="ITSPARET")
    assert (saved.name, saved.places) == ("IT-spåret", 12)


def prepare(demo_site: str, page: Page) -> None:
    """What each role's start page shows beyond the demo: a draft report, a read and an erasure run."""
    finnveden = Association.objects.get(slug="finnveden")
    reports.start_version(Actor.command("demo"), finnveden, "annual-report", dt.date(2023, 12, 31))
    log_in(page, demo_site, "registrator", build.PASSWORD)  # her start page shows keys: one read in the log
    participants.erase_expired(Actor.command("manage erase_expired"), finnveden, dt.date(2029, 1, 1))


@pytest.mark.parametrize("username", USERS)
def test_each_roles_start_page_reflows_at_200_percent_and_on_a_phone(
    page: Page, demo_site: str, contexts: dict[str, BrowserContext], username: str
) -> None:
    prepare(demo_site, page)
    for size, context in contexts.items():
        tab = context.new_page()
        log_in(tab, demo_site, username, build.PASSWORD)
        tab.goto(f"{demo_site}/f/finnveden/")
        expect(tab.get_by_role("heading", level=1)).to_have_text("Finnvedens Samordningsförbund")
        widths = tab.evaluate(WIDTHS)
        assert widths[0] <= widths[1], f"{username} scrolls sideways at {size}: {widths}"
        assert_accessible(tab)
        screenshot(tab, f"hem-{username}" if size == "dator" else f"hem-{username}-{size}")
        tab.close()
