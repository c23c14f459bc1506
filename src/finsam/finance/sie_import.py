"""`finsam import sie`: an SIE file into the association's ledger, all or nothing.

A full export (one with opening balances or period balances, as type 4E, 2 and 3 files are) replaces every
earlier import of the same fiscal year in one transaction; an import file without balances (4I) adds its
vouchers, but never one whose series and number are already in force for the year; a full export older (#GEN)
than an import in force is refused. The same file twice, or a full export giving exactly the books in force,
changes nothing. Every import is kept in the history with its file hash and a summary of what it changed.
Vouchers define the outcome; a file without vouchers gives it through its period balances (#PSALDO), dated the
last day of each month, so a ledger that exports only balances still gives statements.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Min, Sum
from django.utils.translation import gettext as _

from finsam.core.audit import Actor, record
from finsam.core.imports import ImportRejected, ImportResult, Problem
from finsam.core.money import from_ore, ore_of
from finsam.finance.accounts_spec import is_balance_account
from finsam.finance.models import LedgerAccount, LedgerBalance, LedgerImport, LedgerRow
from finsam.organisation.models import Association
from finsam.sie import (
    Account,
    Balance,
    BalanceKind,
    FiscalYear,
    Generated,
    ObjectList,
    OrgNumber,
    Program,
    SieError,
    SieErrors,
    SieType,
    Voucher,
    iter_records,
)

BATCH = 5000
MAX_ORE = 2**63 - 1  # amounts are stored as öre in a 64-bit integer
MAX_LISTED = 50  # problems of one kind named one by one (vouchers outside the year); the rest are counted
Progress = Callable[[int, int], None]


def objects_key(objects: ObjectList) -> str:
    """Objects of a row as stored and matched: "1:10|6:ENTER", sorted by dimension."""
    return "|".join(f"{dim}:{code}" for dim, code in sorted(objects))


def month_end(period: int) -> dt.date:
    year, month = divmod(period, 100)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _sie_messages() -> dict[str, str]:
    """The reader's messages (finsam.sie.model.MESSAGES, English and Django-free) as users read them."""
    return {
        "expected_label": _("förväntade en post som #VER, fann {value!r}"),
        "unclosed_quote": _("texten {value!r} saknar avslutande citattecken"),
        "nested_brace": _("en objektlista kan inte innehålla ännu en '{{'"),
        "unclosed_object_list": _("objektlistan {value!r} saknar avslutande '}}'"),
        "stray_brace": _("oväntat {value!r} här"),
        "missing_field": _("{record} slutar här; förväntade {expected}"),
        "bad_value": _("{value!r} är inte {expected}"),
        "row_outside_voucher": _(
            "{record} utanför en verifikation; rader hör hemma mellan '{{' och '}}' efter #VER"
        ),
        "missing_voucher_open": _("förväntade '{{' på raden efter #VER (rad {opened}), fann {value!r}"),
        "voucher_not_closed": _("verifikationen som börjar på rad {opened} avslutas inte med '}}'"),
        "record_in_voucher": _("{record} inuti verifikationen som börjar på rad {opened}; saknas dess '}}'?"),
        "unbalanced": _(
            "verifikation {series} {number} balanserar inte: raderna summerar till {value}, förväntade 0"
        ),
        "rtrans_without_trans": _(
            "#RTRANS måste följas av en #TRANS med samma konto, objekt och belopp ({value})"
        ),
    }


def _sie_expected() -> dict[str, str]:
    """What the reader expected (finsam.sie.model.EXPECTED), in Swedish."""
    return {
        "amount": _("ett belopp som -1234.50 (högst två decimaler och 19 tecken)"),
        "quantity": _("ett antal som 1.5"),
        "date": _("ett datum ÅÅÅÅMMDD"),
        "optional_date": _('ett datum ÅÅÅÅMMDD eller ""'),
        "period": _("en period ÅÅÅÅMM"),
        "year": _("ett årsindex: 0 för innevarande år, -1 för året före, …"),
        "calendar_year": _("ett år som 2025"),
        "integer": _("ett heltal"),
        "account": _("ett kontonummer (siffror)"),
        "dimension": _("ett dimensionsnummer (siffror)"),
        "object_code": _("en objektkod (inte tom)"),
        "object_list": _('en objektlista som {6 "P1"} eller {}'),
        "text": _("en text"),
        "flag": _("0 eller 1"),
        "sie_type": _("1, 2, 3 eller 4"),
        "account_type": _("T, S, K eller I"),
    }


def _problem(error: SieError) -> Problem:
    """A reader error as the import names it: its line, its column (characters, a tab counting one) and
    record, its value, and the message in Swedish. A code without a Swedish text (a newer reader) keeps the
    reader's own."""
    expected = _sie_expected().get(error.expected_key or "", error.expected or "")
    template = _sie_messages().get(error.code)
    message = (
        template.format(value=error.value, expected=expected, record=error.record, **error.params)
        if template is not None
        else error.message
    )
    if error.column is None:
        column = error.record
    else:
        column = f"{error.column} ({error.record})" if error.record else str(error.column)
    return Problem(line=error.line, column=column, value=error.value, expected=expected, message=message)


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass
class _Reading:
    """What the import gathers while it streams the file."""

    years: dict[int, FiscalYear] = field(default_factory=dict)
    program: str = ""
    generated: dt.date | None = None
    generated_line: int | None = None
    sie_type: int | None = None
    org_number: OrgNumber | None = None
    accounts: dict[int, str] = field(default_factory=dict)
    balances: list[Balance] = field(default_factory=list)
    period_balances: list[Balance] = field(default_factory=list)
    results: list[Balance] = field(default_factory=list)
    vouchers: int = 0
    rows: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    first_line: int | None = None  # the #VER line of the voucher with the first date, and of the last
    last_line: int | None = None
    outside: list[tuple[int, str, dt.date]] = field(default_factory=list)  # line, voucher, date (capped)
    outside_count: int = 0
    late_year: bool = False  # #RAR 0 came after vouchers, which were therefore not checked one by one
    # Numbered vouchers ("A 16") → their #VER line, kept while the file is not known to be a full export: a
    # file that adds vouchers must not add one already in force.
    numbered: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unbalanced: list[tuple[int, str, Decimal]] = field(default_factory=list)  # line, voucher, sum of rows

    @property
    def full_export(self) -> bool:
        return bool(self.balances or self.period_balances)


def _summary_by_account(source: LedgerImport) -> dict[str, str]:
    totals = source.ledger_rows.values("account").annotate(total=Sum("ore")).order_by("account")
    return {str(t["account"]): f"{from_ore(t['total']):.2f}" for t in totals}


def _period_rows(reading: _Reading, source: LedgerImport) -> list[LedgerRow]:
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
        LedgerRow(
            source=source,
            association_id=source.association_id,
            date=month_end(b.period),
            account=int(b.account),
            object_key=objects_key(b.objects),
            ore=ore_of(b.amount),
            text="Periodsaldo",
        )
        for b in reading_used
        if b.amount and b.period is not None and b.account.isdigit()
    ]


def _reproduces_file(reading: _Reading, balances: list[Balance]) -> bool:
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


def _fiscal_year(reading: _Reading) -> tuple[dt.date, dt.date] | None:
    if 0 in reading.years:
        return reading.years[0].start, reading.years[0].end
    if reading.first_date and reading.last_date and reading.first_date.year == reading.last_date.year:
        # An import file (4I) may name no fiscal year; its vouchers then give the calendar year.
        return dt.date(reading.first_date.year, 1, 1), dt.date(reading.first_date.year, 12, 31)
    return None


def import_file(
    path: Path, association: Association, actor: Actor, *, on_progress: Progress | None = None
) -> ImportResult:
    sha, size = _sha256(path)
    if LedgerImport.objects.filter(association=association, sha256=sha, in_force=True).exists():
        return ImportResult(unchanged=1, details=["filen är redan importerad; inget ändrades"])
    try:
        with transaction.atomic():
            return _import(path, association, actor, sha, size, on_progress)
    except SieErrors as errors:
        problems = [_problem(e) for e in errors.errors]
        if errors.truncated:
            problems.append(
                Problem(None, None, path.name, "", message=_("läsningen avbröts efter för många fel"))
            )
        raise ImportRejected(str(path), problems) from None
    except _Unchanged as same:
        return same.result


class _Unchanged(Exception):
    """The file gives exactly the books in force: the import is rolled back and reported as unchanged."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__()
        self.result = result


def _import(
    path: Path, association: Association, actor: Actor, sha: str, size: int, on_progress: Progress | None
) -> ImportResult:
    source = LedgerImport.objects.create(
        association=association,
        actor=actor.label,
        filename=path.name,
        sha256=sha,
        size=size,
        year_start=dt.date(1900, 1, 1),
        year_end=dt.date(1900, 12, 31),
        in_force=False,
    )
    reading = _Reading()
    buffer: list[LedgerRow] = []
    with path.open("rb") as binary:
        for count, item in enumerate(iter_records(binary, keep_unbalanced=True), 1):
            kind = type(item)
            if kind is Voucher:
                assert isinstance(item, Voucher)
                _voucher_rows(item, source, reading, buffer)
                if len(buffer) >= BATCH:
                    LedgerRow.objects.bulk_create(buffer)
                    buffer.clear()
            elif kind is Balance:
                assert isinstance(item, Balance)
                if _storable(item.amount, item.line, item.kind.value, reading) is None:
                    continue
                if item.kind in (BalanceKind.IB, BalanceKind.UB) and not item.objects:
                    reading.balances.append(item)
                elif item.kind is BalanceKind.PSALDO:
                    reading.period_balances.append(item)
                elif item.kind is BalanceKind.RES and not item.objects:
                    reading.results.append(item)
            elif kind is FiscalYear:
                assert isinstance(item, FiscalYear)
                reading.years[item.index] = item
                if item.index == 0 and reading.vouchers:
                    # #RAR after vouchers (the standard puts it first): the year is checked at the end.
                    reading.late_year = True
            elif kind is Account:
                assert isinstance(item, Account)
                if item.number.isdigit():
                    reading.accounts[int(item.number)] = item.name
            elif kind is Program:
                assert isinstance(item, Program)
                reading.program = f"{item.name} {item.version}".strip()
            elif kind is Generated:
                assert isinstance(item, Generated)
                reading.generated = item.date
                reading.generated_line = item.line
            elif kind is SieType:
                assert isinstance(item, SieType)
                reading.sie_type = item.value
            elif kind is OrgNumber:
                assert isinstance(item, OrgNumber)
                reading.org_number = item
            if on_progress and not count % 20000:
                on_progress(binary.tell(), size)
    LedgerRow.objects.bulk_create(buffer)
    if on_progress:
        on_progress(size, size)

    year = _fiscal_year(reading)
    if year is None:
        raise ImportRejected(str(path), [_no_year(reading)])
    start, end = year
    reading.problems += _outside_year(reading, start, end)
    reading.problems += _wrong_file(reading, association)
    if reading.problems:
        raise ImportRejected(str(path), reading.problems)

    previous = list(
        LedgerImport.objects.filter(association=association, year_start=start, in_force=True).exclude(
            pk=source.pk
        )
    )
    replaced = reading.full_export
    problems = (
        _older_than_in_force(reading, previous) if replaced else _already_in_force(reading, source, start)
    )
    if problems:
        raise ImportRejected(str(path), problems)

    if not reading.vouchers and reading.period_balances:
        LedgerRow.objects.bulk_create(_period_rows(reading, source))
    _store_balances(reading, source, start)
    if replaced and previous and _same_books(source, previous) and not _accounts_differ(association, reading):
        names = ", ".join(f"{old.filename} från {old.imported_at:%Y-%m-%d %H:%M}" for old in previous)
        raise _Unchanged(
            ImportResult(
                unchanged=1,
                details=[
                    _(
                        "inga ändringar: filen ger samma verifikationsrader och saldon som den import "
                        "som gäller för räkenskapsåret {start}–{end} ({names}); den ligger kvar"
                    ).format(start=start, end=end, names=names)
                ],
            )
        )
    _store_accounts(association, reading.accounts)

    before: dict[str, str] = {}
    for old in previous:
        if replaced:
            for account, total in _summary_by_account(old).items():
                before[account] = f"{Decimal(before.get(account, '0')) + Decimal(total):.2f}"
    after = _summary_by_account(source)
    changed_accounts = sorted(
        (a for a in set(before) | set(after) if before.get(a, "0.00") != after.get(a, "0.00")), key=int
    )
    warnings = _balance_warnings(source, start)
    _judge_unbalanced(path, reading, source, start, warnings)
    source.year_start, source.year_end = start, end
    source.program = reading.program[:200]
    source.generated = reading.generated
    source.sie_type = reading.sie_type
    source.vouchers = reading.vouchers
    source.rows = source.ledger_rows.count()
    source.in_force = True
    source.changes = {
        "replaced": [old.pk for old in previous] if replaced else [],
        "accounts_changed": {a: [before.get(a, "0.00"), after.get(a, "0.00")] for a in changed_accounts},
        "balance_warnings": warnings,
        "unbalanced_vouchers": [
            f"{name} (rad {line}): {total:f}" for line, name, total in reading.unbalanced
        ],
    }
    source.save()
    if replaced:
        for old in previous:
            old.ledger_rows.all().delete()
            old.balances.all().delete()
            old.in_force = False
            old.save(update_fields=["in_force"])
    record(
        actor,
        "ledger.import",
        source,
        association=association,
        after={"file": path.name, "sha256": sha, "year": start.isoformat(), "vouchers": reading.vouchers},
    )
    details = [
        f"räkenskapsår {start}–{end}, {reading.vouchers} verifikationer, {source.rows} rader",
        *(
            f"ersatte import {old.filename} från {old.imported_at:%Y-%m-%d %H:%M}"
            for old in previous
            if replaced
        ),
        *(f"{len(changed_accounts)} konton fick nya belopp" for _ in [1] if previous and replaced),
        *(
            f"verifikation {name} (rad {line}) balanserar inte ({total:f}) men ingår i filens egna utgående "
            "balanser; den är importerad som exportören bokfört den"
            for line, name, total in reading.unbalanced
        ),
        *source.changes["balance_warnings"],
    ]
    return ImportResult(
        created=source.rows, deleted=sum(o.rows for o in previous) if replaced else 0, details=details
    )


def _judge_unbalanced(
    path: Path, reading: _Reading, source: LedgerImport, start: dt.date, warnings: list[str]
) -> None:
    """A voucher that does not balance is refused, unless the exporter's own books hold it: the file is a full
    export whose closing balances follow from its opening balances and every voucher, this one included."""
    if not reading.unbalanced:
        return
    held = not warnings and source.balances.filter(year_start=start, kind=LedgerBalance.Kind.CLOSING).exists()
    if not held:
        raise ImportRejected(
            str(path),
            [
                Problem(
                    line,
                    "#VER",
                    f"{total:f}",
                    "",
                    message=f"verifikation {name} balanserar inte: raderna summerar till {total:f}, "
                    "förväntade 0",
                )
                for line, name, total in reading.unbalanced
            ],
        )


def _storable(amount: Decimal, line: int, record: str, reading: _Reading) -> int | None:
    """The amount in öre, or None (and a problem) when it is too large to store."""
    ore = ore_of(amount)
    if abs(ore) > MAX_ORE:
        limit = f"{from_ore(MAX_ORE):,.0f}".replace(",", " ")
        reading.problems.append(Problem(line, record, f"{amount:f}", f"ett belopp under {limit} kronor"))
        return None
    return ore


def _wrong_file(reading: _Reading, association: Association) -> list[Problem]:
    """What shows that the file cannot be this association's books for the year, though every line reads."""
    problems = []
    file_number = reading.org_number
    if (
        file_number is not None
        and association.org_number
        and _digits(file_number.number)[-10:] != _digits(association.org_number)
    ):
        problems.append(
            Problem(
                file_number.line,
                "#ORGNR",
                file_number.number,
                f"förbundets organisationsnummer {association.org_number}",
            )
        )
    for balance in reading.balances:
        if balance.year not in reading.years:
            problems.append(
                Problem(
                    balance.line,
                    balance.kind.value,
                    balance.year,
                    f"ett räkenskapsår som filen anger (#RAR {balance.year})",
                )
            )
    results = [r for r in reading.results if r.year == 0 and r.amount]
    if results and not reading.vouchers and not reading.period_balances:
        problems.append(
            Problem(
                results[0].line,
                "#RES",
                None,
                "",
                message="filen har årets resultat men varken verifikationer eller periodsaldon (SIE typ 1): "
                "den kan inte ge årets utfall och skulle ersätta den bokföring som finns",
            )
        )
    return problems


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _voucher_rows(voucher: Voucher, source: LedgerImport, reading: _Reading, buffer: list[LedgerRow]) -> None:
    reading.vouchers += 1
    name = f"{voucher.series} {voucher.number}".strip()
    if voucher.number.strip() and not reading.full_export:
        reading.numbered.setdefault(name[:60], voucher.line)
    total = sum((row.amount for row in voucher.counted()), Decimal(0))
    if total:
        reading.unbalanced.append((voucher.line, f"{voucher.series} {voucher.number}", total))
    year = None if reading.late_year else reading.years.get(0)
    outside: dt.date | None = None
    for row in voucher.counted():
        day = row.date or voucher.date
        if reading.first_date is None or day < reading.first_date:
            reading.first_date, reading.first_line = day, voucher.line
        if reading.last_date is None or day > reading.last_date:
            reading.last_date, reading.last_line = day, voucher.line
        if year is not None and outside is None and not year.start <= day <= year.end:
            outside = day
        if not row.account.isdigit():
            reading.problems.append(Problem(row.line, "#TRANS", row.account, "ett kontonummer"))
            continue
        ore = _storable(row.amount, row.line, "#TRANS", reading)
        if ore is None:
            continue
        buffer.append(
            LedgerRow(
                source=source,
                association_id=source.association_id,
                date=day,
                account=int(row.account),
                object_key=objects_key(row.objects),
                ore=ore,
                voucher=name[:60],
                text=(row.text or voucher.text)[:200],
            )
        )
    if outside is not None:
        reading.outside_count += 1
        if len(reading.outside) <= MAX_LISTED:  # one beyond the cap: the line the rest start from
            reading.outside.append((voucher.line, name, outside))


def _no_year(reading: _Reading) -> Problem:
    """Why the file gives no fiscal year: no #RAR 0, and no vouchers or vouchers over several years."""
    if reading.first_date is None or reading.last_date is None:
        return Problem(
            None,
            None,
            None,
            "",
            message=_(
                "inget räkenskapsår (#RAR 0) och inga verifikationer att ta året från; förväntade #RAR 0 "
                "eller verifikationer inom ett kalenderår"
            ),
        )
    return Problem(
        reading.first_line,
        "#VER",
        reading.first_date.isoformat(),
        "",
        message=_(
            "filen anger inget räkenskapsår (#RAR 0) och verifikationerna spänner över flera kalenderår: den "
            "första ({first}) på rad {first_line}, den sista ({last}) på rad {last_line}; förväntade #RAR 0 "
            "eller verifikationer inom ett kalenderår"
        ).format(
            first=reading.first_date,
            first_line=reading.first_line,
            last=reading.last_date,
            last_line=reading.last_line,
        ),
    )


def _outside_year(reading: _Reading, start: dt.date, end: dt.date) -> list[Problem]:
    """Each voucher dated outside the fiscal year, by its #VER line (the first MAX_LISTED, then a count)."""
    expected = _("ett datum inom räkenskapsåret {start}–{end}").format(start=start, end=end)
    if reading.late_year:  # the vouchers were read before the year: name the first and the last
        found = [(reading.first_line, reading.first_date), (reading.last_line, reading.last_date)]
        return [
            Problem(line, "#VER", day.isoformat(), expected)
            for line, day in dict.fromkeys(found)
            if day is not None and not start <= day <= end
        ]
    problems = [
        Problem(line, "#VER", day.isoformat(), f"{expected} (verifikation {name})" if name else expected)
        for line, name, day in reading.outside[:MAX_LISTED]
    ]
    if reading.outside_count > MAX_LISTED:
        line = reading.outside[MAX_LISTED][0]
        problems.append(
            Problem(
                line,
                "#VER",
                None,
                "",
                message=_(
                    "och {count} verifikationer till utanför räkenskapsåret {start}–{end}, från rad {line}"
                ).format(count=reading.outside_count - MAX_LISTED, start=start, end=end, line=line),
            )
        )
    return problems


def _older_than_in_force(reading: _Reading, previous: list[LedgerImport]) -> list[Problem]:
    """A full export made before one in force for its year would silently put older books back."""
    if reading.generated is None:
        return []
    newer = [old for old in previous if old.generated is not None and old.generated > reading.generated]
    return [
        Problem(
            reading.generated_line,
            "#GEN",
            reading.generated.isoformat(),
            "",
            message=_(
                "filen exporterades {date}, men bokföringen som gäller för räkenskapsåret {start}–{end} "
                "kommer från en senare export: {file}, exporterad {newer} och importerad {imported}. En "
                "äldre export ersätter inte en nyare; den nyare gäller och inget har ändrats. Vill du gå "
                "tillbaka, gör en ny export ur bokföringssystemet (den får dagens datum)"
            ).format(
                date=reading.generated,
                start=old.year_start,
                end=old.year_end,
                file=old.filename,
                newer=old.generated,
                imported=f"{old.imported_at:%Y-%m-%d %H:%M}",
            ),
        )
        for old in newer
    ]


def _already_in_force(reading: _Reading, source: LedgerImport, start: dt.date) -> list[Problem]:
    """Numbered vouchers of a file that adds vouchers (no balances) that the year's books already hold."""
    if not reading.numbered:
        return []
    held = (
        LedgerRow.objects.filter(
            association_id=source.association_id,
            source__in_force=True,
            source__year_start=start,
            voucher__in=LedgerRow.objects.filter(source=source).exclude(voucher="").values("voucher"),
        )
        .exclude(source=source)
        .values("voucher", "source__filename")
        .annotate(day=Min("date"))
        .order_by()
    )
    found: dict[str, tuple[str, dt.date]] = {}
    for hit in held:
        found.setdefault(hit["voucher"], (hit["source__filename"], hit["day"]))
    return sorted(
        (
            Problem(
                line,
                "#VER",
                name,
                "",
                message=_(
                    "verifikation {name} finns redan i bokföringen som gäller för räkenskapsåret (från "
                    "{file}, daterad {day}); en fil utan saldon lägger till sina verifikationer, så den "
                    "skulle räknas två gånger. Importera verifikationer som inte redan finns, eller en "
                    "fullständig export med saldon som ersätter året"
                ).format(name=name, file=found[name][0], day=found[name][1]),
            )
            for name, line in reading.numbered.items()
            if name in found
        ),
        key=lambda problem: problem.line or 0,
    )


ROW_FIELDS = ("date", "account", "object_key", "ore", "voucher", "text")
BALANCE_FIELDS = ("year_start", "kind", "account", "ore", "own_year")


def _same_books(source: LedgerImport, previous: list[LedgerImport]) -> bool:
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


def _accounts_differ(association: Association, reading: _Reading) -> bool:
    """Would the file add an account or rename one?"""
    known = dict(LedgerAccount.objects.filter(association=association).values_list("number", "name"))
    return any(known.get(number) != name[:200] for number, name in reading.accounts.items())


def _store_balances(reading: _Reading, source: LedgerImport, start: dt.date) -> None:
    rows = []
    for balance in reading.balances:
        year = reading.years.get(balance.year)
        if year is None or not balance.account.isdigit():
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


def _store_accounts(association: Association, accounts: dict[int, str]) -> None:
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


def _balance_warnings(source: LedgerImport, start: dt.date) -> list[str]:
    """Balance accounts whose opening balance plus the year's rows differ from the file's closing balance."""
    opening = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="IB")}
    closing = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="UB")}
    if not closing:
        return []
    moved = {
        r["account"]: r["total"] for r in source.ledger_rows.values("account").annotate(total=Sum("ore"))
    }
    warnings = []
    for account in sorted(set(opening) | set(closing) | set(moved)):
        if not is_balance_account(account):
            continue
        expected = closing.get(account, 0)
        got = opening.get(account, 0) + moved.get(account, 0)
        if got != expected:
            warnings.append(
                f"konto {account}: IB + verifikationer = {from_ore(got):.2f}, "
                f"men filens UB är {from_ore(expected):.2f}"
            )
    return warnings
