"""The board's documents: built from the data, written in every format, approved with 2FA, then locked."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document as WordDocument
from openpyxl import load_workbook
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.core import documents
from finsam.core.models import AuditEntry
from finsam.finance.models import BudgetLine
from finsam.organisation.models import Association
from finsam.reports import services
from finsam.reports.models import ReportVersion
from finsam.reports.tests.conftest import DemoDocument, Render

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def period(end: dt.date) -> documents.Period:
    return documents.Period(end.replace(month=1, day=1), end)


def test_the_interim_report_holds_seed_000s_figures_in_every_format(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    gathered = demo_document("interim-report", "sodra-vatterbygden", dt.date(2023, 6, 30))
    text = pdf_text(render_once(gathered, "pdf"), tmp_path)
    for line in (
        "Enter 2 879 738 2 819 000 817 282 2 500 000",
        # The period's own figures (ADR 0024): contributions accrued, retained equity out of the budget.
        "Summa intäkter 8 111 394 8 892 000 4 446 629 8 893 200",
        "Summa kostnader 8 047 080 9 579 500 3 781 314 9 985 800",
        "Summa tillgångar 6 024 013 3 834 316",
        "Summa eget kapital 3 002 339 2 337 024 1 244 424 g",
    ):
        assert line in text, line
    assert "kommunerna Habo, Jönköping, Mullsjö och Vaggeryd" in " ".join(text.split())
    assert "Förbundsstyrelsen" in text

    word = WordDocument(io.BytesIO(render_once(gathered, "docx")))
    cells = {tuple(c.text for c in row.cells) for table in word.tables for row in table.rows}
    assert (
        "Periodens resultat före användning av eget kapital",
        f"64{NBSP}314",
        f"\u2212687{NBSP}500",
        f"665{NBSP}315",
        f"\u22121{NBSP}092{NBSP}600",
        "",
    ) in cells
    assert any(
        p.text.startswith("Samordningsförbundet Södra Vätterbygden samordnar resurser för rehabilitering")
        for p in word.paragraphs
    )
    assert word.inline_shapes  # the chart

    book = load_workbook(io.BytesIO(render_once(gathered, "xlsx")))
    income = next(sheet for sheet in book.worksheets if sheet["A1"].value == "Intäkter")
    values = {row[0]: row[1:5] for row in income.iter_rows(min_row=5, values_only=True) if row[0]}
    assert [int(v) for v in values["Summa intäkter"]] == [8111394, 8892000, 4446629, 8893200]


def test_the_board_documents_never_show_a_group_smaller_than_the_threshold(
    demo: dict[str, Association], demo_document: DemoDocument, settings: Settings
) -> None:
    # Seed 000 printed IT-spåret's 2 men; a board document leaves the association, so it is suppressed.
    gathered = demo_document("interim-report", "sodra-vatterbygden", dt.date(2023, 6, 30))
    [table] = [
        t for s in gathered.document.sections for t in s.tables if t.title == "Deltagare per insats och kön"
    ]
    counts = [value for row in table.rows for key, value in row.items() if key != "label"]
    assert None in counts
    assert all(value is None or value == 0 or value >= settings.SUPPRESSION_THRESHOLD for value in counts)
    assert [row["total"] for row in table.rows[:4]] == [77, 89, 27, 31]


def test_the_annual_report_holds_seed_001s_figures(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    gathered = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31))
    text = pdf_text(render_once(gathered, "pdf"), tmp_path)
    for line in (
        "Summa eget kapital 2 608 640 3 113 335",
        "Likvida medel vid årets slut 3 327 228",
        "Årets kassaflöde \u2212897 258",
        "Balanskravsresultat \u2212504 695",
    ):
        assert line in text, line
    assert "Stefan Lundell, ordförande" in text
    assert "Anna Svensson t.o.m. 2023-07-31" in text
    data = gathered.data
    assert data["title"] == "Årsredovisning 2023"
    assert [s["name"] for s in data["signatures"]][:2] == ["Stefan Lundell", "Senada Sacic"]


def test_the_business_plan_budgets_the_year_and_the_two_after_that_have_a_budget(
    demo: dict[str, Association], tmp_path: Path
) -> None:
    sv = demo["sodra-vatterbygden"]
    for end, labels in (
        (dt.date(2012, 12, 31), ["Belopp i kr", "Budget 2012", "Budget 2013", "Budget 2014"]),
        (dt.date(2023, 12, 31), ["Belopp i kr", "Budget 2023"]),  # nothing budgeted for 2024 and 2025 yet
    ):
        gathered = documents.gather("business-plan", sv, period(end))
        budget = next(t for s in gathered.data["sections"] for t in s["tables"] if t["title"] == "Kostnader")
        assert [c["label"] for c in budget["columns"]] == labels
    enter = next(r for r in budget["rows"] if r["name"] == "Enter")
    assert enter["2023"] == "2819000.00"
    assert BudgetLine.objects.filter(association=sv, year=2023).exists()


def board_member_with_authenticator(
    association: Association, username: str, name: str
) -> tuple[User, TOTPDevice]:
    first, last = name.split()
    user = testing.user(username, (association, Role.BOARD_MEMBER))
    user.first_name, user.last_name = first, last
    user.save()
    return user, TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_version_is_locked_when_every_board_member_has_approved_and_never_changes(tmp_path: Path) -> None:
    assoc = testing.association()
    testing.members(assoc, {"A": 1000})
    first, first_device = board_member_with_authenticator(assoc, "ada", "Ada Ordförande")
    second, second_device = board_member_with_authenticator(assoc, "bo", "Bo Ledamot")
    version = services.start_version(testing.SYSTEM, assoc, ReportVersion.Kind.INTERIM, dt.date(2025, 6, 30))
    services.save_text(testing.SYSTEM, version, "summary", "Resultatet är {{ resultat }} kr.")

    services.approve(testing.SYSTEM, version, first, code(first_device), "Ordförande")
    version.refresh_from_db()
    assert not version.locked
    # Changing the text withdraws the approvals given to the earlier wording.
    services.save_text(testing.SYSTEM, version, "summary", "Periodens resultat: {{ resultat }} kr.")
    assert version.approvals.count() == 0
    first_device.refresh_from_db()
    first_device.last_t = -1  # the same 30-second code may be used again in this test
    first_device.save()
    services.approve(testing.SYSTEM, version, first, code(first_device), "Ordförande")
    services.approve(testing.SYSTEM, version, second, code(second_device), "Ledamot")
    version.refresh_from_db()
    assert version.locked and version.files.count() == 5
    approved_pdf = bytes(version.files.get(format="pdf").content)
    text = pdf_text(approved_pdf, tmp_path)
    assert "Periodens resultat: 0 kr." in text and "Ada Ordförande" in text and "Bo Ledamot" in text

    with pytest.raises(services.ReportLocked):
        services.save_text(testing.SYSTEM, version, "summary", "Ändrat")
    # The data changes later; the locked report does not.
    testing.contribution_total(assoc, 2025, 400000)
    again = documents.gather("interim-report", assoc, period(dt.date(2025, 6, 30)))
    assert documents.render(again, "pdf") == approved_pdf
    newer = services.start_version(testing.SYSTEM, assoc, ReportVersion.Kind.INTERIM, dt.date(2025, 6, 30))
    assert (
        newer.number == 2
        and newer.texts.get(key="summary").markdown == "Periodens resultat: {{ resultat }} kr."
    )


def test_approval_needs_the_authenticators_code_and_a_board_seat() -> None:
    assoc = testing.association()
    member, device = board_member_with_authenticator(assoc, "ada", "Ada Ordförande")
    office = testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    TOTPDevice.objects.create(user=office, name="app", confirmed=True)
    version = services.start_version(testing.SYSTEM, assoc, ReportVersion.Kind.INTERIM, dt.date(2025, 6, 30))
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    with pytest.raises(services.ApprovalRefused):
        services.approve(testing.SYSTEM, version, member, wrong, "Ordförande")
    with pytest.raises(services.ApprovalRefused, match="only a board member"):
        services.approve(testing.SYSTEM, version, office, "123456", "Kansli")
    assert not version.approvals.exists()


@pytest.mark.django_db(transaction=True)
def test_the_files_are_rendered_after_the_approval_and_the_lock_are_committed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assoc = testing.association()
    member, device = board_member_with_authenticator(assoc, "ada", "Ada Ordförande")
    version = services.start_version(testing.SYSTEM, assoc, ReportVersion.Kind.INTERIM, dt.date(2025, 6, 30))
    render = documents.render
    seen = []

    def rendered_outside_the_lock(gathered: documents.Gathered, fmt: str) -> bytes:
        # Autocommit here: no transaction holds the version's row, and the lock is already stored.
        assert not transaction.get_connection().in_atomic_block
        assert ReportVersion.objects.get(pk=version.pk).locked
        seen.append(fmt)
        return render(gathered, fmt)

    monkeypatch.setattr(documents, "render", rendered_outside_the_lock)
    services.approve(testing.SYSTEM, version, member, code(device), "Ordförande")
    assert sorted(seen) == sorted(documents.FORMATS)
    version.refresh_from_db()
    assert version.locked and version.files.count() == 5 and version.snapshot


def test_a_failed_render_leaves_the_approval_recorded_and_shows_that_the_files_are_missing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    assoc = testing.association()
    member, device = board_member_with_authenticator(assoc, "ada", "Ada Ordförande")
    version = services.start_version(testing.SYSTEM, assoc, ReportVersion.Kind.INTERIM, dt.date(2025, 6, 30))
    render = documents.render

    def broken(gathered: documents.Gathered, fmt: str) -> bytes:
        if fmt == "pdf":
            raise OSError("typsnittet saknas")
        return render(gathered, fmt)

    monkeypatch.setattr(documents, "render", broken)
    services.approve(testing.SYSTEM, version, member, code(device), "Ordförande")  # the job fails
    version.refresh_from_db()
    assert version.locked and version.approvals.count() == 1 and not version.files.exists()
    failed = AuditEntry.objects.get(action="report.render_failed")
    assert failed.after == {"error": "OSError: typsnittet saknas"}

    client.force_login(member)
    page = f"/f/{assoc.slug}/rapporter/versioner/{version.pk}/"
    assert "filerna kunde inte skapas" in client.get(page).content.decode()
    assert client.get(f"{page}fil.pdf")["Location"] == page
    assert client.post(f"{page}skapa-filer/")["Location"] == page
    assert not version.files.exists()  # still broken: still missing, and said so again
    assert AuditEntry.objects.filter(action="report.render_failed").count() == 2

    monkeypatch.setattr(documents, "render", render)
    assert client.post(f"{page}skapa-filer/")["Location"] == page
    assert version.files.count() == 5
    pdf = bytes(version.files.get(format="pdf").content)
    services.render_files(testing.SYSTEM, version)  # made once: never rendered again
    assert bytes(version.files.get(format="pdf").content) == pdf
    assert AuditEntry.objects.filter(action="report.files").count() == 1
    assert client.get(f"{page}fil.pdf").content == pdf


def test_the_office_writes_texts_and_the_board_reads(client: Client) -> None:
    assoc = testing.association()
    testing.members(assoc, {"A": 1000})
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    response = client.post(
        f"/f/{assoc.slug}/rapporter/", {"kind": "interim-report", "period_end": "2025-06-30"}
    )
    version = ReportVersion.objects.get()
    assert response["Location"] == f"/f/{assoc.slug}/rapporter/versioner/{version.pk}/"
    client.post(response["Location"], {"key": "summary", "markdown": "**Bra** halvår för {{ forbund }}."})
    html = client.get(f"/f/{assoc.slug}/rapporter/versioner/{version.pk}/fil.html").content.decode()
    assert "<strong>Bra</strong> halvår för Samordningsförbundet Testdalen." in html

    board = Client()
    board.force_login(testing.user("sara", (assoc, Role.BOARD_MEMBER)))
    assert board.get(f"/f/{assoc.slug}/rapporter/versioner/{version.pk}/").status_code == 200
    assert (
        board.post(
            f"/f/{assoc.slug}/rapporter/versioner/{version.pk}/", {"key": "summary", "markdown": "x"}
        ).status_code
        == 403
    )
    assert (
        board.post(
            f"/f/{assoc.slug}/rapporter/", {"kind": "annual-report", "period_end": "2025-12-31"}
        ).status_code
        == 403
    )


def test_narrative_text_is_sanitised(client: Client) -> None:
    assoc = testing.association()
    testing.members(assoc, {"A": 1000})
    version = services.start_version(testing.SYSTEM, assoc, ReportVersion.Kind.INTERIM, dt.date(2025, 6, 30))
    services.save_text(testing.SYSTEM, version, "summary", "<script>alert(1)</script> Hej {{ finns_inte }}")
    html = documents.render(services.gather(version), "html").decode()
    assert "<script>" not in html
    assert "[okänt: finns_inte]" in html


def test_the_associations_own_word_template_is_used(
    client: Client, tmp_path: Path, settings: Settings
) -> None:
    settings.DATA_DIR = tmp_path  # the template is a file in the data dir: keep it to this test
    assoc = testing.association()
    testing.members(assoc, {"A": 1000})
    template = WordDocument()
    template.sections[0].header.paragraphs[0].text = "Samordningsförbundet Testdalen – vår egen mall"
    out = io.BytesIO()
    template.save(out)
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    bad = SimpleUploadedFile("mall.docx", b"inte ett dokument")
    client.post(f"/f/{assoc.slug}/rapporter/word-mall/", {"template": bad})
    assert services.word_template(assoc) is None
    good = SimpleUploadedFile("mall.docx", out.getvalue())
    client.post(f"/f/{assoc.slug}/rapporter/word-mall/", {"template": good})
    response = client.get(f"/f/{assoc.slug}/rapporter/interim-report.docx?datum=2025-06-30")
    word = WordDocument(io.BytesIO(response.content))
    assert word.sections[0].header.paragraphs[0].text == "Samordningsförbundet Testdalen – vår egen mall"
    assert word.paragraphs[0].text == "Delårsrapport"


def test_the_participant_report_follows_the_setting_to_suppress_own_tables(client: Client) -> None:
    from finsam.participants import services as participant_services

    assoc = testing.association()
    client.force_login(testing.user("sara", (assoc, Role.BOARD_MEMBER)))
    url = f"/f/{assoc.slug}/rapporter/participants.json?fran=2025-03-10&datum=2025-12-31"
    hidden = client.get(url).json()  # small counts hidden by default, for the allowed periods only
    assert (hidden["suppression"], hidden["from"], hidden["to"]) == (
        {"threshold": 5},
        "2025-01-01",
        "2025-12-31",
    )
    chosen = participant_services.settings_of(assoc)
    chosen.suppress_own_tables = False
    participant_services.save_settings(testing.SYSTEM, chosen)
    assert "suppression" not in client.get(url).json()  # the association chose exact tables for itself
