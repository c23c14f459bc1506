"""What the import stores: the import itself, its rows and balances, the chart of accounts, and what it
replaces; and the comparisons with the books in force that need the stored rows."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db.models import Sum

from finsam.core.audit import Actor
from finsam.core.formatting import amount_text
from finsam.core.imports import is_number
from finsam.core.money import from_ore, ore_of
from finsam.finance.accounts_spec import is_balance_account
from finsam.finance.models import LedgerAccount, LedgerBalance, LedgerImport, LedgerRow
from finsam.finance.sie_import.reading import Reading, objects_key
from finsam.finance.sie_import.rows import Row, RowWriter, Totals
from finsam.organisation.models import Association
from finsam.sie import Balance, BalanceKind

ROW_FIELDS = ("date", "account", "object_key", "ore", "voucher", "text")
BALANCE_FIELDS = ("year_start", "kind", "account", "ore", "own_year")


def new_source(path: Path, association: Association, actor: Actor, sha: str, size: int) -> LedgerImport:
    """The import the file's rows are stored under while it is read and checked: not in force, no year yet."""
    return LedgerImport.objects.create(
        association=association,
        actor=actor.label,
        filename=path.name,
        sha256=sha,
        size=size,
        year_start=dt.date(1900, 1, 1),
        year_end=dt.date(1900, 12, 31),
        in_force=False,
    )


def in_force(association: Association, start: dt.date, source: LedgerImport) -> list[LedgerImport]:
    """The association's imports in force for the fiscal year starting ``start``, ``source`` left out."""
    return list(
        LedgerImport.objects.filter(association=association, year_start=start, in_force=True).exclude(
            pk=source.pk
        )
    )


def month_end(period: int) -> dt.date:
    year, month = divmod(period, 100)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def store_period_rows(reading: Reading, source: LedgerImport) -> None:
    """Vouchers define the outcome; a file without vouchers gives it through its period balances."""
    if not reading.vouchers and reading.period_balances:
        with RowWriter(source, reading.totals) as writer:
            writer.add(_period_rows(reading))


def _in_kronor(totals: dict[int, int]) -> dict[str, str]:
    """Öre per account as the import's summary keeps them: account number → amount in kronor ("1234.50")."""
    return {str(account): f"{from_ore(ore):.2f}" for account, ore in totals.items()}


def summary_by_account(totals: Totals) -> dict[str, str]:
    """The rows an import stored, summed by account, in kronor."""
    return _in_kronor(totals.by_account())


def summary_of(imports: list[LedgerImport]) -> dict[str, str]:
    """The rows of several imports summed by account, in kronor."""
    rows = LedgerRow.objects.filter(source__in=imports).values("account").annotate(total=Sum("ore"))
    return _in_kronor({t["account"]: t["total"] for t in rows.order_by("account")})


def changed_accounts(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """Accounts whose total differs, in account order: account → [before, after]."""
    changed = sorted(
        (a for a in set(before) | set(after) if before.get(a, "0.00") != after.get(a, "0.00")), key=int
    )
    return {a: [before.get(a, "0.00"), after.get(a, "0.00")] for a in changed}


def _period_rows(reading: Reading) -> list[Row]:
    """Ledger rows from the current year's #PSALDO, one per account, month and object combination.

    Exporters write period balances in two ways: disjoint slices (each object combination, and {} for what no
    object takes, as Avendo does) or an account total under {} with per-object breakdowns beside it. The
    file's own closing and result balances tell which: the reading that reproduces them is used.
    """
    current = [b for b in reading.period_balances if b.year == 0 and b.period is not None]
    totals_only = [b for b in current if not b.objects]
    reading_used = (
        current
        if _reproduces_file(reading, current) or not _reproduces_file(reading, totals_only)
        else totals_only
    )
    return [
        (
            month_end(b.period).isoformat(),
            int(b.account),
            objects_key(b.objects),
            ore_of(b.amount),
            "",
            "Periodsaldo",
            "",  # stored in the file's order
        )
        for b in reading_used
        if b.amount and b.period is not None and is_number(b.account)
    ]


def _reproduces_file(reading: Reading, balances: list[Balance]) -> bool:
    """Do these period balances add up to the file's own year figures (#UB − #IB, #RES) for every account?"""
    moved: dict[str, int] = defaultdict(int)
    for b in balances:
        moved[b.account] += ore_of(b.amount)
    opening = {
        b.account: ore_of(b.amount) for b in reading.balances if b.year == 0 and b.kind is BalanceKind.IB
    }
    closing = {
        b.account: ore_of(b.amount) for b in reading.balances if b.year == 0 and b.kind is BalanceKind.UB
    }
    results = {b.account: ore_of(b.amount) for b in reading.results if b.year == 0}
    expected = {a: closing.get(a, 0) - opening.get(a, 0) for a in set(opening) | set(closing)} | results
    return all(moved.get(a, 0) == amount for a, amount in expected.items())


def same_books(source: LedgerImport, previous: list[LedgerImport]) -> bool:
    """Does the new import hold exactly the ledger rows and balances of the imports in force?"""
    for model, fields in ((LedgerRow, ROW_FIELDS), (LedgerBalance, BALANCE_FIELDS)):
        new = model.objects.filter(source=source)
        old = model.objects.filter(source__in=previous)
        if new.count() != old.count():
            return False
        pairs = zip(
            new.order_by(*fields).values_list(*fields).iterator(),
            old.order_by(*fields).values_list(*fields).iterator(),
            strict=True,
        )
        if any(a != b for a, b in pairs):
            return False
    return True


def accounts_differ(association: Association, reading: Reading) -> bool:
    """Would the file add an account or rename one?"""
    known = dict(LedgerAccount.objects.filter(association=association).values_list("number", "name"))
    return any(known.get(number) != name[:200] for number, name in reading.accounts.items())


def store_balances(reading: Reading, source: LedgerImport, start: dt.date) -> None:
    rows = []
    for balance in reading.balances:
        year = reading.years.get(balance.year)
        if year is None or not is_number(balance.account):
            continue
        rows.append(
            LedgerBalance(
                source=source,
                association_id=source.association_id,
                year_start=year.start,
                kind=LedgerBalance.Kind.OPENING
                if balance.kind is BalanceKind.IB
                else LedgerBalance.Kind.CLOSING,
                account=int(balance.account),
                ore=ore_of(balance.amount),
                own_year=year.start == start,
            )
        )
    LedgerBalance.objects.bulk_create(rows)


def derive_opening(reading: Reading, source: LedgerImport, start: dt.date) -> None:
    """A file with closing balances of its year (#UB 0) but no opening ones: the opening balances are the
    closing ones less the year's movements, so that the balance sheet at the year end is the file's."""
    if any(b.year == 0 and b.kind is BalanceKind.IB for b in reading.balances):
        return
    closing = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="UB")}
    if not closing:
        return
    moved = reading.totals.by_account()
    opening = {
        account: closing.get(account, 0) - moved.get(account, 0)
        for account in sorted(set(closing) | set(moved))
        if is_balance_account(account)
    }
    LedgerBalance.objects.bulk_create(
        LedgerBalance(
            source=source,
            association_id=source.association_id,
            year_start=start,
            kind=LedgerBalance.Kind.OPENING,
            account=account,
            ore=ore,
            own_year=True,
        )
        for account, ore in opening.items()
        if ore
    )
    reading.notes.append(
        "filen har utgående balanser (#UB 0) men inga ingående (#IB 0): de ingående är räknade som "
        "utgående balans minus årets verifikationer, så att balansräkningen vid årets slut är filens"
    )


def store_accounts(association: Association, accounts: dict[int, str]) -> None:
    known = {a.number: a for a in LedgerAccount.objects.filter(association=association)}
    new = [
        LedgerAccount(association=association, number=n, name=name[:200])
        for n, name in accounts.items()
        if n not in known
    ]
    renamed = [known[n] for n, name in accounts.items() if n in known and known[n].name != name[:200]]
    for account in renamed:
        account.name = accounts[account.number][:200]
    LedgerAccount.objects.bulk_create(new)
    LedgerAccount.objects.bulk_update(renamed, ["name"])


def balance_warnings(source: LedgerImport, totals: Totals, start: dt.date) -> list[str]:
    """Balance accounts whose opening balance plus the year's rows differ from the file's closing balance."""
    opening = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="IB")}
    closing = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="UB")}
    if not closing:
        return []
    moved = totals.by_account()
    warnings = []
    for account in sorted(set(opening) | set(closing) | set(moved)):
        if not is_balance_account(account):
            continue
        expected = closing.get(account, 0)
        got = opening.get(account, 0) + moved.get(account, 0)
        if got != expected:
            warnings.append(
                f"konto {account}: IB + verifikationer = {amount_text(from_ore(got))}, "
                f"men filens UB är {amount_text(from_ore(expected))}"
            )
    return warnings


def put_in_force(
    source: LedgerImport, reading: Reading, start: dt.date, end: dt.date, changes: dict[str, Any]
) -> None:
    """Give the import its year and what it read, and put it in force."""
    source.year_start, source.year_end = start, end
    source.program = reading.program[:200]
    source.generated = reading.generated
    source.sie_type = reading.sie_type
    source.vouchers = reading.vouchers
    source.rows = reading.totals.rows
    source.in_force = True
    source.changes = changes
    source.save()


def retire(replaced: list[LedgerImport]) -> None:
    """Imports replaced by a full export: their rows and balances go, they stay in the history."""
    for old in replaced:
        old.ledger_rows.all().delete()
        old.balances.all().delete()
        old.in_force = False
        old.save(update_fields=["in_force"])
