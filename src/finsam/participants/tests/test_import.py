"""The participant import's error cases: every bad row named, nothing stored; file forms Excel writes."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from finsam import testing
from finsam.core.audit import Actor
from finsam.core.imports import ImportRejected
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association, Intervention
from finsam.participants import imports
from finsam.participants.models import Episode, Referral

pytestmark = pytest.mark.django_db

HEADER = (
    "insats;deltagare;kön;födelseår;kommun;remittent;remissdatum;inskrivningsdatum;avslutsdatum;avslutsorsak;"
    "försörjning_före;försörjning_efter;år_med_offentlig_försörjning"
)
GOOD = "STEG;A-1;kvinna;1990;Askeby;kommun;2025-01-02;2025-01-10;;;ekonomiskt_bistånd;;2,5"


@pytest.fixture
def association() -> Association:
    assoc = testing.association("exempel", "Samordningsförbundet Exempeldalen")
    testing.intervention(assoc, "STEG")
    testing.intervention(assoc, "KOMP", kind=Intervention.Kind.STRUCTURAL)
    return assoc


def run(
    association: Association, text: str, *, encoding: str = "utf-8", name: str = "fil.csv"
) -> imports.Plan:
    return imports.plan(text.encode(encoding), name, association)


def problems(association: Association, text: str) -> list[tuple[int | None, str | None, object, str]]:
    with pytest.raises(ImportRejected) as caught:
        run(association, text)
    return [(p.line, p.column, p.value, p.expected) for p in caught.value.problems]


def test_every_bad_value_is_named_and_nothing_is_stored(association: Association) -> None:
    text = "\n".join(
        [
            HEADER,
            GOOD,
            "STEGG;A-2;kvinna;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;",  # unknown intervention
            "KOMP;A-3;kvinna;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;",  # structural
            "STEG;A-4;kvinnan;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;",  # gender
            "STEG;A-5;man;19xx;Askeby;kommun;2025-01-02;2025-01-10;;;;;",  # birth year
            "STEG;A-6;man;1990;Askeby;kommunen;2025-01-02;2025-01-10;;;;;",  # source
            "STEG;A-7;man;1990;Askeby;kommun;2025-01-02;10/1/2025;;;;;",  # date
            "STEG;A-8;man;1990;Askeby;kommun;2025-01-02;2025-01-10;2025-01-05;arbete;;;",  # exits before
            "STEG;A-9;man;1990;Askeby;kommun;2025-01-02;2025-01-10;2025-02-01;;;;",  # exit without reason
            "STEG;A-10;man;1990;Askeby;kommun;2025-01-02;2025-01-10;;;sjukpenning|lönn;;",  # income code
            "STEG;A-11;man;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;tre",  # years
            "STEG;19121212-1213;man;1912;Askeby;kommun;2025-01-02;2025-01-10;;;;;",  # check digit
            "STEG;;man;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;",  # no key
            "STEG;A-1;kvinna;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;",  # duplicate of line 2
            # Years Decimal() reads but no comparison survives (fuzzing, seed 3, input 9 109: "NaN9")
            "STEG;A-12;man;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;NaN9",
            "STEG;A-13;man;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;Infinity",
            "STEG;A-14;man;1990;Askeby;kommun;2025-01-02;2025-01-10;;;;;1e1",
            # A municipality longer than its column: saving it raised ValidationError (a 500 on the web)
            "STEG;A-15;man;1990;" + "A" * 61 + ";kommun;2025-01-02;2025-01-10;;;;;",
        ]
    )
    found = problems(association, text)
    by_line = {line: (column, value) for line, column, value, _expected in found}
    assert by_line == {
        3: ("insats", "STEGG"),
        4: ("insats", "KOMP"),
        5: ("kön", "kvinnan"),
        6: ("födelseår", "19xx"),
        7: ("remittent", "kommunen"),
        8: ("inskrivningsdatum", "10/1/2025"),
        9: ("avslutsdatum", "2025-01-05"),
        10: ("avslutsorsak", ""),
        11: ("försörjning_före", "sjukpenning|lönn"),
        12: ("år_med_offentlig_försörjning", "tre"),
        13: ("deltagare", "********-****"),
        14: ("deltagare", ""),
        15: ("deltagare", "A-1"),
        16: ("år_med_offentlig_försörjning", "NaN9"),
        17: ("år_med_offentlig_försörjning", "Infinity"),
        18: ("år_med_offentlig_försörjning", "1e1"),
        19: ("kommun", "A" * 61),
    }
    expected = {line: text for line, _c, _v, text in found}
    assert "STEG" in expected[3]
    assert "kvinna, man, annat" in expected[5]
    assert "ÅÅÅÅ-MM-DD" in expected[8]
    assert "kontrollsiffran ska vara 2" in expected[13]
    assert "rad 2" in expected[15]
    assert "högst 60 tecken" in expected[19]
    assert Episode.objects.count() == 0
    assert Referral.objects.count() == 0


def test_the_command_message_names_line_column_value_and_expectation(association: Association) -> None:
    with pytest.raises(ImportRejected) as caught:
        run(association, f"{HEADER}\nSTEG;A-1;kvinnan;1990;;;;2025-01-10;;;;;")
    message = str(caught.value)
    assert "fil.csv: 1 fel, inget har ändrats" in message
    assert "rad 2, kolumn kön: 'kvinnan' – förväntade en av kvinna, man, annat" in message


def test_a_nul_in_a_field_is_refused_naming_its_line_and_column(association: Association) -> None:
    # PostgreSQL stores no NUL in a text: saving the episode failed with a traceback (fuzzing on PostgreSQL,
    # seed 5, participants CSV input 237), while SQLite kept it.
    text = f"{HEADER}\n{GOOD}\n" + GOOD.replace("A-1", "A-2").replace("Askeby", "Ask\0eby")
    with pytest.raises(ImportRejected) as caught:
        run(association, text)
    assert "rad 3, kolumn 5: tecknet NUL" in str(caught.value)
    assert Episode.objects.count() == 0


def test_missing_and_unknown_columns_are_named(association: Association) -> None:
    header = HEADER.replace(";kommun;", ";kommmun;")
    found = problems(association, f"{header}\n{GOOD}")
    assert (1, "kommmun", "kommmun") in [(line, column, value) for line, column, value, _e in found]
    assert (1, "kommun", None) in [(line, column, value) for line, column, value, _e in found]


def test_headers_ignore_case_and_accents_and_values_their_case(association: Association) -> None:
    header = HEADER.upper().replace("KÖN", "Kon").replace("FÖDELSEÅR", "fodelsear")
    plan = run(
        association,
        f"{header}\nsteg;A-1;Kvinna;1990;Askeby;Kommun;2025-01-02;2025-01-10;;;Ekonomiskt_Bistånd;;2.5",
    )
    (row,) = plan.rows
    assert (row.episode.gender, row.episode.income_before) == ("kvinna", "ekonomiskt_bistånd")
    assert str(row.episode.years_on_support) == "2.5"


def test_excel_csv_with_commas_in_windows_1252(association: Association) -> None:
    text = f"{HEADER}\n{GOOD}".replace(";", ",").replace("2,5", '"2,5"')
    plan = run(association, text, encoding="cp1252")
    (row,) = plan.rows
    assert row.episode.municipality == "Askeby"
    assert row.episode.income_before == "ekonomiskt_bistånd"
    assert str(row.episode.years_on_support) == "2.5"


def test_xlsx_first_sheet_with_real_dates(association: Association, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "STEG",
            "A-1",
            "man",
            1990,
            "Brovik",
            "region",
            dt.datetime(2025, 1, 2, tzinfo=None),  # noqa: DTZ001 as openpyxl gives it
            dt.date(2025, 1, 10),
            dt.date(2025, 3, 1),
            "arbetsrehabilitering",
            "sjukpenning",
            "aktivitetsstöd",
            4.5,
        ]
    )
    book.create_sheet("Annat")
    out = io.BytesIO()
    book.save(out)
    path = tmp_path / "deltagare.xlsx"
    path.write_bytes(out.getvalue())
    result = imports.import_participants(path, association, Actor(user=None, label="test"))
    assert result.created == 1
    episode = Episode.objects.get()
    assert (episode.enrolled_on, episode.exited_on, episode.birth_year) == (
        dt.date(2025, 1, 10),
        dt.date(2025, 3, 1),
        1990,
    )
    assert episode.referral is not None and episode.referral.source == "region"
    assert str(episode.years_on_support) == "4.5"


def test_anonymous_participants_keep_only_gender_and_dates(association: Association, tmp_path: Path) -> None:
    path = tmp_path / "anonym.csv"
    path.write_text(f"{HEADER};anonym\n{GOOD};ja\n", encoding="utf-8")
    imports.import_participants(path, association, Actor(user=None, label="test"))
    episode = Episode.objects.get()
    assert episode.legal_basis == "anonym"
    assert (episode.own_key, episode.birth_year, episode.municipality, episode.income_before) == (
        "",
        None,
        "",
        "",
    )
    assert episode.years_on_support is None
    assert (episode.gender, episode.enrolled_on) == ("kvinna", dt.date(2025, 1, 10))


def test_the_audit_trail_names_fields_never_values(association: Association, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        f"{HEADER}\nSTEG;19121212-1212;kvinna;1912;Askeby;kommun;2025-01-02;2025-01-10;;;sjukpenning;;6\n",
        encoding="utf-8",
    )
    imports.import_participants(path, association, Actor(user=None, label="test"))
    entries = list(AuditEntry.objects.filter(association=association))
    assert {e.action for e in entries} == {"episode.create", "referral.create", "participants.import"}
    text = repr([(e.object_repr, e.before, e.after) for e in entries])
    for secret in ("19121212", "1912", "Askeby", "sjukpenning", Episode.objects.get().participant_key):
        assert secret not in text
