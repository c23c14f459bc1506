"""The demo ledgers: SIE records made from a year's figures as the seed reports print them.

`python -m finsam.demo.seeds` writes the years of `seeds.py` into demo/data/sie/; the files are committed, and
`finsam demo` imports them through `finsam import sie` like any user's export. Each year is given as the seeds
give it: opening balances, income and costs per statement row, and the receivables and liabilities at a
cut-off date; the vouchers are made to reproduce exactly those figures (the bank balance follows from them).

Where the seeds' hand-typed tables do not add up to the krona, a few rows carry öre so that every row and
every total rounds to the printed figure (noted at each year).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from finsam.core.formatting import MONTHS
from finsam.sie import (
    Account,
    Balance,
    BalanceKind,
    CompanyName,
    Dimension,
    FiscalYear,
    Flag,
    Format,
    Generated,
    ObjectDef,
    OrgNumber,
    Program,
    Record,
    RowKind,
    SieType,
    Transaction,
    Voucher,
)

BANK = 1930
SUPPLIERS = 2440
D = Decimal

ACCOUNT_NAMES = {
    1510: "Kundfordringar",
    1630: "Skattefordringar",
    1650: "Fordran moms",
    1790: "Övriga interimsfordringar",
    1930: "Bank",
    2010: "Eget kapital",
    2440: "Leverantörsskulder",
    2710: "Personalskatt",
    2730: "Avräkning lagstadgade sociala avgifter",
    2990: "Övriga interimsskulder",
    3611: "Medlemsbidrag kommun 1",
    3612: "Medlemsbidrag kommun 2",
    3613: "Medlemsbidrag kommun 3",
    3614: "Medlemsbidrag kommun 4",
    3620: "Medlemsbidrag region",
    3630: "Statligt bidrag via Försäkringskassan",
    3740: "Öres- och kronutjämning",
    3990: "Övriga ersättningar och intäkter",
    3999: "Återförda medel från tidigare år",
    4610: "Köp av verksamhet",
    6420: "Revision",
    6530: "Ekonomitjänster",
    6990: "Övriga externa tjänster",
    7010: "Löner",
    7690: "Styrelsearvoden",
    8310: "Ränteintäkter",
}


@dataclass(frozen=True)
class Cost:
    account: int
    project: str
    amount: Decimal


@dataclass
class Year:
    association: str
    name: str
    org_number: str  # as the demo's organisation file gives it: the two must agree, or the import refuses
    year: int
    exported: dt.date
    cutoff: dt.date  # income, costs and balance targets apply up to here
    opening: dict[int, Decimal]  # debit positive
    income: list[tuple[int, list[tuple[dt.date, Decimal]]]]  # account, installments (credit amounts)
    costs: list[Cost]
    targets: dict[int, Decimal]  # balances at the cut-off of receivables and liabilities (debit positive)
    later: list[tuple[dt.date, str, list[tuple[int, str, Decimal]]]] = field(default_factory=list)
    projects: dict[str, str] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.association}-{self.year}.se"


def quarterly(year: int, amount: Decimal, quarters: int = 4) -> list[tuple[dt.date, Decimal]]:
    part = (amount / quarters).quantize(D("0.01"))
    parts = [part] * (quarters - 1) + [amount - part * (quarters - 1)]
    return [(dt.date(year, 1 + 3 * q, 20), p) for q, p in enumerate(parts)]


def once(day: dt.date, amount: Decimal) -> list[tuple[dt.date, Decimal]]:
    return [(day, amount)]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def vouchers(spec: Year) -> list[Voucher]:
    """The year's vouchers: income to the bank, monthly invoices per cost, then payments and accruals."""
    made: list[tuple[dt.date, str, list[tuple[int, str, Decimal]]]] = []
    for account, installments in spec.income:
        for day, amount in installments:
            made.append((day, ACCOUNT_NAMES[account], [(BANK, "", amount), (account, "", -amount)]))
    months = spec.cutoff.month
    for cost in spec.costs:
        if not cost.amount:
            continue
        part = (cost.amount / months).quantize(D("0.01"))
        for month in range(1, months + 1):
            amount = part if month < months else cost.amount - part * (months - 1)
            text = f"{spec.projects.get(cost.project, cost.project)} {MONTHS[month - 1]}"
            made.append(
                (
                    _month_end(spec.year, month),
                    text,
                    [(cost.account, cost.project, amount), (SUPPLIERS, "", -amount)],
                )
            )
    balance: dict[int, Decimal] = defaultdict(D, spec.opening)
    for _, _, rows in made:
        for account, _, amount in rows:
            balance[account] += amount
    for account, target in sorted(spec.targets.items()):
        change = target - balance[account]
        if change:
            text = (
                "Betalningar och periodisering"
                if account == SUPPLIERS
                else f"Periodisering {ACCOUNT_NAMES[account]}"
            )
            made.append((spec.cutoff, text, [(account, "", change), (BANK, "", -change)]))
    made += spec.later
    made.sort(key=lambda v: v[0])
    return [
        Voucher(
            line=0,
            series="A",
            number=str(n),
            date=day,
            text=text,
            registered=spec.exported,
            transactions=[
                Transaction(0, RowKind.TRANS, str(a), ((6, p),) if p else (), amount) for a, p, amount in rows
            ],
        )
        for n, (day, text, rows) in enumerate(made, start=1)
    ]


def records(spec: Year) -> list[Record]:
    made = vouchers(spec)
    totals: dict[int, Decimal] = defaultdict(D)
    projects: set[str] = set()
    for voucher in made:
        for row in voucher.transactions:
            totals[int(row.account)] += row.amount
            projects.update(code for _, code in row.objects)
    accounts = sorted(set(totals) | set(spec.opening))
    balance_accounts = [a for a in accounts if str(a)[0] in "12"]
    head: list[Record] = [
        Flag(0, 0),
        Program(0, "finsam demo", "1"),
        Format(0, "PC8"),
        Generated(0, spec.exported, ""),
        SieType(0, 4),
        CompanyName(0, spec.name),
        OrgNumber(0, spec.org_number),
        FiscalYear(0, 0, dt.date(spec.year, 1, 1), dt.date(spec.year, 12, 31)),
        FiscalYear(0, -1, dt.date(spec.year - 1, 1, 1), dt.date(spec.year - 1, 12, 31)),
        Dimension(0, 6, "Projekt"),
        *(ObjectDef(0, 6, code, spec.projects.get(code, code)) for code in sorted(projects)),
        *(Account(0, str(a), ACCOUNT_NAMES[a]) for a in accounts),
        *(
            Balance(0, BalanceKind.IB, 0, None, str(a), (), spec.opening.get(a, D(0)))
            for a in balance_accounts
        ),
        *(
            Balance(0, BalanceKind.UB, 0, None, str(a), (), spec.opening.get(a, D(0)) + totals[a])
            for a in balance_accounts
        ),
        *(
            Balance(0, BalanceKind.RES, 0, None, str(a), (), totals[a])
            for a in accounts
            if a not in balance_accounts
        ),
    ]
    return [*head, *made]


def closing(spec: Year) -> dict[int, Decimal]:
    """Every account's balance after the year's vouchers (debit positive)."""
    balance: dict[int, Decimal] = defaultdict(D, spec.opening)
    for voucher in vouchers(spec):
        for row in voucher.transactions:
            balance[int(row.account)] += row.amount
    return dict(balance)


def next_opening(spec: Year, equity: int = 2010) -> dict[int, Decimal]:
    """The next year's opening balances: the balance accounts, with the year's result closed into equity."""
    balance = closing(spec)
    opening = {a: v for a, v in balance.items() if str(a)[0] in "12" and v}
    opening[equity] = opening.get(equity, D(0)) + sum(v for a, v in balance.items() if str(a)[0] not in "12")
    return opening
