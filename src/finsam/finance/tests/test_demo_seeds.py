"""The demo's statements, imported from its SIE files, print as the seed reports do (docs/seeds.md)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from finsam.demo import seeds
from finsam.demo.build import LEDGERS
from finsam.finance import annual, statements
from finsam.finance.documents import balance_sheet, cash_flow
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db


def kr(value: Decimal | None) -> int:
    """As the seeds print: whole kronor, half away from zero."""
    assert value is not None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_the_committed_sie_files_are_what_the_generator_writes(tmp_path: Path) -> None:
    for path in seeds.write_all(tmp_path):
        assert path.read_bytes() == (LEDGERS / path.name).read_bytes(), path.name


def test_the_demo_associations_have_the_organisation_number_of_their_sie_files(
    demo: dict[str, Association],
) -> None:
    for association in demo.values():  # the import refuses a file with another number
        assert association.org_number.startswith("222000-")
        for path in LEDGERS.glob(f"{association.slug}-*.se"):
            assert f"#ORGNR {association.org_number}\r\n".encode() in path.read_bytes(), path.name


def test_sodra_vatterbygden_2023_h1_is_seed_000(demo: dict[str, Association]) -> None:
    sv = demo["sodra-vatterbygden"]
    june = dt.date(2023, 6, 30)
    statement = statements.income_statement(sv, june)
    printed = {line.code: [kr(line.values[c]) for c in statement.columns] for line in statement.lines}
    assert printed["HABO"] == [144800, 159400, 161300, 161300]
    assert printed["JKPG"] == [1625100, 1787700, 1786000, 1786000]
    assert printed["FK"] == [4041000, 4446000, 2223000, 4446000]
    assert printed["RANTA"] == [0, 0, 632, 1200]
    assert printed["BALANSERAT"] == [29403, 1999710, 0, 0]
    assert printed["ENTER"] == [2879738, 2819000, 817282, 2500000]
    assert printed["NOVA"] == [1518965, 3253000, 1186344, 3714000]
    assert printed["KANSLI"] == [1407864, 720000, 808244, 850000]
    totals = {k: [kr(v[c]) for c in statement.columns] for k, v in statement.totals.items()}
    assert totals == {
        "income": [8111394, 10891710, 6669629, 8893200],
        "costs": [8047080, 9579500, 3781314, 9985800],
        "result": [64314, 1312210, 2888315, -1092600],
    }
    sheet = statements.balance_sheet(sv, june)
    rows = {line.code: (kr(line.previous_year_end), kr(line.amount)) for line in sheet.lines}
    assert rows == {"FORDRINGAR": (480790, 126538), "KASSA": (3353526, 5897475), "SKULDER": (1497293, 798674)}
    assert (kr(sheet.total("assets", previous=True)), kr(sheet.total("assets"))) == (3834316, 6024013)
    assert kr(sheet.equity.retained_earlier) == 2337024
    assert kr(sheet.equity.result_for_year) == 2888315
    assert kr(sheet.equity.retained) == 5225339
    # Seed 000's opening equity: 2 272 710 from earlier years and 64 314, the result of 2022.
    before = sheet.equity_previous
    assert before is not None
    assert (kr(before.retained_earlier), kr(before.result_for_year)) == (2272710, 64314)
    # The August export's July and August vouchers do not count per 30 June, but do per 31 August.
    assert (
        kr(statements.income_statement(sv, dt.date(2023, 8, 31)).totals["income"]["outcome_to_date"])
        == 7781129
    )


FINNVEDEN_2023 = dt.date(2023, 12, 31)


def test_finnveden_2023_income_statement_is_seed_001s(demo: dict[str, Association]) -> None:
    fv, end = demo["finnveden"], FINNVEDEN_2023
    statement = annual.annual_income_statement(fv, end)
    totals = statement.totals
    assert kr(totals["income"]["outcome"]) == 5277544
    assert kr(totals["costs"]["outcome"]) == 5782239
    assert kr(totals["result"]["outcome"]) == -504695
    assert kr(totals["result"]["outcome_previous_year"]) == 452007
    note3 = {
        line.code: [kr(line.values[c]) for c in ("budget", "outcome", "outcome_previous_year")]
        for line in statement.lines
    }
    assert note3["SAMVERKANSTEAM"] == [3100000, 3046262, 2681946]
    assert note3["KANSLI"] == [500000, 488849, 450552]
    assert note3["NYA"] == [1000000, 0, 0]
    assert kr(totals["costs"]["outcome_previous_year"]) == 4646493
    assert kr(totals["costs"]["budget"]) == 6409000
    # Positive is better than budget on both sides: income 207 544 above, costs 626 761 below, the result
    # 834 305 better than the budgeted −1 339 000.
    assert kr(totals["result"]["budget"]) == -1339000
    deviation = {key: kr(totals[key]["deviation"]) for key in ("income", "costs", "result")}
    assert deviation == {"income": 207544, "costs": 626761, "result": 834305}


def test_finnveden_2023_balance_sheet_is_seed_001s(demo: dict[str, Association]) -> None:
    fv, end = demo["finnveden"], FINNVEDEN_2023
    sheet = statements.balance_sheet(fv, end)
    assert kr(sheet.equity.retained) == 2608640
    assert kr(sheet.equity_previous_year_end) == 3113335
    before = sheet.equity_previous
    assert before is not None
    assert (kr(before.retained_earlier), kr(before.result_for_year)) == (2661328, 452007)
    [_, equity_table, _] = balance_sheet.as_document(sheet).sections[0].tables
    printed = [(kr(row["amount"]), kr(row["previous"])) for row in equity_table.rows]  # type: ignore[arg-type]
    assert printed == [(3113335, 2661328), (-504695, 452007)]
    assert kr(sheet.total("assets")) == 3501495
    assert f"{sheet.equity_ratio:.2f}" == "0.75"
    assert {line.code: kr(line.amount) for line in sheet.lines} == {
        "FORDRINGAR": 174267,
        "KASSA": 3327228,
        "SKULDER": 892854,
    }


def test_finnveden_2023_cash_flow_is_seed_001s_with_2022_beside_it(demo: dict[str, Association]) -> None:
    fv, end = demo["finnveden"], FINNVEDEN_2023
    flow = annual.cash_flow(fv, end)
    assert [kr(v) for v in (flow.receivables_change, flow.liabilities_change, flow.total)] == [
        -79206,
        -313357,
        -897258,
    ]
    assert (kr(flow.cash_start), kr(flow.cash_end)) == (4224485, 3327228)
    assert flow.reconciles
    # Seed 001's second column, 2022: the ledger of 2022 is here too.
    last = flow.previous
    assert last is not None and last.date == dt.date(2022, 12, 31)
    assert [kr(v) for v in (last.result, last.receivables_change, last.liabilities_change, last.total)] == [
        452007,
        -36859,
        316896,
        732044,
    ]
    assert (kr(last.cash_start), kr(last.cash_end)) == (3492441, 4224485)
    assert last.reconciles and last.previous is None
    [table] = cash_flow.as_document(fv, flow, end).sections[0].tables
    assert [c.label for c in table.columns] == ["Belopp i kr", "2023-12-31", "2022-12-31"]
    cash_rows = {
        row["name"]: (kr(row["amount"]), kr(row["previous"]))  # type: ignore[arg-type]
        for row in table.rows
        if row["amount"] is not None  # not a heading (Den löpande verksamheten …)
    }
    assert cash_rows["Årets kassaflöde"] == (-897258, 732044)
    assert cash_rows["Likvida medel vid årets början"] == (4224485, 3492441)
    assert (kr(table.total["amount"]), kr(table.total["previous"])) == (3327228, 4224485)  # type: ignore[arg-type,index]
    data = cash_flow.as_json(fv, flow, end)
    assert (data["total"], data["previous_year"]["total"]) == ("-897257.50", "732044.00")
    assert data["previous_year"]["date"] == "2022-12-31"


def test_finnveden_2023_notes_overview_and_key_figures_are_seed_001s(demo: dict[str, Association]) -> None:
    fv, end = demo["finnveden"], FINNVEDEN_2023
    operating = annual.operating_statement(fv, end)
    assert [kr(v) for v in operating.net_cost] == [5782239, 6409000, 4646493]
    assert [kr(v) for v in operating.member_fees] == [5277544, 5070000, 5098500]

    notes = annual.balance_notes(fv, end)
    assert [(n.name, kr(n.amount), kr(n.previous)) for n in notes["receivables"]] == [
        ("Kundfordringar", 20588, 0),
        ("Skattefordringar", 207, 200),
        ("Fordran moms", 144572, 94861),
        ("Övriga interimsfordringar", 8900, 0),
    ]
    assert [kr(n.amount) for n in notes["liabilities"]] == [625614, 186, 583, 266471]

    overview = annual.five_year_overview(fv, end)
    # In kronor; the seed prints tkr (5277, 5098, 5158, 5152, 5144 of income), cutting rather than rounding.
    assert [(y.year, kr(y.income), kr(y.costs), kr(y.result)) for y in overview] == [
        (2023, 5277544, 5782239, -504695),
        (2022, 5098500, 4646493, 452007),
        (2021, 5158200, 4341100, 817100),
        (2020, 5152300, 4997200, 155100),
        (2019, 5144000, 5624100, -480100),
    ]
    assert [f"{y.equity_ratio:.2f}" for y in overview] == ["0.75", "0.72", "0.75", "0.63", "0.60"]

    assert kr(annual.balance_requirement(fv, end).balance_result) == -504695
    shares = annual.cost_shares(fv, end)
    assert [f"{shares.share(c):.2f}" for c in ("individual", "structural")] == ["0.63", "0.24"]
    assert 0.10 <= float(shares.share("administration") or 0) <= 0.15
    booked = {c.code: (kr(c.computed), kr(c.booked)) for c in annual.contributions_booked(fv, end)}
    assert booked["FK"] == (2535000, 2529000)
    assert booked["GNOSJO"] == (162400, 162400)


def test_the_office_costs_shared_with_finnveden_are_invoiced_by_the_agreement(
    demo: dict[str, Association],
) -> None:
    sv = demo["sodra-vatterbygden"]
    # Seed 000: 35 % of the director's cost and 50 % of other office costs, invoiced for January–May.
    basis = annual.shared_costs(sv, dt.date(2023, 1, 1), dt.date(2023, 5, 31))
    assert [(b.rule.description, b.cost, b.invoiced) for b in basis] == [
        ("Förbundschefens lön", Decimal("404122.00"), Decimal("141442.70")),
        ("Övriga kanslikostnader", Decimal("269414.65"), Decimal("134707.33")),
    ]
    june = annual.shared_costs(sv, dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    assert sum(b.cost for b in june) == Decimal("808244.00")  # the whole Kansli row of the half year
