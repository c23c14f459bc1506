"""Hostile finance files and imports that died (issue 13): each refused or ended with a message."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.imports import ImportRejected
from finsam.finance import budget, jobs
from finsam.finance.models import BudgetLine, ImportJob
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.testdata import EXAMPLES, hostile

pytestmark = pytest.mark.django_db
EXPECTED_ENCODING = "förväntade en textfil i UTF-8 eller Windows-1252 (som Excel sparar CSV)"


@pytest.fixture(autouse=True)
def _own_data_dir(settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"  # the spool folder is in the data dir: keep it to each test


@pytest.fixture
def exempel() -> Association:
    return orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)


def refused(path: Path, association: Association) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        budget.import_file(path, association, testing.SYSTEM)
    assert not BudgetLine.objects.exists()
    return [str(problem) for problem in caught.value.problems]


def test_a_budget_file_in_another_encoding_is_named_where_it_fails(
    exempel: Association, tmp_path: Path
) -> None:
    path = tmp_path / "budget.csv"
    path.write_bytes(b"rad;\xe5r;typ;belopp\nASKE;2025;budget;187 500\nBRO;2025;bu\x81dget;71 000\n")
    assert refused(path, exempel) == [
        f"rad 3, kolumn 12: byte 0x81 går varken att läsa som UTF-8 eller Windows-1252; {EXPECTED_ENCODING}"
    ]
    path.write_text("rad;år;typ;belopp\nASKE;2025;budget;187 500\n", encoding="utf-16")
    assert refused(path, exempel) == [f"filen: filen är sparad som UTF-16; {EXPECTED_ENCODING}"]


def test_a_budget_field_of_a_megabyte_is_named_by_line_and_column(
    exempel: Association, tmp_path: Path
) -> None:
    path = hostile.csv_with_long_field(
        tmp_path / "budget.csv", hostile.BUDGET_HEADER, hostile.BUDGET_ROW, 1 << 20
    )
    assert refused(path, exempel) == [
        "rad 2, kolumn 2: ett fält med fler än 10\u00a0000 tecken; förväntade högst 10\u00a0000"
    ]


def test_budget_rows_and_problems_are_capped(
    exempel: Association, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hostile.text_file(tmp_path / "budget.csv", hostile.BUDGET_HEADER, "X;1;y;z", 20_000)
    problems = refused(path, exempel)
    assert len(problems) == 1001 and problems[-1] == "filen: fler än 1000 fel; läsningen avbröts"
    monkeypatch.setattr(budget, "MAX_ROWS", 2)
    path = hostile.text_file(tmp_path / "budget.csv", hostile.BUDGET_HEADER, "ASKE;2025;budget;1", 100)
    assert refused(path, exempel) == ["filen: filen har fler än 2 rader; dela upp den i flera filer"]


def post(client: Client, association: Association, kind: str, content: bytes) -> str:
    upload = SimpleUploadedFile("fil.csv", content)
    response = client.post(f"/f/{association.slug}/ekonomi/import/", {"kind": kind, "file": upload})
    assert response.status_code == 200  # the form again, with its message: no job started
    return response.content.decode()


def test_a_web_upload_over_its_kinds_limit_starts_no_import(
    client: Client, exempel: Association, settings: Settings
) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "budget": 1024}
    content = (EXAMPLES / "budget-2025.csv").read_bytes() * 8
    page = post(client, exempel, "budget", content)
    assert "Filen är större än 1 kB, det största som tas emot för en budgetfil." in page
    # Over every limit of the page: cut while it streams.
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "sie": 1024}
    assert "Filen är större än 1 kB, det största som tas emot här." in post(client, exempel, "sie", content)
    assert not ImportJob.objects.exists() and not list(jobs.spool_folder().iterdir())


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def running_job(association: Association, **fields: object) -> tuple[ImportJob, Path]:
    job = ImportJob.objects.create(
        association=association,
        kind="sie",
        filename="stor.se",
        actor="erik",
        status=ImportJob.Status.RUNNING,
        host=socket.gethostname(),  # a process of this machine: the web app can ask whether it is gone
        **fields,
    )
    spooled = jobs.upload_path(job)
    spooled.parent.mkdir()
    spooled.write_bytes(b"#FLAGGA 0\n" * 1000)
    return job, spooled


def test_an_import_whose_process_died_is_shown_failed_and_ended_at_the_next_upload(
    client: Client, exempel: Association
) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    job, spooled = running_job(exempel, pid=dead_pid())
    page = client.get(f"/f/{exempel.slug}/ekonomi/import/{job.pk}/").content.decode()
    assert "Importen avbröts: processen som körde den finns inte längre." in page
    assert 'hx-trigger="every 1s"' not in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and spooled.exists()  # a GET writes nothing
    upload = SimpleUploadedFile("budget-2025.csv", (EXAMPLES / "budget-2025.csv").read_bytes())
    client.post(f"/f/{exempel.slug}/ekonomi/import/", {"kind": "budget", "file": upload})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not spooled.exists()
    assert job.details == [
        "Importen avbröts: processen som körde den finns inte längre. Ingenting har ändrats; "
        "ladda upp filen igen."
    ]


def test_an_import_without_progress_for_half_an_hour_is_ended(client: Client, exempel: Association) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    job, spooled = running_job(exempel, alive_at=timezone.now() - dt.timedelta(minutes=31))
    fresh, kept = running_job(exempel)
    page = client.get(f"/f/{exempel.slug}/ekonomi/import/").content.decode()
    assert page.count(": Avbruten av ett fel</li>") == 1 and page.count(": Pågår</li>") == 1
    assert jobs.end_stale(exempel) == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "inte kommit framåt på 30 minuter" in job.details[0]
    assert fresh.status == ImportJob.Status.RUNNING and kept.exists() and not spooled.exists()


def test_erase_expired_sweeps_files_left_by_imports_that_died(exempel: Association) -> None:
    job, spooled = running_job(exempel, pid=dead_pid())
    alive, kept = running_job(exempel)
    orphan = jobs.spool_folder() / "123456-gammal.se"
    orphan.write_bytes(b"x" * 1000)
    out = StringIO()
    call_command("erase_expired", stdout=out)
    assert "avslutade 1 avbrutna ekonomiimporter och tog bort 1 kvarlämnade filer" in out.getvalue()
    assert not spooled.exists() and not orphan.exists() and kept.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED
    assert ImportJob.objects.get(pk=alive.pk).status == ImportJob.Status.RUNNING
