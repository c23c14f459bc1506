"""Each demo user in Chromium: the home page and every page of the navigation load, pass axe-core and reflow
to 320 CSS pixels without sideways scrolling.

The screenshots of each role's start page are taken by test_accessibility_browser.py."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from finsam.conftest import assert_accessible, log_in
from finsam.demo import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE: ViewportSize = {"width": 1280, "height": 900}
NARROW: ViewportSize = {"width": 320, "height": 640}
WIDTHS = "() => document.documentElement.scrollWidth"


def association_homes(page: Page, base: str) -> list[str]:
    """The association start pages a user reaches from her home page."""
    if "/f/" in page.url:
        return [page.url]
    return [
        base + href
        for href in page.locator("main .card a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    ]


@pytest.mark.parametrize("username", [login for login, _ in build.LOGINS])
def test_every_page_in_the_navigation_loads_and_is_accessible(
    page: Page, demo_site: str, username: str
) -> None:
    log_in(page, demo_site, username, build.PASSWORD)
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:  # styrelse2, who approved with her authenticator, gives its code too
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Engångskod").fill(f"{code:06d}")
        page.get_by_role("button", name="Bekräfta").click()
    assert_accessible(page)
    visited = 0
    for home in association_homes(page, demo_site):
        page.goto(home)
        links = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link")
        targets = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        for target in targets:
            response = page.goto(demo_site + target)
            assert response is not None and response.status == 200, (
                f"{username}: {target} {response and response.status}"
            )
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(page)
            # Reflow (WCAG 1.4.10): at 320 CSS pixels, what a 1280 px window shows at 400 %, nothing but a
            # wide table inside its own scrolling box may need sideways scrolling.
            page.set_viewport_size(NARROW)
            assert page.evaluate(WIDTHS) <= NARROW["width"], f"{username}: {target} scrolls sideways"
            page.set_viewport_size(WIDE)
            visited += 1
    assert visited >= 4


def test_the_registrar_reaches_her_participants_but_not_the_money(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "registrator", build.PASSWORD)
    page.get_by_role("link", name="Mina deltagare").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    response = page.goto(f"{demo_site}/f/finnveden/ekonomi/")
    assert response is not None and response.status == 403
    response = page.goto(f"{demo_site}/f/sodra-vatterbygden/")
    assert response is not None and response.status == 404
