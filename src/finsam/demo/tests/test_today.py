"""The demo's own today: its start pages read as on the day after its data ends, whatever the real date."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from finsam.accounts.models import User
from finsam.finance.models import LedgerRow
from finsam.organisation.models import Association
from finsam.participants.models import Episode, Rating, Referral
from finsam.participants.services import expiry_cutoff

pytestmark = pytest.mark.django_db
ROLES = ("kansli", "ekonom", "registrator", "styrelse", "styrelse2", "dataskydd")


def attention_and_cards(username: str, slug: str) -> str:
    """What the start page asks the user to see to, and the registrar's caseload, as plain text."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(f"/f/{slug}/")
    assert response.status_code == 200
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    return shown.split("Senaste ändringar")[0]  # the trail's timestamps are real time, as they must be


def pages(demo: dict[str, Association]) -> dict[tuple[str, str], str]:
    return {
        (username, slug): attention_and_cards(username, slug)
        for username in ROLES
        for slug in demo
        if User.objects.get(username=username).memberships.filter(association__slug=slug).exists()
    }


def test_the_demos_today_is_the_day_after_its_data_ends(
    settings: Settings, demo: dict[str, Association]
) -> None:
    last = max(
        LedgerRow.objects.aggregate(d=Max("date"))["d"],
        Episode.objects.aggregate(d=Max("enrolled_on"))["d"],
        Episode.objects.aggregate(d=Max("exited_on"))["d"],
        Referral.objects.aggregate(d=Max("received_on"))["d"],
        Rating.objects.aggregate(d=Max("rated_on"))["d"],
    )
    assert last + dt.timedelta(days=1) == settings.DEMO_TODAY == dt.date(2024, 1, 1)


def test_in_demo_mode_the_start_pages_read_as_on_the_demos_today(
    settings: Settings, demo: dict[str, Association]
) -> None:
    year = timezone.localdate().year  # the real year, 2026 or later
    settings.DEMO = False
    real = pages(demo)
    settings.DEMO = True
    shown = pages(demo)
    assert len(shown) == 9  # every login of the demo in each association where it has a role
    for page in shown.values():
        # Dates of changes (a forecast's latest, as the trail has them) are real; no year is the real one's.
        words = re.sub(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?", "", page)
        assert str(year) not in words and str(year + 1) not in words
    # Outside demo mode the real date is used: the office is asked about next year, the registrar told that
    # every one of her 45 participants waits for an exit.
    assert f"Inget totalt medlemsbidrag är beslutat för {year + 1}." in real["kansli", "finnveden"]
    assert f"Ingen budget är inläst för {year}." in real["ekonom", "sodra-vatterbygden"]
    assert "45 pågående deltagare 0 ska skattas 45 avslut att registrera" in real["registrator", "finnveden"]
    # In demo mode it is 1 January 2024: what is due then, and the registrar's work of a normal week.
    office = shown["kansli", "finnveden"]
    assert "Inget totalt medlemsbidrag är beslutat för 2025." in office
    assert "Gislaveds kommun saknar folkmängd per 1 november 2023." in office
    assert "Ingen budget är inläst för 2024." in shown["ekonom", "sodra-vatterbygden"]
    assert "Insatser som pågår 2024" in office
    assert (
        "45 pågående deltagare 15 ska skattas 28 avslut att registrera" in shown["registrator", "finnveden"]
    )


def test_in_demo_mode_the_nightly_erasure_counts_from_the_demos_today(
    settings: Settings, demo: dict[str, Association]
) -> None:
    finnveden = demo["finnveden"]
    before = (Episode.objects.count(), Referral.objects.count())
    settings.DEMO = True
    out = io.StringIO()
    call_command("erase_expired", "--association", "finnveden", stdout=out)
    # Retention runs from 1 January 2024, not from the real date: the demo keeps its participants.
    cutoff = expiry_cutoff(finnveden, dt.date(2024, 1, 1))
    assert f"finnveden: gallrade 0 episoder och 0 remisser (avslutade före {cutoff})" in out.getvalue()
    assert (Episode.objects.count(), Referral.objects.count()) == before
    settings.DEMO = False
    out = io.StringIO()
    call_command("erase_expired", "--association", "finnveden", stdout=out)
    assert f"(avslutade före {expiry_cutoff(finnveden, timezone.localdate())})" in out.getvalue()
