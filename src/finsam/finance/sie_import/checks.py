"""The checks of a read file that no single line shows: its year, whose books it is, and the books in force.

Each check raises :class:`ImportRejected` naming every problem it found; the import's transaction then
leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db.models import Min
from django.utils.translation import gettext as _

from finsam.core.formatting import amount_text, local_time
from finsam.core.imports import ImportRejected, Problem
from finsam.finance.models import LedgerBalance, LedgerImport, LedgerRow
from finsam.finance.sie_import.reading import MAX_LISTED, Reading, fiscal_year, take_calendar_years
from finsam.organisation.models import Association


def check_year(path: Path, reading: Reading, association: Association) -> tuple[dt.date, dt.date]:
    """The file's fiscal year (start, end), once the file is known to be this association's books for it.
    Year indexes the file uses without their #RAR take calendar years."""
    year = fiscal_year(reading)
    if year is None:
        raise ImportRejected(str(path), [_no_year(reading)])
    start, end = year
    take_calendar_years(reading, start)
    reading.problems += _outside_year(reading, start, end)
    reading.problems += _wrong_file(reading, association)
    if reading.problems:
        raise ImportRejected(str(path), reading.problems)
    return start, end


def org_number_of(reading: Reading) -> str | None:
    """The file's #ORGNR as the association keeps one ("222000-0000"); None when the file gives none."""
    given = reading.org_number
    digits = _digits(given.number) if given is not None else ""
    return f"{digits[-10:-4]}-{digits[-4:]}" if len(digits) in (10, 12) else None  # 12: with "16" before


def org_number_to_take(reading: Reading, association: Association) -> str | None:
    """The file's organisation number, when the association has none yet: its first file gives it one."""
    return None if association.org_number else org_number_of(reading)


def check_against_books(
    path: Path, reading: Reading, source: LedgerImport, previous: list[LedgerImport], start: dt.date
) -> None:
    """A full export must not be older than the imports in force for its year (``previous``); a file that adds
    vouchers must not add one they already hold."""
    problems = (
        _older_than_in_force(reading, previous)
        if reading.full_export
        else _already_in_force(reading, previous)
    )
    if problems:
        raise ImportRejected(str(path), problems)


def _wrong_file(reading: Reading, association: Association) -> list[Problem]:
    """What shows that the file cannot be this association's books for the year, though every line reads."""
    problems = _other_org_number(reading, association)
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


def _other_org_number(reading: Reading, association: Association) -> list[Problem]:
    """A file whose #ORGNR is not the association's (or, for an association without one, no number at all)."""
    given = reading.org_number
    if given is None or not _digits(given.number):
        return []  # the file names no organisation
    if not association.org_number:
        if org_number_of(reading) is not None:
            return []  # the association takes it
        return [Problem(given.line, "#ORGNR", given.number, "ett organisationsnummer med tio siffror")]
    if _digits(given.number)[-10:] == _digits(association.org_number):
        return []
    company = f" ({reading.company_name})" if reading.company_name else ""
    return [
        Problem(
            given.line,
            "#ORGNR",
            given.number,
            "",
            message=_(
                "filen är bokföringen för organisationsnummer {file}{company}, men {name} har "
                "organisationsnummer {own}; en annan organisations bokföring importeras inte"
            ).format(file=given.number, company=company, name=association.name, own=association.org_number),
        )
    ]


def _digits(text: str) -> str:
    return "".join(char for char in text if char in "0123456789")


def _no_year(reading: Reading) -> Problem:
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


def _outside_year(reading: Reading, start: dt.date, end: dt.date) -> list[Problem]:
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


def _older_than_in_force(reading: Reading, previous: list[LedgerImport]) -> list[Problem]:
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
                imported=local_time(old.imported_at),
            ),
        )
        for old in newer
    ]


def _already_in_force(reading: Reading, previous: list[LedgerImport]) -> list[Problem]:
    """Numbered vouchers of a file that adds vouchers (no balances) that the year's books (the imports in
    force, ``previous``) already hold. The books' vouchers are read once and looked up among the file's, so
    the time goes with the books in force, not with the file."""
    if not reading.numbered or not previous:
        return []
    held = (
        LedgerRow.objects.filter(source__in=previous)
        .exclude(voucher="")
        .values("voucher", "source__filename")
        .annotate(day=Min("date"))
        .order_by()
    )
    found: dict[str, tuple[str, dt.date]] = {}
    for hit in held.iterator(chunk_size=5000):
        if hit["voucher"] in reading.numbered:
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


def check_unbalanced(
    path: Path, reading: Reading, source: LedgerImport, start: dt.date, warnings: list[str]
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
                    message=f"verifikation {name} balanserar inte: raderna summerar till "
                    f"{amount_text(total)}, förväntade 0",
                )
                for line, name, total in reading.unbalanced
            ],
        )
