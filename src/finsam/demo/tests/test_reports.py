"""The demo's versions of the board's documents, its second board login and Södra Vätterbygden's board."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.accounts import services as accounts
from finsam.accounts.models import User
from finsam.core import documents
from finsam.core.models import AuditEntry
from finsam.demo import build
from finsam.demo import reports as demo_reports
from finsam.organisation.models import Association, BoardSeat
from finsam.reports.board.common import footnote_rows
from finsam.reports.board.kinds import TEXTS
from finsam.reports.models import ReportVersion, RowNote, SectionText

pytestmark = pytest.mark.django_db


def shown(association: Association, kind: str, end: dt.date) -> str:
    """The document as the board reads it in HTML, as plain text."""
    gathered = documents.gather(kind, association, documents.Period(end.replace(month=1, day=1), end))
    page = documents.render(gathered, "html").decode()
    assert "{{" not in page and "[okänt:" not in page  # every placeholder filled
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\xa0", " ").split())


def test_the_demo_holds_a_version_of_each_kind(demo: dict[str, Association]) -> None:
    versions = ReportVersion.objects.order_by("association__slug", "kind")
    assert [(v.association.slug, v.kind, v.period_end, v.number, v.status) for v in versions] == [
        ("finnveden", "annual-report", dt.date(2023, 12, 31), 1, "draft"),
        ("finnveden", "business-plan", dt.date(2023, 12, 31), 1, "draft"),
        ("sodra-vatterbygden", "business-plan", dt.date(2012, 12, 31), 1, "draft"),
        ("sodra-vatterbygden", "interim-report", dt.date(2023, 6, 30), 1, "draft"),
    ]
    for (
        spec
    ) in demo_reports.specs():  # each text a section of its kind, each footnote on a row of the statements
        assert set(spec["texts"]) <= set(TEXTS[spec["kind"]])
        codes = {code for code, _name in footnote_rows(demo[spec["association"]])}
        assert set(spec.get("footnotes", {})) <= codes


def test_the_annual_report_waits_for_one_of_two_board_members(demo: dict[str, Association]) -> None:
    version = ReportVersion.objects.get(association=demo["finnveden"], kind="annual-report")
    assert [(a.user.username, a.role) for a in version.approvals.all()] == [("styrelse2", "Styrelseledamot")]
    assert (
        AuditEntry.objects.filter(action="report.approval_requested", object_id=str(version.pk)).count() == 1
    )
    # The board member who approved has an authenticator, and the demo prints its key with her login.
    device = TOTPDevice.objects.get(user__username="styrelse2", confirmed=True)
    logins = dict(build.logins())
    assert list(logins) == ["kansli", "ekonom", "registrator", "styrelse", "styrelse2", "dataskydd"]
    assert logins["styrelse2"].endswith(
        f"nyckel för autentiseringsappen: {accounts.totp_secret_base32(device)})"
    )
    assert "nyckel" not in logins["styrelse"]
    assert User.objects.get(username="styrelse2").check_password("demo")


def test_the_interim_report_reads_like_seed_000(demo: dict[str, Association]) -> None:
    text = shown(demo["sodra-vatterbygden"], "interim-report", dt.date(2023, 6, 30))
    # The participants of the first half-year from the data (seed 000: 77 men, 89 women, 58 exits).
    assert "fick 77 män och 89 kvinnor stöd" in text and "och 58 avslutades" in text
    assert "sex av elva avslutade gick till arbete eller studier" in text
    assert "Helårsresultatet väntas bli −1 092 600 kr." in text
    # The footnotes a–g of seed 000 on their rows, in the order of the rows, in a column "Not".
    assert "Habo kommun 144 800 159 400 161 300 161 300 a" in text
    assert "Kansli 1 407 864 720 000 808 244 850 000 f" in text
    assert "Summa eget kapital 3 002 339 2 337 024 1 244 424 g" in text
    assert "b) Styrelsen har beviljat NOVA extra medel, så aktuell budget är 3 714 000 kr" in text
    assert "d) Beviljat belopp är 510 000 kr, varav 480 000 kr är ett fast pris enligt upphandlingen." in text
    assert "Nettot för 2022 var 771 951 kr enligt årsredovisningen." in text


def test_the_annual_report_reads_like_seed_001(demo: dict[str, Association]) -> None:
    text = shown(demo["finnveden"], "annual-report", dt.date(2023, 12, 31))
    assert "Under året fick 51 kvinnor och 26 män stöd" in text
    assert "Årets resultat blev −504 695 kr, som budgeten räknade med." in text
    assert "Stefan Lundell, ordförande" in text
    assert "sammanträdde sju gånger under 2023" in text
    assert "Grupperna i Gislaved, Gnosjö, Värnamo och Vaggeryd träffades 27 gånger" in text
    assert "det är synnerliga skäl enligt kommunallagen" in text
    assert "Vid årsskiftet är det egna kapitalet 2 608 640 kr, mer än de 2 345 000 kr" in text
    assert "Förbundet har inga egna anställda. Det köper förbundschefens tid (35 procent)" in text


def test_the_business_plan_reads_like_seed_004(demo: dict[str, Association]) -> None:
    text = shown(demo["sodra-vatterbygden"], "business-plan", dt.date(2012, 12, 31))
    assert "Under 2012 prioriterar förbundet unga vuxna, 18–29 år" in text
    assert "Ordföranden och vice ordföranden bildar ett arbetsutskott" in text
    assert "bland annat projekten KrAmi, Haa och Enter" in text
    assert "Det får inte låna" in text


def test_sodra_vatterbygden_has_its_board(demo: dict[str, Association]) -> None:
    seats = BoardSeat.objects.filter(association=demo["sodra-vatterbygden"])
    assert seats.count() == 14  # a member and a deputy of each of the seven members
    assert seats.filter(role=BoardSeat.Role.MEMBER).count() == 7
    chair = seats.get(office=BoardSeat.Office.CHAIR)
    assert (chair.person.name, chair.member.code) == ("Maria Lindqvist", "JKPG")


def test_loading_the_demo_again_leaves_its_reports_as_they_are(demo: dict[str, Association]) -> None:
    def state() -> tuple[object, ...]:
        return (
            list(ReportVersion.objects.order_by("pk").values("pk", "kind", "number", "status")),
            list(SectionText.objects.order_by("pk").values_list("key", "markdown")),
            list(RowNote.objects.order_by("pk").values_list("row_code", "text")),
            list(TOTPDevice.objects.order_by("pk").values_list("user__username", "key")),
            AuditEntry.objects.count(),
        )

    before = state()
    build.load()
    assert state() == before
