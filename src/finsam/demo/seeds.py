"""The demo's ledger years, figure for figure from the seed reports (docs/seeds.md), and the SIE files written
from them.

Södra Vätterbygden: seed 000, the interim report 2023 H1 (columns "Utfall 2022-12-31" and "Utfall
2023-06-30", the balance sheet at both dates). Finnveden: seed 001, the annual report 2023 (notes 2–5, the
balance sheet, the cash-flow statement) and its five-year overview for 2019–2021.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

from finsam.demo.ledger import BANK, Cost, Year, next_opening, once, quarterly, records
from finsam.sie import write_sie

SV = "sodra-vatterbygden"
SV_NAME = "Samordningsförbundet Södra Vätterbygden"
SV_ORG_NUMBER = "222000-1339"  # the demo's, as in sodra-vatterbygden.yaml
SV_PROJECTS = {
    "ENTER": "Enter",
    "NOVA": "NOVA - Stöd i förändring",
    "FIA": "Funktionsnedsatta i arbete",
    "ITSPARET": "IT-spåret",
    "ETABLERING": "Etableringsstödjare",
    "ARCH": "Projekt ARCH",
    "SAMVERKANSMODELL": "Samverkansmodell",
    "VU": "Verksamhetsutvecklare",
    "PROJGEM": "Projektgemensamt",
    "KOMP": "Kompetensutveckling",
    "KANSLI": "Kansli",
    "INFO": "Information",
    "STYRELSE": "Styrelse",
    "EKONOMI": "Ekonomihantering",
}


def _sv_costs(amounts: dict[str, str]) -> list[Cost]:
    """Interventions are bought (4610); the office's cost is 60 % the director's salary (7010), the rest other
    services (6990), so that the cost-sharing agreement with Finnveden has both parts to invoice."""
    accounts = {"INFO": 6990, "STYRELSE": 7690, "EKONOMI": 6530, "PROJGEM": 6990, "KOMP": 6990}
    costs = []
    for code, amount in amounts.items():
        if code == "KANSLI":
            salary = (D(amount) * D("0.6")).quantize(D("0.01"))
            costs += [Cost(7010, code, salary), Cost(6990, code, D(amount) - salary)]
        else:
            costs.append(Cost(accounts.get(code, 4610), code, D(amount)))
    return costs


# 2022: Kansli carries 0.30 so that the year's result (64 313.70) and equity (2 337 023.70) round to the
# printed 64 314 and 2 337 024 while the printed balance sheet (which does not add up to the krona) does too.
SV_2022 = Year(
    association=SV,
    name=SV_NAME,
    org_number=SV_ORG_NUMBER,
    year=2022,
    exported=dt.date(2023, 2, 15),
    cutoff=dt.date(2022, 12, 31),
    opening={1510: D("300000.00"), BANK: D("2772710.00"), 2440: D("-800000.00"), 2010: D("-2272710.00")},
    income=[
        (3611, once(dt.date(2022, 1, 25), D(144800))),
        (3612, once(dt.date(2022, 1, 25), D(1625100))),
        (3613, once(dt.date(2022, 1, 25), D(84100))),
        (3614, once(dt.date(2022, 1, 25), D(166500))),
        (3620, once(dt.date(2022, 1, 31), D(2020500))),
        (3630, quarterly(2022, D(4041000))),
        (3999, once(dt.date(2022, 12, 31), D(29403))),
        (3740, once(dt.date(2022, 12, 31), D(-9))),
    ],
    costs=_sv_costs(
        {
            "ENTER": "2879738",
            "NOVA": "1518965",
            "FIA": "596145",
            "ITSPARET": "344651",
            "ETABLERING": "175968",
            "ARCH": "682832",
            "SAMVERKANSMODELL": "70000",
            "VU": "20011",
            "PROJGEM": "49333",
            "KOMP": "169193",
            "KANSLI": "1407864.30",
            "INFO": "33573",
            "STYRELSE": "1928",
            "EKONOMI": "96879",
        }
    ),
    targets={1510: D("480790.30"), 2440: D("-1497292.60")},
    projects=SV_PROJECTS,
)

# 2023, exported on 20 August: the vouchers of July and August must not count in the report per 30 June.
SV_2023 = Year(
    association=SV,
    name=SV_NAME,
    org_number=SV_ORG_NUMBER,
    year=2023,
    exported=dt.date(2023, 8, 20),
    cutoff=dt.date(2023, 6, 30),
    opening=next_opening(SV_2022),
    income=[
        (3611, once(dt.date(2023, 1, 25), D(161300))),
        (3612, once(dt.date(2023, 1, 25), D(1786000))),
        (3613, once(dt.date(2023, 1, 25), D(92600))),
        (3614, once(dt.date(2023, 1, 25), D(183100))),
        (3620, once(dt.date(2023, 1, 31), D(2223000))),
        (3630, quarterly(2023, D(2223000), quarters=2)),
        (8310, once(dt.date(2023, 6, 30), D(632))),
        (3740, once(dt.date(2023, 6, 30), D(-3))),
    ],
    costs=_sv_costs(
        {
            "ENTER": "817282",
            "NOVA": "1186344",
            "FIA": "454303",
            "SAMVERKANSMODELL": "252000",
            "VU": "83542",
            "PROJGEM": "58000",
            "KOMP": "64824",
            "KANSLI": "808244",
            "INFO": "1205",
            "STYRELSE": "4176",
            "EKONOMI": "51394",
        }
    ),
    targets={1510: D("126538.00"), 2440: D("-798674.00")},
    later=[
        (dt.date(2023, 7, 20), "Statligt bidrag Q3", [(1930, "", D(1111500)), (3630, "", D(-1111500))]),
        (dt.date(2023, 7, 31), "Enter jul", [(4610, "ENTER", D(210000)), (2440, "", D(-210000))]),
        (dt.date(2023, 8, 15), "Kansli jul", [(7010, "KANSLI", D("118650.75")), (1930, "", D("-118650.75"))]),
    ],
    projects=SV_PROJECTS,
)

FV = "finnveden"
FV_NAME = "Finnvedens Samordningsförbund"
FV_ORG_NUMBER = "222000-1867"  # the demo's, as in finnveden.yaml
FV_PROJECTS = {
    "SAMVERKANSTEAM": "Samverkansteam Finnveden",
    "ITSPARET": "IT-spåret",
    "MITTVAL": "Mitt Val",
    "PROJGEM": "Gemensamma projektkostnader",
    "SOCIALA": "Sociala företag",
    "KOMP": "Kompetensutveckling",
    "VU": "Verksamhetsutvecklare",
    "KANSLI": "Kansli",
    "INFO": "Information",
    "STYRELSE": "Styrelse",
    "EKONOMI": "Ekonomiadministration",
    "REVISION": "Revision",
}


def _fv_costs(amounts: dict[str, str]) -> list[Cost]:
    accounts = {
        "PROJGEM": 6990,
        "KOMP": 6990,
        "INFO": 6990,
        "STYRELSE": 7690,
        "EKONOMI": 6530,
        "REVISION": 6420,
    }
    return [Cost(accounts.get(code, 4610), code, D(amount)) for code, amount in amounts.items()]


Income = list[tuple[int, list[tuple[dt.date, D]]]]


def _fv_income(year: int, state: int, gislaved: int, gnosjo: int, varnamo: int, region: int) -> Income:
    return [
        (3630, quarterly(year, D(state))),
        (3611, once(dt.date(year, 1, 25), D(gislaved))),
        (3612, once(dt.date(year, 1, 25), D(gnosjo))),
        (3613, once(dt.date(year, 1, 25), D(varnamo))),
        (3620, once(dt.date(year, 1, 31), D(region))),
    ]


def _fv_year(
    year: int, opening: dict[int, D], income: Income, costs: dict[str, str], targets: dict[int, D]
) -> Year:
    return Year(
        association=FV,
        name=FV_NAME,
        org_number=FV_ORG_NUMBER,
        year=year,
        exported=dt.date(year + 1, 2, 10),
        cutoff=dt.date(year, 12, 31),
        opening=opening,
        income=income,
        costs=_fv_costs(costs),
        targets=targets,
        projects=FV_PROJECTS,
    )


# The five-year overview gives 2019–2021 in tkr (income, costs, result, equity ratio); the cash-flow statement
# of 2022 gives the balances at the end of 2021 (receivables 58 202, liabilities 889 315, cash 3 492 441).
FV_2019 = _fv_year(
    2019,
    {BANK: D("3169228.00"), 2440: D("-1000000.00"), 2010: D("-2169228.00")},
    [
        *_fv_income(2019, 2535000, 508200, 165700, 593600, 1267500),
        (3990, once(dt.date(2019, 11, 30), D(74000))),
    ],
    {"MITTVAL": "4500000", "ITSPARET": "160000", "VU": "560000", "KANSLI": "350000", "KOMP": "54100"},
    {1650: D("40000.00"), 2440: D("-1126085.00")},
)
FV_2020 = _fv_year(
    2020,
    next_opening(FV_2019),
    [
        *_fv_income(2020, 2535000, 508000, 165300, 594200, 1267500),
        (3990, once(dt.date(2020, 11, 30), D(82300))),
    ],
    {"MITTVAL": "3800000", "ITSPARET": "160000", "VU": "580000", "KANSLI": "400000", "KOMP": "57200"},
    {1650: D("50000.00"), 2440: D("-1083118.00")},
)
FV_2021 = _fv_year(
    2021,
    next_opening(FV_2020),
    [
        *_fv_income(2021, 2535000, 507800, 164900, 594800, 1267500),
        (3990, once(dt.date(2021, 11, 30), D(88200))),
    ],
    {
        "SAMVERKANSTEAM": "1900000",
        "MITTVAL": "1200000",
        "ITSPARET": "160000",
        "VU": "600000",
        "KANSLI": "420000",
        "KOMP": "61100",
    },
    {1650: D("58202.00"), 2440: D("-889315.00")},
)
# 2022 (note 3, column 2022-12-31): the printed rows add up to 4 646 492, the printed total is 4 646 493;
# five rows carry 0.20 so that every row and the total round to the print.
FV_2022 = _fv_year(
    2022,
    next_opening(FV_2021),
    [
        *_fv_income(2022, 2535000, 507700, 164600, 595200, 1267500),
        (8310, once(dt.date(2022, 12, 31), D(28504))),
        (3740, once(dt.date(2022, 12, 31), D(-4))),
    ],
    {
        "SAMVERKANSTEAM": "2681946.20",
        "ITSPARET": "157850.20",
        "MITTVAL": "203804.20",
        "PROJGEM": "49333.20",
        "KOMP": "216642.20",
        "VU": "707299",
        "KANSLI": "450552",
        "INFO": "28963",
        "STYRELSE": "2578",
        "EKONOMI": "96376",
        "REVISION": "51149",
    },
    {1630: D(200), 1650: D(94861), 2440: D(-1069557), 2710: D(-694), 2730: D(-236), 2990: D(-135724)},
)
# 2023 (notes 2–5): Kansli carries −0.40 and two balances öre, so that the result (−504 694.60), equity
# (2 608 640.40), cash (3 327 227.50) and the cash flow (−897 257.50) all round to the printed figures, which
# themselves do not add up to the krona.
FV_2023 = _fv_year(
    2023,
    next_opening(FV_2022),
    [
        *_fv_income(2023, 2529000, 507900, 162400, 597200, 1267500),
        (8310, once(dt.date(2023, 12, 31), D(151952))),
        (3740, once(dt.date(2023, 12, 31), D(-2))),
        (3990, once(dt.date(2023, 11, 30), D(61594))),
    ],
    {
        "SAMVERKANSTEAM": "3046262",
        "ITSPARET": "562500",
        "PROJGEM": "49333",
        "SOCIALA": "300000",
        "KOMP": "244936",
        "VU": "865042",
        "KANSLI": "488848.60",
        "INFO": "15295",
        "STYRELSE": "54404",
        "EKONOMI": "104358",
        "REVISION": "51260",
    },
    {
        1510: D(20588),
        1630: D(207),
        1650: D("144572.30"),
        1790: D(8900),
        2440: D("-625614.40"),
        2710: D(-186),
        2730: D(-583),
        2990: D(-266471),
    },
)

YEARS = [SV_2022, SV_2023, FV_2019, FV_2020, FV_2021, FV_2022, FV_2023]

FOLDER = Path(__file__).resolve().parent / "data" / "sie"


def write_all(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in YEARS:
        path = folder / spec.filename
        write_sie(path, records(spec))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path)
