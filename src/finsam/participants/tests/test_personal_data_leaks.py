"""Personal data that must not leak: a personnummer never becomes an own key or an echoed value, a file's name
is masked, an unconfirmed upload is erased on schedule, every page showing personal data is logged, and a
search term never enters a URL."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.core.audit import Actor
from finsam.core.imports import ImportRejected
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association, Intervention
from finsam.participants import imports
from finsam.participants.identity import InvalidPersonalNumber, participant_key
from finsam.participants.models import AccessLogEntry, Episode, KeyKind, Referral
from finsam.participants.tests.conftest import HEADER
from finsam.participants.tests.factories import episode, referral

pytestmark = pytest.mark.django_db

# What a registrar might type instead of a clean personnummer: an odd separator, a digit missing or extra,
# the number inside other text. None is a valid personnummer as typed.
ATTEMPTS = ("19850101.1236", "850101/1236", "85010112366", "pnr 850101-1236", "pnr 19121212-1212")


@pytest.fixture
def registrar(assoc: Association, steg: Intervention) -> User:
    return testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg])


def _client(user: User) -> Client:
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.force_login(user)
    return client


def _enrol(client: Client, steg: Intervention, key: str, **extra: str) -> str:
    data = {
        "intervention": str(steg.pk),
        "participant": key,
        "legal_basis": "samtycke",
        "gender": "kvinna",
        "birth_year": "1985",
        "municipality": "Gnosjö",
        "enrolled_on": "2025-01-10",
        **extra,
    }
    response = client.post("/f/hemma/deltagare/ny/", data)
    assert response.status_code in (200, 302)
    return response.content.decode()


# 1. A personnummer attempt is validated, never an own key.


@pytest.mark.parametrize("typed", ATTEMPTS)
def test_a_personnummer_attempt_is_refused_and_never_stored(
    typed: str, assoc: Association, steg: Intervention, registrar: User
) -> None:
    with pytest.raises(InvalidPersonalNumber):
        participant_key(typed, assoc)
    page = _enrol(_client(registrar), steg, typed)
    assert "Inget giltigt personnummer" in page
    assert typed not in page and "850101" not in page and "19121212" not in page
    assert not Episode.objects.exists()


@pytest.mark.parametrize("key", ["ST-001", "IT-12", "A 2024-001"])
def test_own_keys_still_work(key: str, steg: Intervention, registrar: User) -> None:
    _enrol(_client(registrar), steg, key)
    stored = Episode.objects.get()
    assert (stored.key_kind, stored.own_key) == (KeyKind.OWN_KEY, key)


def test_a_personnummer_as_municipality_is_refused_on_enrolment(steg: Intervention, registrar: User) -> None:
    page = _enrol(_client(registrar), steg, "ST-001", municipality="19850101-1236")
    assert "inte ett personnummer" in page and "19850101" not in page
    assert not Episode.objects.exists()


# 2. Import messages mask a personnummer in any column; a municipality cannot be one.


def _problems(assoc: Association, row: str, name: str = "fil.csv") -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        imports.plan(f"{HEADER}\n{row}\n".encode(), name, assoc)
    return caught.value


def test_an_import_never_echoes_a_personnummer_in_another_column(assoc: Association) -> None:
    rejected = _problems(assoc, "STEG;A-1;kvinna;198501011236;Gnosjö;;;2025-01-10;;;;;")
    [problem] = rejected.problems
    assert (problem.line, problem.column, problem.value) == (2, "födelseår", "************")
    message = str(rejected)
    for digits in ("1985", "850101", "0101", "1236"):
        assert digits not in message
    # In the participant column too, and in a column header.
    rejected = _problems(assoc, "STEG;pnr 850101-1236;kvinna;1985;Gnosjö;;;2025-01-10;;;;;")
    assert [p.value for p in rejected.problems] == ["pnr ******-****"]
    with pytest.raises(ImportRejected) as caught:
        imports.plan(f"{HEADER};19850101-1236\n".encode(), "fil.csv", assoc)
    assert "850101" not in str(caught.value) and "1236" not in str(caught.value)
    assert not Episode.objects.exists()


def test_an_import_refuses_a_personnummer_as_municipality(assoc: Association) -> None:
    rejected = _problems(assoc, "STEG;A-1;kvinna;1985;19850101-1236;;;2025-01-10;;;;;")
    [problem] = rejected.problems
    assert (problem.column, problem.value) == ("kommun", "********-****")
    assert "personnummer" in problem.expected
    assert "850101" not in str(rejected) and "1236" not in str(rejected)
    assert not Episode.objects.exists()


def test_the_web_import_shows_no_personnummer(assoc: Association, registrar: User) -> None:
    upload = io.BytesIO(f"{HEADER}\nSTEG;A-1;kvinna;198501011236;19850101-1236;;;2025-01-10;;;;;\n".encode())
    upload.name = "fil.csv"
    page = _client(registrar).post("/f/hemma/deltagare/import/", {"file": upload}).content.decode()
    assert "Filen har 2 fel" in page
    assert "850101" not in page and "1236" not in page
    assert not Episode.objects.exists()


# 3. The file's name is masked wherever it is kept or echoed.


def test_a_file_name_with_a_personnummer_is_masked(
    assoc: Association, registrar: User, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    name = "uppfoljning 19850101-1236.csv"
    upload = io.BytesIO(f"{HEADER}\nSTEG;A-1;kvinna;1985;Gnosjö;;;2025-01-10;;;;;\n".encode())
    upload.name = name
    client = _client(registrar)
    preview = client.post("/f/hemma/deltagare/import/", {"file": upload}).content.decode()
    assert 'name="name" value="uppfoljning ********-****.csv"' in preview
    assert "19850101" not in preview
    token = preview.split('name="token" value="')[1].split('"')[0]
    # Even a name posted back in clear is masked before it is kept.
    client.post("/f/hemma/deltagare/import/", {"token": token, "name": name})
    assert Episode.objects.filter(own_key="A-1").exists()
    entry = AuditEntry.objects.get(action="participants.import")
    assert entry.after is not None and entry.after["fil"] == "uppfoljning ********-****.csv"
    # The command line keeps the same masked name.
    path = tmp_path / "svar 850101-1236.csv"
    path.write_text(f"{HEADER}\nSTEG;A-2;man;1985;Gnosjö;;;2025-01-10;;;;;\n", encoding="utf-8")
    imports.import_participants(path, assoc, Actor(user=None, label="test"))
    files = sorted((e.after or {})["fil"] for e in AuditEntry.objects.filter(action="participants.import"))
    assert files == ["svar ******-****.csv", "uppfoljning ********-****.csv"]
    assert "850101" not in repr(list(AuditEntry.objects.values_list("after", flat=True)))


# 4. The scheduled erasure takes unconfirmed uploads with it.


def test_erase_expired_removes_stale_uploads(settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    folder = imports.upload_folder()
    stale = folder / "7-0123456789abcdef"
    stale.write_text("insats;deltagare\nSTEG;19121212-1212\n", encoding="utf-8")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(stale, (two_hours_ago, two_hours_ago))
    fresh = folder / "7-fedcba9876543210"
    fresh.write_text("insats;deltagare\nSTEG;19121212-1212\n", encoding="utf-8")
    out = io.StringIO()
    call_command("erase_expired", stdout=out)
    assert not stale.exists()
    assert fresh.exists()  # still waiting for its confirmation
    assert "tog bort 1 obekräftade importfiler" in out.getvalue()


# 5. Every page that shows personal data is logged.


def test_the_forms_that_show_a_participant_or_referral_are_logged(
    assoc: Association, steg: Intervention, registrar: User
) -> None:
    made = episode(steg, "ST-001")
    ref = referral(steg, "region", made.enrolled_on)
    client = _client(registrar)
    pages = [
        (f"/f/hemma/deltagare/{made.pk}/avsluta/", made.pk, "episode"),
        (f"/f/hemma/deltagare/{made.pk}/skatta/", made.pk, "episode"),
        (f"/f/hemma/deltagare/remisser/{ref.pk}/", ref.pk, "referral"),
        (f"/f/hemma/deltagare/ny/?remiss={ref.pk}", ref.pk, "referral"),
    ]
    for url, pk, kind in pages:
        before = AccessLogEntry.objects.count()
        assert client.get(url).status_code == 200, url
        assert AccessLogEntry.objects.count() == before + 1, url
        entry = AccessLogEntry.objects.latest("id")
        assert (entry.action, entry.record_ids, entry.record_type) == ("detail", [pk], kind), url
        assert entry.path == url.split("?")[0]
        assert (entry.user_id, entry.address) == (registrar.pk, "10.1.2.3")
    # A blank enrolment shows nobody and a new referral nothing stored: not logged.
    before = AccessLogEntry.objects.count()
    client.get("/f/hemma/deltagare/ny/")
    client.get("/f/hemma/deltagare/remisser/ny/")
    assert AccessLogEntry.objects.count() == before
    assert Referral.objects.count() == 1


# 6. The search term is posted only, and paging through a search keeps it without a URL.


def test_the_search_term_is_taken_only_from_a_post(steg: Intervention, registrar: User) -> None:
    episode(steg, "ST-001")
    episode(steg, "XY-002")
    client = _client(registrar)
    page = client.get("/f/hemma/deltagare/lista/?q=ST-001&status=alla").content.decode()
    assert "ST-001" in page and "XY-002" in page  # not filtered
    assert 'value="ST-001"' not in page
    assert AccessLogEntry.objects.latest("id").action == "list"
    page = client.post("/f/hemma/deltagare/lista/", {"q": "ST-001", "status": "alla"}).content.decode()
    assert "ST-001" in page and "XY-002" not in page
    assert AccessLogEntry.objects.latest("id").action == "search"


def test_paging_through_a_search_posts_the_term(steg: Intervention, registrar: User) -> None:
    for number in range(55):
        episode(steg, f"ST-{number:03d}")
    for number in range(5):
        episode(steg, f"XY-{number:03d}")
    client = _client(registrar)
    first = client.post("/f/hemma/deltagare/lista/", {"q": "ST-", "status": "alla"}).content.decode()
    assert "55 episoder" in first and "Sida 1 av 2" in first
    # The next page is a form posting the term again; no link carries it.
    assert 'name="q" value="ST-"' in first and 'name="sida" value="2"' in first
    assert "q=" not in first and "sida=2" not in first
    second = client.post(
        "/f/hemma/deltagare/lista/", {"q": "ST-", "status": "alla", "sida": "2"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Sida 2 av 2" in second and "55 episoder" in second
    assert "XY-" not in second and second.count("ST-0") == 5
    assert 'hx-post=""' in second and 'name="sida" value="1"' in second
    # Without a search the pages stay links.
    plain = client.get("/f/hemma/deltagare/lista/?status=alla").content.decode()
    assert "sida=2" in plain and 'name="sida"' not in plain
