"""The start page of each role on the demo's Finnveden: what it shows and where each item leads."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam import testing
from finsam.accounts import services as accounts
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.core import services as core
from finsam.core.audit import Actor
from finsam.organisation.models import Association
from finsam.participants import services as participants
from finsam.participants.models import AccessLogEntry, Episode
from finsam.reports import services as reports
from finsam.reports.models import ReportVersion

pytestmark = pytest.mark.django_db
HOME = "/f/finnveden/"


@pytest.fixture
def finnveden(demo: dict[str, Association]) -> Association:
    return demo["finnveden"]


def home(username: str) -> str:
    """The start page as text: tags dropped, white space folded, entities (and NBSP) plain."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\xa0", " ").split())


def test_the_registrar_sees_her_caseload_and_what_to_do(finnveden: Association) -> None:
    page = home("registrator")
    shown = text(page)
    # 45 active in Samverkansteam; nothing has happened to any since 2023, so every exit is due.
    assert "Samverkansteam Finnveden 45 pågående deltagare 0 ska skattas 45 avslut att registrera" in shown
    assert 'href="deltagare/lista/?insats=SAMVERKANSTEAM"' in page
    assert 'href="deltagare/lista/?insats=SAMVERKANSTEAM&amp;status=avsluta"' in page
    oldest = Episode.objects.get(association=finnveden, own_key="ST-037")
    assert f'<a href="deltagare/{oldest.pk}/avsluta/">Avsluta ST-037</a>' in page
    assert "senast hänt 2021-03-10" in shown
    assert "Alla 45 med avslut att registrera" in shown
    # Showing the keys is a read of personal data, logged like any list.
    entry = AccessLogEntry.objects.filter(association=finnveden).first()
    assert entry is not None and entry.path == HOME and entry.action == AccessLogEntry.Action.LIST
    assert len(entry.record_ids) == 5 and oldest.pk in entry.record_ids
    # The office sees no person and reads nothing.
    assert "Mina deltagare" not in text(home("kansli"))
    assert AccessLogEntry.objects.filter(association=finnveden).count() == 1


def test_the_economist_sees_unmapped_rows_statements_and_forecasts(finnveden: Association) -> None:
    revision = finnveden.statement_rows.get(code="REVISION")
    revision.object = "6:REVISOR"  # a mistyped object: the row takes nothing
    core.save(testing.SYSTEM, revision, association=finnveden)
    page = home("ekonom")
    shown = text(page)
    # The twelve monthly audit fees (4 271,67 kr) on account 6420 now fall to no row.
    assert (
        "Ej fördelat på rad: kostnader: 12 bokförda rader, 51 260 kr per 2023-12-31 (konton 6420)." in shown
    )
    assert 'href="/f/finnveden/ekonomi/rader/"' in page
    assert 'href="ekonomi/balansrakning/?datum=2023-12-31">Balansräkning</a>' in page
    # Finnveden's 2023 budget has 18 rows and no forecast.
    assert "2023 Ingen prognos 18 18" in shown
    assert 'href="ekonomi/budget/?ar=2023"' in page


def test_the_forecast_date_is_that_of_its_latest_change(finnveden: Association) -> None:
    client = Client()
    client.force_login(User.objects.get(username="ekonom"))
    shown = text(client.get("/f/sodra-vatterbygden/").content.decode())
    # The demo imported Södra Vätterbygden's forecast for all 20 budgeted rows of 2023 today.
    assert f"2023 {timezone.localdate().isoformat()} 20 0" in shown


def approve(user: User, version: ReportVersion) -> None:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    reports.approve(testing.SYSTEM, version, user, code, "Styrelseledamot")


def test_the_board_member_is_asked_to_approve_and_sees_the_latest_reports(finnveden: Association) -> None:
    # The demo's annual report waits for the board: one of its two members in the demo has approved.
    version = ReportVersion.objects.get(association=finnveden, kind="annual-report")
    target = f"rapporter/versioner/{version.pk}/#godkannande"
    link = f'<a href="{target}">Godkänn Årsredovisning 2023-12-31, version 1</a>'
    page = home("styrelse")
    assert link in page
    assert "Årsredovisning 2023-12-31 1 Utkast 1 av 2" in text(page)
    assert link not in home("styrelse2")  # she has approved it
    assert "Väntar på ditt godkännande" not in home("kansli")
    testing.user("bo", (finnveden, Role.BOARD_MEMBER))
    approve(User.objects.get(username="styrelse"), version)
    page = home("styrelse")
    assert link not in page  # approved; what still waits for her is the business plan 2023
    assert "Godkänn Verksamhetsplan 2023-12-31, version 1" in text(page)
    assert "Årsredovisning 2023-12-31 1 Utkast 2 av 3" in text(page)
    assert link in home("bo")


def test_the_data_protection_officer_sees_reads_and_erasures(finnveden: Association) -> None:
    home("registrator")
    erased = participants.erase_expired(Actor.command("manage erase_expired"), finnveden, dt.date(2030, 1, 1))
    assert erased == (31, 98)
    page = home("dataskydd")
    shown = text(page)
    assert "Senaste läsningar av personuppgifter Tidpunkt Vem Vad Poster" in shown
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d registrator Lista 5 ", shown)
    assert 'href="deltagare/atkomstlogg/"' in page
    assert re.search(
        r"Senaste gallringar Tidpunkt Gallrat före Episoder Remisser [\d: -]+ 2025-01-01 31 98", shown
    )
    assert 'href="andringslogg/?handelse=participants.erase_expired"' in page
    client = Client()
    client.force_login(User.objects.get(username="dataskydd"))
    log = text(client.get(f"{HOME}andringslogg/?handelse=participants.erase_expired").content.decode())
    assert "Visar bara händelsen ”Gallrade deltagaruppgifter”" in log
    assert log.count("Gallrade deltagaruppgifter") == 2  # the note and the one run
    assert "participants.erase_expired" not in log  # the trail speaks Swedish


def test_every_user_sees_the_security_events_of_her_own_account() -> None:
    assoc = testing.association()
    karin = testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    erik = testing.user("erik", (assoc, Role.ECONOMIST))
    accounts.change_password(Actor(user=karin, label="karin"), karin, "ett nytt långt lösenord")
    client = Client()
    client.force_login(karin)
    page = text(client.get(f"/f/{assoc.slug}/").content.decode())
    assert "Säkerhetshändelser på ditt konto" in page and "Bytte lösenord" in page
    client.force_login(erik)
    page = text(client.get(f"/f/{assoc.slug}/").content.decode())
    assert "Bytte lösenord" not in page
    assert "Inga ändringar av lösenord eller tvåstegsinloggning den senaste tiden." in page
