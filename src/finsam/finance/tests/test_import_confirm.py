"""On the web a file that would change an imported year, or give the association its organisation number, is
shown first and stored only when its user confirms it; an abandoned confirmation expires with its file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from finsam import testing
from finsam.accounts.roles import Role
from finsam.finance import jobs
from finsam.finance.models import ImportJob, LedgerImport, LedgerRow
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db
EXEMPEL = (EXAMPLES / "exempel-2025.se").read_bytes()
# October's export of the same books: Brovik paid 1 000 more.
OCTOBER = (
    EXEMPEL.replace(b"#GEN 20250820", b"#GEN 20251020")
    .replace(b"#TRANS 1930 {} 71000.00", b"#TRANS 1930 {} 72000.00")
    .replace(b"#TRANS 3612 {} -71000.00", b"#TRANS 3612 {} -72000.00")
)


@pytest.fixture
def exempel() -> Association:
    return orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)


def _upload(client: Client, assoc: Association, name: str, data: bytes) -> tuple[ImportJob, str]:
    response = client.post(
        f"/f/{assoc.slug}/ekonomi/import/", {"kind": "sie", "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    return job, client.get(response["Location"]).content.decode()


def _token(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, page
    return match[1]


def _books() -> list[tuple[int, int]]:
    return list(LedgerRow.objects.filter(source__in_force=True).values_list("pk", "ore"))


def test_a_change_to_an_imported_year_waits_for_its_users_confirmation(
    client: Client, exempel: Association
) -> None:
    erik = testing.user("erik", (exempel, Role.ECONOMIST))
    client.force_login(erik)
    assert _upload(client, exempel, "augusti.se", EXEMPEL)[0].status == ImportJob.Status.DONE
    books = _books()
    job, page = _upload(client, exempel, "oktober.se", OCTOBER)
    assert job.status == ImportJob.Status.CONFIRM and "Ingenting är ändrat än" in page
    assert "verifikationer: 0 nya, 1 ändrade, 0 borttagna; rader: 2 nya, 2 borttagna" in page
    assert "årets resultat 2025: " in page and " → " in page
    assert _books() == books
    assert jobs.upload_path(job).is_file()
    token = _token(page)
    # Another economist of the association sees the change, but cannot confirm it, even with its token.
    client.force_login(testing.user("anna", (exempel, Role.ECONOMIST)))
    assert 'name="token"' not in client.get(f"/f/{exempel.slug}/ekonomi/import/{job.pk}/").content.decode()
    url = f"/f/{exempel.slug}/ekonomi/import/{job.pk}/bekrafta/"
    assert client.post(url, {"token": token}).status_code == 404
    client.force_login(erik)
    assert client.get(url).status_code == 405
    client.post(url, {"token": "fel"})
    assert _books() == books and ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.CONFIRM
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.token == ""
    assert LedgerImport.objects.get(in_force=True).filename.endswith("oktober.se")
    assert not jobs.upload_path(job).exists()
    assert "verifikationer: 0 nya, 1 ändrade" in client.get(response["Location"]).content.decode()


def test_another_organisations_file_is_refused_on_the_web(client: Client, exempel: Association) -> None:
    # The attack: a file from another company replaced Finnveden's books at once.
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    _upload(client, exempel, "augusti.se", EXEMPEL)
    books = _books()
    other = OCTOBER.replace(b"#ORGNR 222000-0000", b"#ORGNR 556677-8899")
    job, page = _upload(client, exempel, "annat.se", other)
    assert job.status == ImportJob.Status.REFUSED
    assert "organisationsnummer 556677-8899" in page and "organisationsnummer 222000-0000" in page
    assert _books() == books


def test_a_declined_change_stores_nothing_and_its_file_goes(client: Client, exempel: Association) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    _upload(client, exempel, "augusti.se", EXEMPEL)
    books = _books()
    job, page = _upload(client, exempel, "oktober.se", OCTOBER)
    url = f"/f/{exempel.slug}/ekonomi/import/{job.pk}/bekrafta/"
    client.post(url, {"token": _token(page), "avbryt": "1"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED and not jobs.upload_path(job).exists()
    assert _books() == books


def test_an_abandoned_confirmation_expires_and_its_file_is_removed(
    client: Client, exempel: Association
) -> None:
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    _upload(client, exempel, "augusti.se", EXEMPEL)
    books = _books()
    job, page = _upload(client, exempel, "oktober.se", OCTOBER)
    kept, _page = _upload(client, exempel, "november.se", OCTOBER.replace(b"#GEN 20251020", b"#GEN 20251120"))
    ImportJob.objects.filter(pk=job.pk).update(
        alive_at=timezone.now() - jobs.CONFIRM_WITHIN - dt.timedelta(1)
    )
    assert (
        "bekräftades inte inom en timme"
        in client.get(f"/f/{exempel.slug}/ekonomi/import/{job.pk}/").content.decode()
    )
    call_command("erase_expired")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED and not jobs.upload_path(job).exists()
    assert jobs.upload_path(kept).is_file()  # one still within the hour stays
    response = client.post(f"/f/{exempel.slug}/ekonomi/import/{job.pk}/bekrafta/", {"token": _token(page)})
    assert response.status_code == 302 and _books() == books


def test_an_association_without_a_number_is_shown_the_one_it_would_take(client: Client) -> None:
    assoc = testing.association()
    client.force_login(testing.user("erik", (assoc, Role.ECONOMIST)))
    job, page = _upload(client, assoc, "augusti.se", EXEMPEL)
    assert job.status == ImportJob.Status.CONFIRM
    assert "inget organisationsnummer och får filens, 222000-0000" in page
    assert not LedgerRow.objects.exists()
    client.post(f"/f/{assoc.slug}/ekonomi/import/{job.pk}/bekrafta/", {"token": _token(page)})
    assoc.refresh_from_db()
    assert assoc.org_number == "222000-0000" and LedgerRow.objects.exists()


def test_a_confirmation_is_kept_by_the_sweep_only_while_it_waits(
    exempel: Association, tmp_path: Path
) -> None:
    job = ImportJob.objects.create(association=exempel, kind="sie", filename="x.se", actor="erik")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CONFIRM, token="t")
    jobs.upload_path(job).parent.mkdir()
    jobs.upload_path(job).write_bytes(b"#FLAGGA 0\n")
    jobs.sweep()
    assert jobs.upload_path(job).is_file()
    ImportJob.objects.filter(pk=job.pk).update(alive_at=timezone.now() - 2 * jobs.CONFIRM_WITHIN)
    jobs.sweep()
    assert not jobs.upload_path(job).exists()
