"""`finsam report goals` on the demo: seed 001's ten commitments, statuses, comments and sentence, and the
structural-work figures of the annual report."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from finsam.core import documents
from finsam.demo import build
from finsam.goals.models import AgeGroup, Commitment, CooperationCase, Response
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db
YEAR_2023 = documents.Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
SEED_SENTENCE = (
    "Tre av de tio målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllda under året, tre mål är inte "
    "uppfyllda, två är delvis uppfyllda och två har inte varit möjliga att få svar på."
)
SEED_STATUSES = [
    ("Uppfyllt", "Förbundet har finansierat två individinriktade insatser under 2023"),
    ("Uppfyllt", "Både Samverkansteamet och IT-spåret har under året gett sina deltagare stöd"),
    ("Ej möjlig att bedöma", "Ej möjlig att besvara på grund av för få svarande"),
    ("Ej möjlig att bedöma", "Ej möjlig att besvara på grund av för få svarande"),
    ("Inte uppfyllt", "Främst förstärkt stöd till målgruppen unga som varken arbetar eller studerar"),
    ("Uppfyllt", "Alla parter har erbjudits stöd. Stöd till implementering ges nu till AME Värnamo kommun."),
    ("Delvis uppfyllt", "Coompanion har i uppdrag att bistå förbundet att ta fram en strategi"),
    ("Delvis uppfyllt", "Antalet anmälningar har ökat. Under året inkom 6 anmälningar"),
    (
        "Inte uppfyllt",
        "Vidareutveckling pågår och fortsätter under 2024. Under 2023 minskade antalet ärenden",
    ),
    ("Inte uppfyllt", "Planerad redovisning i oktober behövde skjutas upp på grund av sjukdom."),
]


@pytest.fixture
def finnveden(demo: dict[str, Association]) -> Association:
    return demo["finnveden"]


def test_the_json_lists_the_ten_commitments_of_seed_001(finnveden: Association) -> None:
    data = json.loads(documents.render(documents.gather("goals", finnveden, YEAR_2023), "json"))
    assert data["association"] == "finnveden" and data["year"] == 2023
    assert len(data["goals"]) == 10
    assert [
        (g["status_label"], g["comment"][: len(c)])
        for g, (_s, c) in zip(data["goals"], SEED_STATUSES, strict=True)
    ] == [(s, c) for s, c in SEED_STATUSES]
    assert data["summary"] == SEED_SENTENCE
    assert data["counts"] == {
        "fulfilled": 3,
        "not_fulfilled": 3,
        "partly_fulfilled": 2,
        "not_assessable": 2,
        "unassessed": 0,
    }
    lex_heller, arena = data["goals"][7], data["goals"][8]
    assert (lex_heller["target"], lex_heller["outcome"], lex_heller["suggested_status"]) == (
        12,
        6,
        "partly_fulfilled",
    )
    assert (arena["target"], arena["outcome"], arena["suggested_status"]) == (100, 45, "not_fulfilled")
    question_six = data["goals"][2]
    assert question_six["measure"] == "fråga 6, Indikatorer för finansiell samverkan"
    assert question_six["target"] == "0.8000" and question_six["outcome"] is None
    assert question_six["outcome_note"] == "för få svar (7, minst 10 behövs)"


def test_the_structural_figures_are_those_of_the_annual_report(finnveden: Association) -> None:
    structural = documents.gather("goals", finnveden, YEAR_2023).data["structural"]
    arena = structural["cooperation"]
    assert (arena["cases"], arena["meetings"], arena["meetings_with_case"]) == (45, 27, 11)
    assert arena["meeting_share"] == "0.4074"  # 11 of 27: as near the report's 40 % as whole meetings go
    parties = {r["key"]: r["share"] for r in arena["referring_party"]}
    assert (parties["income_support"], parties["employment_service"]) == ("0.5500", "0.2000")
    ages = {a["key"]: (a["count"], a["share"]) for a in arena["age_group"]}
    assert (ages["56-"], ages["30-34"]) == ((12, "0.2667"), (9, "0.2000"))  # 27 % and 20 %
    # In age order, whatever their counts.
    assert [a["key"] for a in arena["age_group"] if a["key"]] == [k for k, _label in AgeGroup.choices if k]
    assert structural["deviation_reports"]["reports"] == 6
    webcasts = next(k for k in structural["events"]["kinds"] if k["kind"] == "webcast")
    assert (webcasts["events"], webcasts["unique_viewers"]) == (7, 400)


def test_the_survey_results_show_the_minimum_both_ways(finnveden: Association) -> None:
    surveys = documents.gather("goals", finnveden, YEAR_2023).data["surveys"]
    shown = [(s["questionnaire"], s["position"]) for s in surveys if not s["too_few"]]
    hidden = [(s["questionnaire"], s["position"]) for s in surveys if s["too_few"]]
    assert shown == [("Deltagare under insatsen", p) for p in (1, 2, 3, 4)]
    assert ("Deltagare under insatsen", 5) in hidden and ("Deltagare vid avslut", 1) in hidden
    assert all(s["share"] is None for s in surveys if s["too_few"])
    assert surveys[3]["share"] == "0.8333"  # 10 of 12 answered 5 or 6


def test_loading_the_demo_twice_changes_nothing(finnveden: Association) -> None:
    counts = (Commitment.objects.count(), CooperationCase.objects.count(), Response.objects.count())
    build.load()
    assert (Commitment.objects.count(), CooperationCase.objects.count(), Response.objects.count()) == counts


def test_the_xlsx_and_html_hold_the_table_and_the_sentence(finnveden: Association) -> None:
    gathered = documents.gather("goals", finnveden, YEAR_2023)
    assert gathered.document.filename == "maluppfyllelse-finnveden-2023-01-01-2023-12-31"
    html = documents.render(gathered, "html").decode()
    assert SEED_SENTENCE in html and "Delvis uppfyllt" in html and "för få svar" in html
    book = load_workbook(io.BytesIO(documents.render(gathered, "xlsx")))
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert "Ej möjlig att bedöma" in cells
    assert any(isinstance(v, str) and v.startswith("Vidareutveckla och informera om ARENA") for v in cells)
