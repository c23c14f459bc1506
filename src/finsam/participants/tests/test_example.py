"""The worked example (testdata/examples): organisation file and participant file give expected.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from finsam import testing
from finsam.core.tests.test_cli import finsam
from finsam.organisation import orgfile
from finsam.participants import figures
from finsam.participants.imports import import_participants
from finsam.participants.models import Episode, KeyKind
from finsam.testdata import EXAMPLES

PERIOD = "participants --date 2025-06-30 (from 2025-01-01)"


def expected() -> dict[str, dict[str, dict[str, int]]]:
    data = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))[PERIOD]
    return {code: {k: v for k, v in entry.items() if k != "note"} for code, entry in data.items()}


@pytest.mark.django_db
def test_the_example_file_gives_the_expected_table() -> None:
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    result = import_participants(EXAMPLES / "deltagare-2025.csv", association, testing.SYSTEM)
    assert (result.created, result.updated, result.unchanged) == (13, 0, 0)
    data = figures.gathered(association, dt.date(2025, 1, 1), dt.date(2025, 6, 30)).data
    assert data["association"] == "exempel"
    assert (data["from"], data["to"]) == ("2025-01-01", "2025-06-30")
    got = {
        entry["code"]: {k: entry[k] for k in ("participating", "exited", "exit_reasons")}
        for entry in data["interventions"]
    }
    assert got == expected()
    steg = data["interventions"][0]
    assert steg["exit_reasons_detail"] == {
        "arbete": 1,
        "studier": 0,
        "arbetsrehabilitering": 0,
        "sjukdom": 1,
        "egen_begäran": 1,
        "åter_remittent": 0,
        "annat": 0,
    }
    assert data["total"]["participating"] == {"women": 6, "men": 3, "other": 1}
    assert data["total"]["exited"] == {"women": 4, "men": 1, "other": 0}
    assert data["total"]["exit_reasons"] == {
        "work_or_studies": 1,
        "continued_rehabilitation": 1,
        "illness": 1,
        "other": 2,
    }
    # The personnummer of the example is kept only as a pseudonym.
    team = Episode.objects.get(intervention__code="TEAM", key_kind=KeyKind.PERSONAL_NUMBER)
    assert team.own_key == ""
    assert "1212" not in team.participant_key and len(team.participant_key) == 64
    assert not Episode.objects.filter(own_key__contains="19121212").exists()


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing() -> None:
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    import_participants(EXAMPLES / "deltagare-2025.csv", association, testing.SYSTEM)
    before = list(Episode.objects.order_by("pk").values())
    again = import_participants(EXAMPLES / "deltagare-2025.csv", association, testing.SYSTEM)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 13)
    assert list(Episode.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_a_corrected_file_updates_the_episodes_it_names(tmp_path: Path) -> None:
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    import_participants(EXAMPLES / "deltagare-2025.csv", association, testing.SYSTEM)
    text = (EXAMPLES / "deltagare-2025.csv").read_bytes().decode("cp1252")
    # S-02 exits in May to studies; the example's personnummer row gets its exit too.
    text = text.replace(
        "STEG;S-02;man;1999;Askeby;arbetsförmedlingen;2024-11-04;2024-11-18;;;",
        "STEG;S-02;man;1999;Askeby;arbetsförmedlingen;2024-11-04;2024-11-18;2025-05-15;studier;",
    )
    corrected = tmp_path / "rättad.csv"
    corrected.write_bytes(text.encode("cp1252"))
    result = import_participants(corrected, association, testing.SYSTEM)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 12)
    assert result.details == ["rad 3: ändrade avslutsdatum, avslutsorsak"]
    data = figures.gathered(association, dt.date(2025, 1, 1), dt.date(2025, 6, 30)).data
    steg = data["interventions"][0]
    assert steg["exited"] == {"women": 3, "men": 1, "other": 0}
    assert steg["exit_reasons"]["work_or_studies"] == 2
    assert Episode.objects.count() == 13


def test_the_command_line_gives_the_expected_json(tmp_path: Path) -> None:
    setup = finsam(tmp_path, "setup", str(EXAMPLES / "organisation.yaml"))
    assert setup.returncode == 0, setup.stderr
    imported = finsam(
        tmp_path, "import", "participants", str(EXAMPLES / "deltagare-2025.csv"), "--association", "exempel"
    )
    assert imported.returncode == 0, imported.stderr
    assert "13 nya, 0 ändrade, 0 borttagna, 0 oförändrade" in imported.stdout
    again = finsam(
        tmp_path, "import", "participants", str(EXAMPLES / "deltagare-2025.csv"), "--association", "exempel"
    )
    assert "0 nya, 0 ändrade, 0 borttagna, 13 oförändrade" in again.stdout
    out = finsam(tmp_path, "report", "participants", "--association", "exempel", "--date", "2025-06-30")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    got = {
        e["code"]: {k: e[k] for k in ("participating", "exited", "exit_reasons")}
        for e in data["interventions"]
    }
    assert got == expected()
    assert set(data["total"]) >= {"participating", "exited", "exit_reasons"}
    for fmt in ("html", "xlsx"):
        written = finsam(
            tmp_path,
            "report",
            "participants",
            "--association",
            "exempel",
            "--date",
            "2025-06-30",
            "--format",
            fmt,
            "--output",
            str(tmp_path / f"deltagare.{fmt}"),
        )
        assert written.returncode == 0, written.stderr
    html = (tmp_path / "deltagare.html").read_text(encoding="utf-8")
    assert "Deltagare per insats och kön" in html and "Samverkansteamet" in html
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "deltagare.xlsx")
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    women = next(r for r in rows if r[0] == "Deltagande kvinnor")
    assert tuple(women[1:4]) == (3, 3, 6)
