"""The national export, its import and roll-up on rows of their own: signing, refusals, replacement, hostile
files, exports of schema v1 from an older finsam, the command's messages and the national reader's pages."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from finsam import cli, testing
from finsam.accounts.roles import Role
from finsam.core.audit import Actor
from finsam.core.models import AuditEntry
from finsam.national import files, services, signing
from finsam.national.export import SCHEMA
from finsam.national.files import ExportRefused
from finsam.national.models import ExportLog, ReceivedExport, RegisteredKey
from finsam.national.rollup import roll_up
from finsam.organisation.classification import UNSPECIFIED
from finsam.organisation.models import Association, Intervention, Member
from finsam.participants import outcomes
from finsam.participants.outcome_counts import BANDS
from finsam.participants.tests.factories import episode

pytestmark = pytest.mark.django_db
ACTOR = Actor.command("test")


@pytest.fixture(autouse=True)
def _keys(settings: Settings, tmp_path: Path) -> None:
    settings.NATIONAL_KEY_DIR = tmp_path / "nycklar"


def _association(slug: str = "testdalen") -> Association:
    assoc = testing.association(slug, f"Samordningsförbundet {slug.title()}")
    Member.objects.create(
        association=assoc, code="RJL", name="Region Jönköpings län", kind=Member.Kind.REGION
    )
    steg = testing.intervention(assoc)
    Intervention.objects.filter(pk=steg.pk).update(purpose="work", target_groups="long_term_sick|young")
    for n in range(7):
        if n < 5:
            exited = dt.date(2023, 9, 1)
            episode(steg, f"k{n}", exited=exited, reason="arbete", years="4.0", occupation_after="arbete")
        else:
            episode(steg, f"k{n}")
    for n in range(3):
        episode(steg, f"m{n}", gender="man")
    return assoc


def _write(tmp_path: Path, document: dict[str, Any], name: str) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _state() -> tuple[int, int, int, list[str]]:
    digests = list(ReceivedExport.objects.values_list("digest", flat=True))
    return RegisteredKey.objects.count(), ReceivedExport.objects.count(), AuditEntry.objects.count(), digests


def test_an_export_is_signed_valid_suppressed_and_logged(settings: Settings) -> None:
    assoc = _association()
    signed = services.export(assoc, dt.date(2023, 1, 1), dt.date(2023, 12, 31), ACTOR)
    files.validate(signed)
    active = signed["interventions"][0]["participants"]["active"]
    # Three men hidden, and with them another figure of the row, which would give them away; every figure
    # published is the true one.
    assert active["men"] is None
    truth = {"women": 7, "men": 3, "other": 0, "total": 10}
    assert all(value in (None, truth[key]) for key, value in active.items())
    assert signed["interventions"][0]["participants"]["exited"]["women"] == 5
    assert signed["schema"] == "finsam-national-export-v2"
    assert signed["interventions"][0]["classification"] == {
        "orientation": "individual",
        "precise_orientation": "work",
        "target_groups": ["long_term_sick", "young"],
        "follow_up": "person",
        "esf": False,
    }
    # The outcome report as the association publishes it, per intervention and in total.
    report = outcomes.outcome_report(assoc, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    (published,) = report["interventions"]
    assert signed["interventions"][0]["outcomes"] == {
        k: v for k, v in published.items() if k not in ("code", "name")
    }
    assert signed["total"]["outcomes"] == report["total"]
    steg_outcomes = signed["interventions"][0]["outcomes"]
    assert steg_outcomes["exited"] == {"women": 5, "men": 0, "other": 0, "total": 5}
    assert steg_outcomes["employment"]["after"]["women"] == 5
    assert steg_outcomes["years_on_support"]["mean"]["women"] == "4.0"
    assert signed["association"]["county"] == "Jönköpings län"
    assert signed["money"] is None  # no ledger here
    raw = signing.public_bytes(signing.private_key(assoc.slug).public_key())
    assert signed["signer"]["fingerprint"] == signing.fingerprint(raw)
    assert signing.verify(signed, raw)
    key_file = signing.key_path(assoc.slug)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    log = ExportLog.objects.get(association=assoc)
    assert (log.start, log.end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert AuditEntry.objects.filter(action="national.exported", object_id=str(log.pk)).count() == 1
    # A second export signs with the same key.
    again = services.export(assoc, dt.date(2023, 2, 1), dt.date(2023, 5, 31), ACTOR)
    assert again["signer"] == signed["signer"]
    assert again["period"] == {"from": "2023-01-01", "to": "2023-06-30"}


def test_the_signed_bytes_are_the_canonical_form_without_the_signature() -> None:
    document = {"b": [1, {"ö": None, "a": "x"}], "a": True, "signature": "ignored"}
    assert signing.canonical(document) == '{"a":true,"b":[1,{"a":"x","ö":null}]}'.encode()


def test_import_registers_the_key_then_refuses_tampered_unsigned_and_foreign_files(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assoc = _association()
    signed = services.export(assoc, dt.date(2023, 1, 1), dt.date(2023, 12, 31), ACTOR)
    good = _write(tmp_path, signed, "bra.json")
    assert cli.main(["national", "import", str(good)]) == 0
    out = capsys.readouterr().out
    assert "nyckeln är registrerad" in out and signed["signer"]["fingerprint"] in out
    before = _state()
    assert cli.main(["national", "import", str(good)]) == 0  # idempotent
    assert "redan mottagen" in capsys.readouterr().out
    assert _state() == before

    tampered = json.loads(json.dumps(signed))
    tampered["interventions"][0]["participants"]["active"]["women"] = 8
    unsigned = {k: v for k, v in signed.items() if k != "signature"}
    settings.NATIONAL_KEY_DIR = tmp_path / "en-annan"  # the same association, another key
    foreign = services.export(assoc, dt.date(2023, 1, 1), dt.date(2023, 12, 31), ACTOR)
    cases = {
        "ändrad.json": (tampered, "signaturen stämmer inte"),
        "osignerad.json": (unsigned, "exporten är inte signerad"),
        "främmande.json": (foreign, "signerad med en annan nyckel"),
    }
    before = _state()
    for name, (document, message) in cases.items():
        path = _write(tmp_path, document, name)
        assert cli.main(["national", "import", str(path)]) == 1
        err = capsys.readouterr().err
        assert message in err and "tas inte emot" in err, err
        assert _state() == before


def test_a_newer_export_of_the_period_replaces_the_older_and_an_older_changes_nothing(tmp_path: Path) -> None:
    assoc = _association()
    first = services.export(assoc, dt.date(2023, 1, 1), dt.date(2023, 12, 31), ACTOR)
    steg = assoc.interventions.get()
    for n in range(5):
        episode(steg, f"ny{n}", gender="man")
    second = services.export(assoc, dt.date(2023, 1, 1), dt.date(2023, 12, 31), ACTOR)
    second_path = _write(tmp_path, second, "2.json")
    assert services.receive(_write(tmp_path, first, "1.json"), ACTOR).outcome == "registered"
    assert services.receive(second_path, ACTOR).outcome == "replaced"
    kept = ReceivedExport.objects.get()
    assert kept.document["interventions"][0]["participants"]["active"]["men"] == 8
    assert services.receive(tmp_path / "1.json", ACTOR).outcome == "older"
    assert ReceivedExport.objects.get().digest == kept.digest
    assert AuditEntry.objects.filter(action="national.export_replaced").count() == 1


def _as_v1(signed: dict[str, Any], slug: str) -> dict[str, Any]:
    """The export as a finsam before schema v2 wrote it: no classification, no outcomes; signed anew."""
    body = {k: v for k, v in signed.items() if k != "signature"}
    body["schema"] = "finsam-national-export-v1"
    body["interventions"] = [
        {k: v for k, v in i.items() if k not in ("classification", "outcomes")} for i in body["interventions"]
    ]
    body["total"] = {k: v for k, v in body["total"].items() if k != "outcomes"}
    return signing.sign(body, signing.private_key(slug))


def test_an_export_of_schema_v1_is_still_taken_in_and_rolls_up_without_outcomes(tmp_path: Path) -> None:
    older, newer = _association("aldredalen"), _association("nyadalen")
    end = dt.date(2023, 12, 31)
    v1 = _as_v1(services.export(older, dt.date(2023, 1, 1), end, ACTOR), older.slug)
    files.validate(v1)
    v2 = services.export(newer, dt.date(2023, 1, 1), end, ACTOR)
    mixed = json.loads(json.dumps(v1))
    mixed["total"]["outcomes"] = v2["total"]["outcomes"]  # v2's members are not v1's
    with pytest.raises(ExportRefused, match="följer inte schemat finsam-national-export-v1 vid total"):
        files.validate(signing.sign(mixed, signing.private_key(older.slug)))
    assert services.receive(_write(tmp_path, v1, "v1.json"), ACTOR).outcome == "registered"
    assert services.receive(_write(tmp_path, v2, "v2.json"), ACTOR).outcome == "registered"

    rollup = roll_up(end)
    assert rollup.without_outcomes == [older.name]
    (older_row,) = [r for r in rollup.associations if r.label == older.name]
    assert older_row.outcomes is None
    assert rollup.national.outcomes is not None
    assert [s.json() for s in rollup.national.outcomes[:3]] == [
        {"known": 5, "hidden": 0},  # exited: the newer association's five women, the older's unknown
        {"known": 5, "hidden": 0},
        {"known": 0, "hidden": 0},
    ]
    # By orientation: both count (v1 by its kind); by precise orientation, v1's is unspecified.
    individual = rollup.orientations[0]
    assert individual.counts[5].json() == {"known": 10, "hidden": 0}  # five exited in each
    precise = {r.label: (r.counts[5].json(), r.outcomes) for r in rollup.precise_orientations}  # exited
    assert precise == {
        "Individinriktade: arbetslivsinriktad rehabilitering": (
            {"known": 5, "hidden": 0},
            individual.outcomes,
        ),
        "Individinriktade: ej angiven": ({"known": 5, "hidden": 0}, None),  # v1: outcomes unknown
    }


def test_an_export_written_by_a_finsam_before_schema_v2_is_taken_in(tmp_path: Path) -> None:
    older = Path(__file__).resolve().parent / "data" / "export-v1-exempeldalen.json"
    received = services.receive(older, ACTOR)
    assert (received.slug, received.outcome) == ("exempeldalen", "registered")
    rollup = roll_up(dt.date(2023, 12, 31))
    assert [(r.label, r.county, r.outcomes) for r in rollup.associations] == [
        ("Samordningsförbundet Exempeldalen", "Kronobergs län", None)
    ]
    assert rollup.without_outcomes == ["Samordningsförbundet Exempeldalen"]
    assert rollup.national.counts[5].json() == {"known": 11, "hidden": 0}  # exited
    assert rollup.national.outcomes is None  # unknown, not 0
    assert [(r.label, r.outcomes) for r in rollup.precise_orientations] == [
        ("Individinriktade: ej angiven", None)
    ]


def test_the_schema_v2_names_every_code_of_the_classification_and_the_outcomes() -> None:
    defs = json.loads((files.SCHEMA_FOLDER / files.SCHEMAS[SCHEMA]).read_text())["$defs"]
    named = defs["classification"]["properties"]
    assert set(named["precise_orientation"]["enum"]) == {
        *(p for p in Intervention.Purpose.values if p),
        UNSPECIFIED,
    }
    assert set(named["target_groups"]["items"]["enum"]) == set(Intervention.TargetGroup.values)
    assert named["follow_up"]["enum"] == list(Intervention.FollowUp.values)
    tables = defs["outcome_tables"]["properties"]
    assert tables["income_support"]["properties"]["rows"]["items"]["properties"]["before"]["enum"] == (
        outcomes.SUPPORT
    )
    bands = tables["time_in_intervention"]["properties"]["bands"]["required"]
    assert bands == [*(key for key, _last, _label in BANDS), "total"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 5000 + b"]" * 5000, "nästlad djupare"),
        (b'{"schema": "finsam-national-export-v1", "schema": "x"}', "förekommer två gånger"),
        (b'{"a": 1.5}', "inget heltal"),
        (b'{"a": NaN}', "inget heltal"),
        (b"\xff\xfe", "inte UTF-8"),
        (b"{", "ingen JSON"),
        (b'{"schema": "finsam-national-export-v1", "signature": "x"}', "följer inte schemat"),
        (b'{"schema": "finsam-national-export-v2", "signature": "x"}', "följer inte schemat"),
        (b'{"schema": "finsam-national-export-v3", "signature": "x"}', "ingen nationell export"),
    ],
)
def test_hostile_files_are_refused_with_a_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "fil.json"
    path.write_bytes(content)
    with pytest.raises(ExportRefused, match=message):
        services.receive(path, ACTOR)
    assert ReceivedExport.objects.count() == 0


def test_a_file_over_the_limit_is_refused_while_it_is_read(tmp_path: Path, settings: Settings) -> None:
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "national": 1000}
    path = tmp_path / "stor.json"
    path.write_bytes(b" " * 1001)
    with pytest.raises(ExportRefused, match="större än"):
        files.read(path)


def test_the_national_reader_sees_the_roll_up_and_no_one_else(tmp_path: Path, client: Client) -> None:
    assoc = _association()
    services.receive(
        _write(tmp_path, services.export(assoc, dt.date(2023, 1, 1), dt.date(2023, 12, 31), ACTOR), "e.json"),
        ACTOR,
    )
    office = testing.user("kansli", (assoc, Role.OFFICE_ADMIN))
    reader = testing.user("nationell", (assoc, Role.NATIONAL))
    client.force_login(office)
    assert client.get("/nationellt/").status_code == 404
    assert client.get("/nationellt/sammanstallning.json?datum=2023-12-31").status_code == 404
    client.force_login(reader)
    page = client.get("/nationellt/").content.decode()
    assert "Nationell sammanställning" in page and "Jönköpings län" in page
    assert "minst 0, 1 dolda" in page  # the men hidden
    assert "Utfall per förbund" in page and "Arbetslivsinriktad rehabilitering".lower() in page
    assert client.get(f"/f/{assoc.slug}/").status_code == 403  # nothing of the association itself
    data = json.loads(client.get("/nationellt/sammanstallning.json?datum=2023-12-31").content)
    assert data["national"]["counts"]["active.men"] == {"known": 0, "hidden": 1}
    assert data["national"]["counts"]["exited.women"] == {"known": 5, "hidden": 0}
    assert data["national"]["outcomes"]["employment.after.total"] == {"known": 5, "hidden": 0}
    xlsx = client.get("/nationellt/sammanstallning.xlsx?datum=2023-12-31")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/nationellt/sammanstallning.json?datum=2023-05-31").status_code == 404
