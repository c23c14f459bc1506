from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.finance import budget, jobs
from finsam.finance.models import BudgetChange, BudgetLine, ImportJob, LedgerImport
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db
PAGES = [
    "",
    "resultatrakning/",
    "resultatrakning-helar/",
    "balansrakning/",
    "kassaflode/",
    "driftsredovisning/",
    "noter/",
    "nyckeltal/",
]


@pytest.fixture
def exempel() -> Association:
    return orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)


def upload(client: Client, assoc: Association, name: str, kind: str, content: bytes | None = None) -> str:
    """Upload through the form and follow to the job page (the tests run imports inside the request)."""
    data = content if content is not None else (EXAMPLES / name).read_bytes()
    response = client.post(
        f"/f/{assoc.slug}/ekonomi/import/", {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.status != ImportJob.Status.RUNNING, "the import ran inside the request"
    return client.get(response["Location"]).content.decode()


def test_the_economist_imports_and_reads_the_statements(client: Client, exempel: Association) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    page = upload(client, exempel, "exempel-2025.se", "sie")
    assert "Importen är klar" in page and "15 verifikationer" in page
    assert "Importen är klar" in upload(client, exempel, "budget-2025.csv", "budget")
    # the names the user gave the files are recorded, not the spooled copies' (they were "1-exempel-2025.se")
    assert BudgetChange.objects.filter(source__startswith="fil budget-2025.csv, rad ").exists()
    assert LedgerImport.objects.values_list("actor", "filename").get() == ("erik", "exempel-2025.se")
    assert not list((Path(settings.DATA_DIR) / "importer").iterdir())  # the uploads are gone
    for path in PAGES:
        response = client.get(f"/f/{exempel.slug}/ekonomi/{path}?datum=2025-06-30")
        assert response.status_code == 200, path
    statement = client.get(f"/f/{exempel.slug}/ekonomi/resultatrakning/?datum=2025-06-30").content.decode()
    assert (
        "252\u00a0752" in statement and "447\u00a0161" in statement
    )  # Steget 252 751.50 to date, the result
    xlsx = client.get(f"/f/{exempel.slug}/rapporter/balance-sheet.xlsx?datum=2025-06-30")
    assert xlsx["Content-Disposition"] == 'attachment; filename="balansrakning-exempel-2025-06-30.xlsx"'


def test_a_broken_file_shows_every_problem_and_changes_nothing(client: Client, exempel: Association) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    broken = (
        (EXAMPLES / "budget-2025.csv")
        .read_bytes()
        .replace(b"STEG;2025;prognos;480 000", b"STEG;2025;prognos;mycket")
    )
    page = upload(client, exempel, "b.csv", "budget", broken)
    assert "inte importerats" in page and "rad 9, kolumn belopp: &#x27;mycket&#x27;" in page
    assert not BudgetLine.objects.exists()


def test_a_file_whose_name_is_longer_than_a_spooled_file_can_take_is_imported(
    client: Client, exempel: Association
) -> None:
    # 255 characters, 260 bytes in UTF-8: as the spooled file's name, with the job's id, the file system
    # refused it (OSError, a 500, and a job left queued for ever).
    name = "b" * 246 + "ööööö" + ".csv"
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    assert "Importen är klar" in upload(
        client, exempel, name, "budget", (EXAMPLES / "budget-2025.csv").read_bytes()
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert job.filename == "b" * 193 + "…" + ".csv"  # 200 bytes
    assert not list(jobs.spool_folder().iterdir())


def test_a_queued_import_and_the_progress_of_a_running_one_are_shown(
    client: Client, exempel: Association
) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    job = ImportJob.objects.create(
        association=exempel, kind="sie", filename="stor.se", actor="erik", done=0, total=100
    )
    page = client.get(f"/f/{exempel.slug}/ekonomi/import/{job.pk}/").content.decode()
    assert "väntar på att importeras" in page and 'hx-trigger="every 1s"' in page and "<progress" not in page
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, done=45)
    page = client.get(f"/f/{exempel.slug}/ekonomi/import/{job.pk}/").content.decode()
    assert '<progress id="progress" max="100" value="45">' in page and 'hx-trigger="every 1s"' in page
    # The worker writes its progress beside the upload: its transaction keeps the database's copy unseen.
    jobs.progress_path(job).write_text("60 100", encoding="ascii")
    page = client.get(f"/f/{exempel.slug}/ekonomi/import/{job.pk}/").content.decode()
    assert '<progress id="progress" max="100" value="60">' in page


def test_a_budget_edit_beyond_what_the_books_hold_is_refused_with_a_message(
    client: Client, exempel: Association
) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    budget.import_file(EXAMPLES / "budget-2025.csv", exempel, testing.SYSTEM)
    line = BudgetLine.objects.get(row__code="REV", kind="budget")
    url = f"/f/{exempel.slug}/ekonomi/budget/{line.pk}/"
    answer = client.post(url, {"amount": "1" + "0" * 40, "version": 1})
    assert answer.status_code == 200
    assert "Beloppet är för stort: högst 999\u00a0999\u00a0999\u00a0999,99 kr." in answer.content.decode()
    line.refresh_from_db()
    assert line.version == 1


def test_a_stale_budget_edit_is_refused_with_an_explanation(client: Client, exempel: Association) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    budget.import_file(EXAMPLES / "budget-2025.csv", exempel, testing.SYSTEM)
    line = BudgetLine.objects.get(row__code="REV", kind="budget")
    url = f"/f/{exempel.slug}/ekonomi/budget/{line.pk}/"
    assert client.post(url, {"amount": "25 000", "version": 1, "note": "Beslut 14 mars"}).status_code == 302
    stale = client.post(url, {"amount": "30 000", "version": 1}).content.decode()
    assert "Någon annan har ändrat beloppet" in stale
    line.refresh_from_db()
    assert (line.amount, line.version) == (Decimal("25000.00"), 2)


@pytest.mark.parametrize(
    ("role", "reads", "edits"),
    [
        (Role.OFFICE_ADMIN, 200, 403),
        (Role.ECONOMIST, 200, 200),
        (Role.BOARD_MEMBER, 200, 403),
        (Role.REPORTING, 200, 403),
        (Role.REGISTRAR, 403, 403),
        (Role.DATA_PROTECTION_OFFICER, 403, 403),
    ],
)
def test_who_may_read_and_change_the_finances(
    client: Client, exempel: Association, role: Role, reads: int, edits: int
) -> None:
    client.force_login(testing.user("anna", (exempel, role)))
    assert client.get(f"/f/{exempel.slug}/ekonomi/balansrakning/?datum=2025-06-30").status_code == reads
    assert client.get(f"/f/{exempel.slug}/ekonomi/import/").status_code == edits
    assert client.get(f"/f/{exempel.slug}/ekonomi/rader/ny/").status_code == edits


def test_another_associations_user_sees_no_finances(client: Client, exempel: Association) -> None:
    other = testing.association("annat", "Annat förbund")
    client.force_login(testing.user("olle", (other, Role.ECONOMIST)))
    for path in [*PAGES, "import/", "rader/", "budget/"]:
        assert client.get(f"/f/{exempel.slug}/ekonomi/{path}").status_code == 404, path
