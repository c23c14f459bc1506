"""Who sees what: personal data only for registrars of the intervention, every read logged; aggregates for the
office, the board and reporting; the access log for the data protection officer; another association: 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.test import Client
from openpyxl import load_workbook

from finsam import testing
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association
from finsam.participants import services
from finsam.participants.models import AccessLogEntry, Area, Episode, Instrument, Rating
from finsam.participants.tests.factories import episode, referral

pytestmark = pytest.mark.django_db

PERSONAL = (
    "lista/",
    "lista/?q=S-1",
    "lista.xlsx",
    "{steg}/",
    "{steg}/avsluta/",
    "{steg}/skatta/",
    "ny/",
    "remisser/",
    "remisser/ny/",
    "import/",
)
AGGREGATES = ("tabeller/", "tabeller.xlsx?fran=2023-01-01&till=2023-12-31", "tabeller.json")
ACCESS_LOG = ("atkomstlogg/",)


@pytest.fixture
def home() -> dict[str, object]:
    assoc = testing.association("hemma", "Samordningsförbundet Hemma")
    steg = testing.intervention(assoc, "STEG")
    team = testing.intervention(assoc, "TEAM")
    return {
        "assoc": assoc,
        "steg": steg,
        "team": team,
        "steg_episode": episode(steg, "S-1"),
        "team_episode": episode(team, "19121212-1212", gender="man"),
    }


def _urls(home: dict[str, object], pages: tuple[str, ...]) -> list[str]:
    steg_episode = home["steg_episode"]
    assert isinstance(steg_episode, Episode)
    return [f"/f/hemma/deltagare/{page.format(steg=steg_episode.pk)}" for page in pages]


def _client(user: User) -> Client:
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "personal", "aggregates", "log"),
    [
        (Role.REGISTRAR, 200, 403, 403),
        (Role.OFFICE_ADMIN, 403, 200, 403),
        (Role.ECONOMIST, 403, 200, 403),
        (Role.BOARD_MEMBER, 403, 200, 403),
        (Role.REPORTING, 403, 200, 403),
        (Role.DATA_PROTECTION_OFFICER, 403, 403, 200),
    ],
)
def test_each_role_reaches_only_its_pages(
    home: dict[str, object], role: Role, personal: int, aggregates: int, log: int
) -> None:
    assoc = home["assoc"]
    assert isinstance(assoc, Association)
    user = testing.user("anna", (assoc, role), interventions=[home["steg"]])  # type: ignore[list-item]
    client = _client(user)
    for url in _urls(home, PERSONAL):
        assert client.get(url).status_code == personal, url
    for url in _urls(home, AGGREGATES):
        assert client.get(url).status_code == aggregates, url
    for url in _urls(home, ACCESS_LOG):
        assert client.get(url).status_code == log, url


def test_a_user_of_another_association_gets_404_everywhere(home: dict[str, object]) -> None:
    away = testing.association("borta", "Samordningsförbundet Borta")
    stranger = testing.user("bertil", (away, Role.OFFICE_ADMIN), (away, Role.DATA_PROTECTION_OFFICER))
    client = _client(stranger)
    for url in _urls(home, PERSONAL + AGGREGATES + ACCESS_LOG + ("",)):
        assert client.get(url).status_code == 404, url
    assert not AccessLogEntry.objects.exists()


def test_a_registrar_sees_only_her_interventions(home: dict[str, object]) -> None:
    assoc, steg, team_episode = home["assoc"], home["steg"], home["team_episode"]
    assert isinstance(assoc, Association) and isinstance(team_episode, Episode)
    client = _client(testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg]))  # type: ignore[list-item]
    page = client.get("/f/hemma/deltagare/lista/").content.decode()
    assert "S-1" in page
    assert team_episode.shown_key not in page
    assert client.get(f"/f/hemma/deltagare/{team_episode.pk}/").status_code == 404
    assert client.get(f"/f/hemma/deltagare/{team_episode.pk}/avsluta/").status_code == 404
    # A personnummer search finds nothing outside her interventions.
    found = client.post("/f/hemma/deltagare/lista/", {"q": "19121212-1212", "status": "alla"})
    assert "Inga deltagare hittades" in found.content.decode()
    book = load_workbook(io.BytesIO(client.get("/f/hemma/deltagare/lista.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[:2] for r in rows[1:]] == [("STEG", "S-1")]


def test_the_registrar_of_the_other_intervention_finds_the_personnummer(home: dict[str, object]) -> None:
    assoc, team, team_episode = home["assoc"], home["team"], home["team_episode"]
    assert isinstance(team_episode, Episode)
    client = _client(testing.user("tove", (assoc, Role.REGISTRAR), interventions=[team]))  # type: ignore[arg-type,list-item]
    page = client.post("/f/hemma/deltagare/lista/", {"q": "121212+1212", "status": "alla"}).content.decode()
    assert f"/deltagare/{team_episode.pk}/" in page
    assert "19121212" not in page and "1212+1212" not in page.replace("121212+1212", "")


def test_every_read_of_personal_data_is_logged(home: dict[str, object]) -> None:
    assoc, steg, steg_episode = home["assoc"], home["steg"], home["steg_episode"]
    assert isinstance(assoc, Association) and isinstance(steg_episode, Episode)
    ref = referral(steg, "region", dt.date(2023, 1, 2))  # type: ignore[arg-type]
    rita = testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg])  # type: ignore[list-item]
    client = _client(rita)
    client.get("/f/hemma/deltagare/lista/?status=alla")
    client.post("/f/hemma/deltagare/lista/", {"q": "S-1", "status": "alla"})
    client.get(f"/f/hemma/deltagare/{steg_episode.pk}/")
    client.get("/f/hemma/deltagare/lista.xlsx")
    client.get("/f/hemma/deltagare/remisser/")
    entries = list(AccessLogEntry.objects.order_by("id"))
    assert [(e.action, e.record_ids, e.record_type) for e in entries] == [
        ("list", [steg_episode.pk], "episode"),
        ("search", [steg_episode.pk], "episode"),
        ("detail", [steg_episode.pk], "episode"),
        ("export", [steg_episode.pk], "episode"),
        ("referrals", [ref.pk], "referral"),
    ]
    assert {(e.user_id, e.actor, e.address, e.association_id) for e in entries} == {
        (rita.pk, "rita", "10.1.2.3", assoc.pk)
    }
    assert entries[2].path == f"/f/hemma/deltagare/{steg_episode.pk}/"
    # The data protection officer reads the log; the office does not.
    dpo = _client(testing.user("dan", (assoc, Role.DATA_PROTECTION_OFFICER)))
    page = dpo.get("/f/hemma/deltagare/atkomstlogg/").content.decode()
    assert page.count("10.1.2.3") == 5 and "Export" in page and "Detaljvy" in page
    # Aggregate pages are no personal data and are not logged.
    office = _client(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    assert office.get("/f/hemma/deltagare/tabeller/").status_code == 200
    assert AccessLogEntry.objects.count() == 5


def test_the_rating_pages_read_the_shipped_areas_and_write_nothing_else(home: dict[str, object]) -> None:
    assoc, steg, steg_episode = home["assoc"], home["steg"], home["steg_episode"]
    assert isinstance(steg_episode, Episode)
    client = _client(testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg]))  # type: ignore[arg-type,list-item]

    def rows() -> tuple[int, int, int, int]:
        return (
            Instrument.objects.count(),
            Area.objects.count(),
            AuditEntry.objects.count(),
            Rating.objects.count(),
        )

    before = rows()
    assert before[:2] == (1, 5)
    form = client.get(f"/f/hemma/deltagare/{steg_episode.pk}/skatta/").content.decode()
    assert all(name in form for _code, name in services.SHIPPED_AREAS)
    client.get(f"/f/hemma/deltagare/{steg_episode.pk}/")
    assert rows() == before  # only the reads are logged, in the access log
    # Gone (as after a flush): a GET still stores nothing; post_migrate, which a flush sends, restores them.
    Instrument.objects.all().delete()
    client.get(f"/f/hemma/deltagare/{steg_episode.pk}/skatta/")
    assert rows()[:2] == (0, 0)
    emit_post_migrate_signal(0, False, "default")  # as flush sends it
    assert [a.code for a in services.shipped_areas()] == [code for code, _name in services.SHIPPED_AREAS]


def test_a_registrar_cannot_import_rows_of_another_intervention(home: dict[str, object]) -> None:
    assoc, steg = home["assoc"], home["steg"]
    client = _client(testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg]))  # type: ignore[arg-type,list-item]
    header = (
        "insats;deltagare;kön;födelseår;kommun;remittent;remissdatum;inskrivningsdatum;avslutsdatum;"
        "avslutsorsak;försörjning_före;försörjning_efter;år_med_offentlig_försörjning\n"
    )
    rows = "STEG;N-1;man;1990;;;;2023-02-01;;;;;\nTEAM;N-2;man;1990;;;;2023-02-01;;;;;\n"
    upload = io.BytesIO((header + rows).encode("utf-8"))
    upload.name = "fil.csv"
    page = client.post("/f/hemma/deltagare/import/", {"file": upload}).content.decode()
    assert "Filen har 1 fel" in page and "en insats du är registrator för" in page
    assert not Episode.objects.filter(own_key__startswith="N-").exists()
