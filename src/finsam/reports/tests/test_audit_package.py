"""The auditor's package of a report version, and the version's diary number and adoption date."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from docx import Document as WordDocument
from openpyxl import load_workbook

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry
from finsam.finance import budget, sie_import
from finsam.finance.models import LedgerImport, LedgerRow
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.reports import services
from finsam.reports.models import ReportVersion
from finsam.reports.tests.pdf import pdf_pages
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db

JUNE = dt.date(2025, 6, 30)
ROW_FIELDS = ("date", "account", "object_key", "ore", "voucher", "text")


@pytest.fixture
def exempel() -> Association:
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    sie_import.import_file(EXAMPLES / "exempel-2025.se", association, testing.SYSTEM)
    budget.import_file(EXAMPLES / "budget-2025.csv", association, testing.SYSTEM)
    return association


def _package(client: Client, version: ReportVersion) -> tuple[str, zipfile.ZipFile]:
    url = f"/f/{version.association.slug}/rapporter/versioner/{version.pk}/revisionspaket/"
    response = client.post(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response["Content-Disposition"], zipfile.ZipFile(io.BytesIO(content))


def _client(association: Association, username: str, role: Role) -> Client:
    client = Client()
    client.force_login(testing.user(username, (association, role)))
    return client


def test_the_package_holds_the_pdf_statements_ledger_imports_and_change_log(
    exempel: Association, tmp_path: Path
) -> None:
    version = services.start_version(testing.SYSTEM, exempel, "interim-report", JUNE)
    services.save_reference(testing.SYSTEM, version, "2025/17", None)
    disposition, package = _package(_client(exempel, "revisorn", Role.AUDITOR), version)
    name = f"revisionspaket-delarsrapport-{exempel.slug}-2025-06-30-v1.zip"
    assert f'filename="{name}"' in disposition
    members = set(package.namelist())
    assert members == {
        f"delarsrapport-{exempel.slug}-2025-06-30.pdf",
        "resultatrakning.xlsx",
        "balansrakning.xlsx",
        "kassaflodesanalys.xlsx",
        "driftredovisning.xlsx",
        f"huvudbok-{exempel.slug}-2025.se",
        "importhistorik-2025.xlsx",
        "andringslogg-2025.xlsx",
        "innehall.txt",
    }

    pages = pdf_pages(package.read(f"delarsrapport-{exempel.slug}-2025-06-30.pdf"), tmp_path)
    assert exempel.name in pages[0] and "Dnr 2025/17" in pages[0]

    for member in ("resultatrakning", "balansrakning", "kassaflodesanalys", "driftredovisning"):
        sheet = load_workbook(io.BytesIO(package.read(f"{member}.xlsx"))).worksheets[0]
        assert str(sheet["A2"].value).startswith(f"{exempel.name}, "), member
        assert sheet.max_row > 3, member

    # The ledger: finsam's importer reads it back to the rows in force.
    ledger = tmp_path / "huvudbok.se"
    ledger.write_bytes(package.read(f"huvudbok-{exempel.slug}-2025.se"))
    copy = testing.association("kopia", "Samordningsförbundet Kopia")
    sie_import.import_file(ledger, copy, testing.SYSTEM)
    rows = [LedgerRow.objects.filter(association=a, source__in_force=True) for a in (exempel, copy)]
    assert sorted(rows[1].values_list(*ROW_FIELDS)) == sorted(rows[0].values_list(*ROW_FIELDS))

    source = LedgerImport.objects.get(association=exempel)
    history = load_workbook(io.BytesIO(package.read("importhistorik-2025.xlsx"))).active
    assert history is not None
    values = [[cell.value for cell in row] for row in history.iter_rows()]
    assert values[0][:3] == ["Importerad", "Fil", "SHA-256"]
    assert values[1][1:3] == ["exempel-2025.se", source.sha256]
    assert values[1][11:13] == [source.rows, "Ja"]

    log = load_workbook(io.BytesIO(package.read("andringslogg-2025.xlsx"))).active
    assert log is not None
    entries = [[cell.value for cell in row] for row in log.iter_rows(min_row=2)]
    reference = next(
        e for e in entries if e[3] == "Ändrade diarienummer eller beslutsdatum för rapportversion"
    )
    assert json.loads(reference[6]) == {"diary_number": "2025/17"}
    assert all(
        cell.data_type == "s" for row in log.iter_rows(min_row=2, max_col=2, min_col=2) for cell in row
    )

    listed = package.read("innehall.txt").decode()
    for member in members - {"innehall.txt"}:
        assert f"{hashlib.sha256(package.read(member)).hexdigest()}  {member}" in listed

    entry = AuditEntry.objects.get(action="report.audit_package")
    assert (entry.actor, entry.object_id, entry.after) == ("revisorn", str(version.pk), {"fil": name})


def test_a_locked_version_s_package_holds_the_pdf_the_board_approved(exempel: Association) -> None:
    version = services.start_version(testing.SYSTEM, exempel, "interim-report", JUNE)
    ReportVersion.objects.filter(pk=version.pk).update(status=ReportVersion.Status.LOCKED)
    services.render_files(testing.SYSTEM, version)
    approved = bytes(version.files.get(format="pdf").content)
    _disposition, package = _package(_client(exempel, "ledamot", Role.BOARD_MEMBER), version)
    assert package.read(f"delarsrapport-{exempel.slug}-2025-06-30.pdf") == approved


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.AUDITOR, 200),
        (Role.OFFICE_ADMIN, 200),
        (Role.BOARD_MEMBER, 200),
        (Role.ECONOMIST, 403),
        (Role.REPORTING, 403),
        (Role.REGISTRAR, 403),
        (Role.DATA_PROTECTION_OFFICER, 403),
    ],
)
def test_who_may_download_the_package(exempel: Association, role: Role, status: int) -> None:
    version = services.start_version(testing.SYSTEM, exempel, "interim-report", JUNE)
    client = _client(exempel, "anna", role)
    url = f"/f/{exempel.slug}/rapporter/versioner/{version.pk}/revisionspaket/"
    assert client.post(url).status_code == status
    assert AuditEntry.objects.filter(action="report.audit_package").count() == (status == 200)


def test_the_diary_number_and_adoption_date_print_on_the_title_page_and_in_the_json(
    exempel: Association, tmp_path: Path
) -> None:
    version = services.start_version(testing.SYSTEM, exempel, "interim-report", JUNE)
    office = _client(exempel, "kansliet", Role.OFFICE_ADMIN)
    url = f"/f/{exempel.slug}/rapporter/versioner/{version.pk}/"
    response = office.post(url + "diarium/", {"diary_number": " SVF 2025/17 ", "adopted_on": "2025-08-20"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.diary_number, version.adopted_on) == ("SVF 2025/17", dt.date(2025, 8, 20))
    entry = AuditEntry.objects.get(action="report.reference")
    assert entry.before == {"diary_number": "", "adopted_on": None}
    assert entry.after == {"diary_number": "SVF 2025/17", "adopted_on": "2025-08-20"}

    data = json.loads(office.get(url + "fil.json").content)
    assert (data["diary_number"], data["adopted_on"]) == ("SVF 2025/17", "2025-08-20")
    title = pdf_pages(office.get(url + "fil.pdf").content, tmp_path)[0]
    assert "Dnr SVF 2025/17" in title
    assert "Fastställd av förbundsstyrelsen 20 augusti 2025" in title
    word = WordDocument(io.BytesIO(office.get(url + "fil.docx").content))
    assert "Dnr SVF 2025/17\nFastställd av förbundsstyrelsen 20 augusti 2025" in word.paragraphs[1].text
    page = office.get(url).content.decode()
    assert 'value="SVF 2025/17"' in page and 'value="2025-08-20"' in page


def test_a_locked_version_keeps_its_adoption_date_but_takes_a_diary_number(exempel: Association) -> None:
    version = services.start_version(testing.SYSTEM, exempel, "interim-report", JUNE)
    services.save_reference(testing.SYSTEM, version, "", dt.date(2025, 8, 20))
    ReportVersion.objects.filter(pk=version.pk).update(status=ReportVersion.Status.LOCKED)
    with pytest.raises(services.ReportLocked):
        services.save_reference(testing.SYSTEM, version, "", dt.date(2025, 9, 1))
    office = _client(exempel, "kansliet", Role.OFFICE_ADMIN)
    url = f"/f/{exempel.slug}/rapporter/versioner/{version.pk}/diarium/"
    assert office.post(url, {"diary_number": "2025/18", "adopted_on": "2025-09-01"}).status_code == 302
    version.refresh_from_db()
    assert (version.diary_number, version.adopted_on) == ("2025/18", dt.date(2025, 8, 20))
    assert office.post(url, {"diary_number": "2025/18"}).status_code == 302  # nothing changed: no entry
    assert AuditEntry.objects.filter(action="report.reference").count() == 2
