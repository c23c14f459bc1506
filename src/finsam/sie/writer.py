"""Writing SIE 4 files: CP437 (``#FORMAT PC8``) with CRLF line ends, as the standard asks."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO

from .model import (
    Account,
    AccountKind,
    AccountUnit,
    Address,
    Balance,
    BalanceKind,
    ChartType,
    Checksum,
    Comment,
    CompanyId,
    CompanyName,
    CompanyType,
    Coverage,
    Currency,
    Dimension,
    FiscalYear,
    Flag,
    Format,
    Generated,
    IndustryCode,
    ObjectDef,
    ObjectList,
    OrgNumber,
    Program,
    Record,
    SieType,
    SruCode,
    TaxYear,
    Transaction,
    UnknownRecord,
    Voucher,
)

_BARE = re.compile(r"[0-9A-Za-z_.,:;/+\-]+")  # written without quotes: nothing a reader could misread
_CENT = Decimal("0.01")


def write_sie(target: str | os.PathLike[str] | IO[bytes], records: Iterable[Record]) -> None:
    """Write records, in the order given, as an SIE file (CP437, CRLF).

    Raises ValueError for what SIE cannot hold: a character outside CP437 (UnicodeEncodeError), a line
    break inside a text, an amount with more than two decimals, or objects on #IB, #UB or #RES.
    """
    if isinstance(target, str | os.PathLike):
        with Path(target).open("wb") as binary:
            write_sie(binary, records)
        return
    for record in records:
        target.write((format_record(record) + "\r\n").encode("cp437"))


def format_record(record: Record) -> str:
    """The line of a record (for a voucher, its lines joined by CRLF), without the final line end."""
    match record:
        case Voucher():
            head = _line(
                "#VER",
                [_word(record.series), _word(record.number), _date(record.date)],
                [_text(record.text), _date(record.registered), _text(record.signature)],
            )
            return "\r\n".join([head, "{", *(f"   {_row(row)}" for row in record.transactions), "}"])
        case Balance():
            return _balance(record)
        case Account():
            return _line("#KONTO", [record.number, _text(record.name)])
        case AccountKind():
            return _line("#KTYP", [record.account, record.type.value])
        case AccountUnit():
            return _line("#ENHET", [record.account, _text(record.unit)])
        case SruCode():
            return _line("#SRU", [record.account, _word(record.code)])
        case Dimension():
            if record.parent is None:
                return _line("#DIM", [str(record.number), _text(record.name)])
            return _line("#UNDERDIM", [str(record.number), _text(record.name), str(record.parent)])
        case ObjectDef():
            return _line("#OBJEKT", [str(record.dimension), _text(record.code), _text(record.name)])
        case FiscalYear():
            return _line("#RAR", [str(record.index), _date(record.start), _date(record.end)])
        case Flag():
            return _line("#FLAGGA", [str(record.value)])
        case Format():
            return _line("#FORMAT", [_word(record.value)])
        case SieType():
            return _line("#SIETYP", [str(record.value)])
        case Program():
            return _line("#PROGRAM", [_text(record.name), _word(record.version)])
        case Generated():
            return _line("#GEN", [_date(record.date)], [_text(record.signature)])
        case OrgNumber():
            return _line("#ORGNR", [_word(record.number)])
        case CompanyName():
            return _line("#FNAMN", [_text(record.name)])
        case CompanyId():
            return _line("#FNR", [_word(record.value)])
        case CompanyType():
            return _line("#FTYP", [_word(record.value)])
        case Address():
            fields = [record.contact, record.street, record.postal, record.phone]
            return _line("#ADRESS", [_text(field) for field in fields])
        case TaxYear():
            return _line("#TAXAR", [str(record.year)])
        case Coverage():
            return _line("#OMFATTN", [_date(record.date)])
        case ChartType():
            return _line("#KPTYP", [_word(record.value)])
        case Currency():
            return _line("#VALUTA", [_word(record.code)])
        case IndustryCode():
            return _line("#BKOD", [_word(record.code)])
        case Comment():
            return _line("#PROSA", [_text(record.text)])
        case Checksum():
            return _line("#KSUMMA", [] if record.value is None else [str(record.value)])
        case UnknownRecord():
            fields = [_word(item) if isinstance(item, str) else _raw_objects(item) for item in record.fields]
            return _line(record.label, fields)


def _line(label: str, required: list[str], optional: Iterable[str] = ()) -> str:
    """Fields after the label; trailing optional fields that are empty (``""``) are left out."""
    fields = [*required, *optional]
    while len(fields) > len(required) and fields[-1] == '""':
        fields.pop()
    return " ".join([label, *fields])


def _row(row: Transaction) -> str:
    fields = [row.account, _objects(row.objects), _amount(row.amount)]
    optional = [_date(row.date), _text(row.text), _quantity(row.quantity), _text(row.signature)]
    return _line(row.kind.value, fields, optional)


def _balance(balance: Balance) -> str:
    fields = [str(balance.year)]
    if balance.kind in (BalanceKind.PSALDO, BalanceKind.PBUDGET):
        if balance.period is None:
            raise ValueError(f"{balance.kind.value} needs a period")
        fields.append(f"{balance.period:06d}")
    fields.append(balance.account)
    if balance.kind in (BalanceKind.IB, BalanceKind.UB, BalanceKind.RES):
        if balance.objects:
            raise ValueError(f"{balance.kind.value} cannot hold objects; use #OIB, #OUB or #PSALDO")
    else:
        fields.append(_objects(balance.objects))
    fields.append(_amount(balance.amount))
    return _line(balance.kind.value, fields, [_quantity(balance.quantity)])


def _text(value: str) -> str:
    """A quoted string, with quotes and backslashes escaped."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"SIE cannot hold a line break inside a text: {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _word(value: str) -> str:
    """A code or number: bare when that is safe, quoted otherwise."""
    return value if _BARE.fullmatch(value) else _text(value)


def _date(value: dt.date | None) -> str:
    return '""' if value is None else f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _amount(value: Decimal) -> str:
    """Plain digits with at most two decimals and 19 characters, what the reader accepts."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"not an amount: {value}")
    if exponent < -2:
        rounded = value.quantize(_CENT)
        if rounded != value:
            raise ValueError(f"SIE amounts have at most two decimals: {value}")
        value = rounded
    text = f"{value:f}"
    if len(text) > 19:
        raise ValueError(f"amount too large for SIE: {value}")
    return text


def _quantity(value: Decimal | None) -> str:
    return '""' if value is None else f"{value:f}"


def _objects(objects: ObjectList) -> str:
    return "{" + " ".join(f"{dimension} {_text(code)}" for dimension, code in objects) + "}"


def _raw_objects(items: tuple[str, ...]) -> str:
    return "{" + " ".join(_word(item) for item in items) + "}"
