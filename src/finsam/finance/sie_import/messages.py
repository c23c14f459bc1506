"""What the import says: the reader's errors in Swedish, and what an import did or why it changed nothing.

The problems that a check finds are worded by the check itself (checks.py); the reader's, which is English and
free of Django, are worded here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext as _

from finsam.core.formatting import amount_text, local_time, number
from finsam.core.imports import ImportRejected, ImportResult, Problem
from finsam.finance.accounts_spec import NOT_A_NUMBER_ACCOUNT
from finsam.finance.models import LedgerImport
from finsam.finance.sie_import.reading import MAX_LISTED, Reading
from finsam.sie import SieError, SieErrors


def sie_messages() -> dict[str, str]:
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


def sie_expected() -> dict[str, str]:
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
    expected = sie_expected().get(error.expected_key or "", error.expected or "")
    template = sie_messages().get(error.code)
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


def reader_rejected(path: Path, errors: SieErrors) -> ImportRejected:
    """The reader's errors as the import's rejection of the file."""
    problems = [_problem(e) for e in errors.errors]
    if errors.truncated:
        problems.append(
            Problem(None, None, path.name, "", message=_("läsningen avbröts efter för många fel"))
        )
    return ImportRejected(str(path), problems)


def already_imported() -> ImportResult:
    """The same file is in force already."""
    return ImportResult(unchanged=1, details=["filen är redan importerad; inget ändrades"])


def unchanged_books(in_force: list[LedgerImport], start: dt.date, end: dt.date) -> ImportResult:
    """A full export giving exactly the books in force: the import in force stays."""
    names = ", ".join(f"{old.filename} från {local_time(old.imported_at)}" for old in in_force)
    return ImportResult(
        unchanged=1,
        details=[
            _(
                "inga ändringar: filen ger samma verifikationsrader och saldon som den import "
                "som gäller för räkenskapsåret {start}–{end} ({names}); den ligger kvar"
            ).format(start=start, end=end, names=names)
        ],
    )


def unbalanced_vouchers(reading: Reading) -> list[str]:
    """The vouchers that do not balance, as the import history keeps them."""
    return [f"{name} (rad {line}): {total:f}" for line, name, total in reading.unbalanced]


def imported(
    reading: Reading,
    source: LedgerImport,
    replaced: list[LedgerImport],
    changed_accounts: int,
    warnings: list[str],
) -> list[str]:
    """What an import did, line by line: its year and size, the imports it replaced and how many accounts got
    new amounts, the unbalanced vouchers its closing balances hold, and the balance warnings."""
    return [
        f"räkenskapsår {source.year_start}–{source.year_end}, {number(reading.vouchers)} verifikationer, "
        f"{number(source.rows)} rader",
        *(f"ersatte import {old.filename} från {local_time(old.imported_at)}" for old in replaced),
        *([f"{number(changed_accounts)} konton fick nya belopp"] if replaced else []),
        *(
            f"verifikation {name} (rad {line}) balanserar inte ({amount_text(total)}) men ingår i filens "
            "egna utgående balanser; den är importerad som exportören bokfört den"
            for line, name, total in reading.unbalanced
        ),
        *not_numbers(reading),
        *reading.notes,
        *warnings,
    ]


def not_numbers(reading: Reading) -> list[str]:
    """Rows on an account that is no number, named by their lines (the first MAX_LISTED, then a count)."""
    if not reading.not_numbers:
        return []
    accounts = ", ".join(sorted({account for _line, account in reading.not_numbers}))
    lines = ", ".join(str(line) for line, _account in reading.not_numbers[:MAX_LISTED])
    more = len(reading.not_numbers) - MAX_LISTED
    return [
        _(
            "{count} rader har ett konto som inte är ett kontonummer ({accounts}): de är importerade som "
            "konto {stored} och syns under Ej fördelat på rad tills kontot rättas i bokföringssystemet och "
            "filen exporteras igen; rad {lines}"
        ).format(
            count=number(len(reading.not_numbers)),
            accounts=accounts,
            stored=NOT_A_NUMBER_ACCOUNT,
            lines=lines,
        )
        + (_(" och {more} till").format(more=number(more)) if more > 0 else "")
    ]
