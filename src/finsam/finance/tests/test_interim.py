"""The interim figures (finance.interim, ADR 0024): members' contributions and known yearly amounts accrued to
the period, retained equity the budget uses kept out of its result, and the year's forecast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finsam import testing
from finsam.core.documents import Period
from finsam.finance import budget, interim, sie_import, statements
from finsam.finance.documents import balance_sheet, income_statement
from finsam.finance.interim import PREPAID_COSTS, PREPAID_INCOME, Share
from finsam.organisation import orgfile
from finsam.organisation.models import Association

JUNE, DECEMBER = dt.date(2023, 6, 30), dt.date(2023, 12, 31)

ORGANISATION = """
association: {slug: periodalen, name: Samordningsförbundet Periodalen}
members:
  - {code: FK, name: Staten gm Försäkringskassan, kind: state}
  - {code: REG, name: Region Periodalen, kind: region}
  - {code: ASK, name: Askeby kommun, kind: municipality, population: 30000, population_date: 2022-11-01}
  - {code: BRO, name: Broby kommun, kind: municipality, population: 10000, population_date: 2022-11-01}
contributions:
  - {year: 2023, total: 400000, decided_on: 2022-11-24}
income_statement:
  - {code: ASK, name: Askeby kommun, section: income, accounts: "3611", member: ASK}
  - {code: BRO, name: Broby kommun, section: income, accounts: "3612", member: BRO}
  - {code: REG, name: Region Periodalen, section: income, accounts: "3620", member: REG}
  - {code: FK, name: Staten gm Försäkringskassan, section: income, accounts: "3630", member: FK}
  - {code: BALANSERAT, name: Balanserat resultat, section: income, accounts: "3999", use_of_equity: true}
  - {code: REVISION, name: Revision, section: administration, accounts: "6420", yearly_amount: true}
  - {code: OVRIGT, name: Övrigt, section: operations, accounts: "4000-7999"}
balance_sheet:
  - {code: KASSA, name: Kassa och bank, section: assets, accounts: "1900-1999"}
  - {code: SKULDER, name: Kortfristiga skulder, section: liabilities, accounts: "2400-2999"}
"""
# The municipalities and the region pay the whole year in January, the state half; the audit is paid in March.
LEDGER = """#FLAGGA 0
#FORMAT PC8
#GEN 20230801
#SIETYP 4
#FNAMN "Periodalen"
#RAR 0 20230101 20231231
#IB 0 1930 500000.00
#IB 0 2010 -500000.00
#VER A 1 20230115 "Medlemsbidrag"
{
#TRANS 1930 {} 300000.00
#TRANS 3611 {} -75000.00
#TRANS 3612 {} -25000.00
#TRANS 3620 {} -100000.00
#TRANS 3630 {} -100000.00
}
#VER A 2 20230310 "Revision"
{
#TRANS 6420 {} 40000.00
#TRANS 1930 {} -40000.00
}
#VER A 3 20230420 "Kostnader"
{
#TRANS 5010 {} 60000.00
#TRANS 1930 {} -60000.00
}
"""
BUDGET = """rad;år;typ;belopp
FK;2023;budget;200 000
REG;2023;budget;100 000
ASK;2023;budget;75 000
BRO;2023;budget;25 000
BALANSERAT;2023;budget;500 000
REVISION;2023;budget;40 000
OVRIGT;2023;budget;420 000
OVRIGT;2023;prognos;380 000
"""


@pytest.fixture
def periodalen(tmp_path: Path) -> Association:
    for name, text, encoding in (
        ("org.yaml", ORGANISATION, "utf-8"),
        ("books.se", LEDGER, "cp437"),
        ("budget.csv", BUDGET, "utf-8"),
    ):
        (tmp_path / name).write_text(text, encoding=encoding)
    association = orgfile.setup(tmp_path / "org.yaml", testing.SYSTEM)
    sie_import.import_file(tmp_path / "books.se", association, testing.SYSTEM)
    budget.import_file(tmp_path / "budget.csv", association, testing.SYSTEM)
    return association


def test_the_share_of_the_year_is_whole_months_at_a_month_end_else_days() -> None:
    start, end = dt.date(2023, 1, 1), DECEMBER
    assert Share.of_period(start, JUNE, end) == Share(6, 12, months=True)
    assert Share.of_period(start, dt.date(2023, 6, 15), end) == Share(166, 365, months=False)
    assert Share(7, 12, months=True).of_amount(Decimal(100000)) == Decimal("58333.33")
    assert Share(6, 12, months=True).of_amount(Decimal("161300")) == Decimal("80650.00")


@pytest.mark.django_db
def test_contributions_and_known_yearly_costs_are_accrued_to_the_period(periodalen: Association) -> None:
    statement = statements.income_statement(periodalen, JUNE)
    figures = interim.of(statement)
    accrued = {a.code: (a.basis, a.yearly, a.booked, a.accrued) for a in figures.accruals}
    # Half of each member's part of the 400 000 decided, whatever was booked; the audit from its forecast.
    assert accrued == {
        "ASK": ("contribution", Decimal(75000), Decimal(75000), Decimal(37500)),
        "BRO": ("contribution", Decimal(25000), Decimal(25000), Decimal(12500)),
        "REG": ("contribution", Decimal(100000), Decimal(100000), Decimal(50000)),
        "FK": ("contribution", Decimal(200000), Decimal(100000), Decimal(100000)),
        "REVISION": ("yearly", Decimal(40000), Decimal(40000), Decimal(20000)),
    }
    assert figures.decision is not None and figures.decision.amount == Decimal(400000)
    # The booked totals keep their meaning; the period's own are beside them.
    assert statement.totals["result"]["outcome_to_date"] == Decimal(200000) == figures.booked_result
    totals = figures.totals
    assert totals["income"]["outcome_to_date"] == Decimal(200000)
    assert totals["costs"]["outcome_to_date"] == Decimal(80000)
    assert totals["result"]["outcome_to_date"] == Decimal(120000)
    # Income booked ahead is prepaid income, a cost booked ahead a prepaid cost.
    assert figures.balance_lines() == [
        (PREPAID_COSTS, "assets", Decimal(20000)),
        (PREPAID_INCOME, "liabilities", Decimal(100000)),
    ]


@pytest.mark.django_db
def test_retained_equity_the_budget_uses_is_no_income_and_the_forecast_follows(
    periodalen: Association,
) -> None:
    figures = interim.of(statements.income_statement(periodalen, JUNE))
    assert figures.equity_use == {"budget": Decimal(500000), "forecast": Decimal(500000)}
    assert statements.income_statement(periodalen, JUNE).totals["result"]["budget"] == Decimal(440000)
    assert figures.totals["result"]["budget"] == Decimal(-60000)  # 400 000 − 460 000
    assert figures.forecast_result == Decimal(-20000)  # 400 000 − 420 000
    assert figures.opening_equity == Decimal(500000)
    assert figures.forecast_equity == Decimal(480000)
    assert figures.planned_equity == Decimal(440000)


@pytest.mark.django_db
def test_nothing_is_accrued_at_the_years_end(periodalen: Association) -> None:
    figures = interim.of(statements.income_statement(periodalen, DECEMBER))
    assert not figures.accrues and figures.accruals == [] and figures.balance_lines() == []
    assert figures.totals["result"]["outcome_to_date"] == figures.booked_result == Decimal(200000)


@pytest.mark.django_db
def test_the_statements_say_so_and_their_json_adds_fields(periodalen: Association) -> None:
    gathered = income_statement.gathered(periodalen, Period(dt.date(2023, 1, 1), JUNE))
    assert gathered.data["totals"]["result"]["outcome_to_date"] == "200000.00"  # as booked, as before
    added = gathered.data["interim"]
    assert added["totals"]["result"]["outcome_to_date"] == "120000.00"
    assert added["booked_result"] == "200000.00"
    assert added["use_of_equity"] == {"rows": ["BALANSERAT"], "budget": "500000.00", "forecast": "500000.00"}
    assert added["forecast"]["equity_at_year_end"] == "480000.00"
    notes = [note.replace("\xa0", " ") for note in gathered.document.tables[-1].notes]  # kronor's spaces
    assert notes[0] == (
        "Medlemsbidragen är periodiserade: av årets bidrag enligt beslutet 2022-11-24, 400 000 kr, hör 6 av "
        "årets 12 månader till perioden, 200 000 kr. Bokfört är 300 000 kr; skillnaden, −100 000 kr, står på "
        "raden Periodisering av medlemsbidrag."
    )
    assert "Kända årsbelopp (Revision) är periodiserade" in notes[1]
    assert "Bokfört resultat, före periodisering, är 200 000 kr" in notes[2]
    sheet = balance_sheet.gathered(periodalen, Period(dt.date(2023, 1, 1), JUNE)).data
    assert sheet["totals"]["equity"] == "700000.00"  # as booked
    assert sheet["interim"]["equity"]["retained"] == "620000.00"
    assert sheet["interim"]["forecast"] == {
        "retained_earlier": "500000.00",
        "result_for_year": "-20000.00",
        "retained": "480000.00",
    }


@pytest.mark.django_db
def test_only_an_income_row_may_be_a_use_of_equity(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(ORGANISATION.replace('"4000-7999"}', '"4000-7999", use_of_equity: true}'), "utf-8")
    with pytest.raises(orgfile.OrgFileError) as raised:
        orgfile.setup(path, testing.SYSTEM)
    assert "income_statement[6].use_of_equity" in str(raised.value)
