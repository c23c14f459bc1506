"""The records of an SIE 4 file, the read file as a whole, and the errors a reader reports.

Every record carries the 1-based line it was read from; the line takes no part in equality, so a record
read back from a written file equals the one written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

ObjectRef = tuple[int, str]
"""An object: (dimension number, object code), as in ``{6 "STEG"}``."""

ObjectList = tuple[ObjectRef, ...]


class RowKind(StrEnum):
    """What a voucher row is: an ordinary row, one added afterwards, or one removed afterwards."""

    TRANS = "#TRANS"
    RTRANS = "#RTRANS"
    BTRANS = "#BTRANS"


class BalanceKind(StrEnum):
    """The balance records: opening, closing, result, per object, per period, budget per period."""

    IB = "#IB"
    UB = "#UB"
    OIB = "#OIB"
    OUB = "#OUB"
    RES = "#RES"
    PSALDO = "#PSALDO"
    PBUDGET = "#PBUDGET"


class AccountType(StrEnum):
    """#KTYP: asset, liability (or equity), cost, income."""

    ASSET = "T"
    LIABILITY = "S"
    COST = "K"
    INCOME = "I"


@dataclass(slots=True)
class Flag:
    """#FLAGGA: 1 once the file has been imported."""

    line: int = field(compare=False)
    value: int


@dataclass(slots=True)
class Format:
    """#FORMAT, normally PC8 (even when the file is in fact UTF-8)."""

    line: int = field(compare=False)
    value: str


@dataclass(slots=True)
class SieType:
    """#SIETYP: 1 to 4."""

    line: int = field(compare=False)
    value: int


@dataclass(slots=True)
class Program:
    """#PROGRAM: the exporting program."""

    line: int = field(compare=False)
    name: str
    version: str


@dataclass(slots=True)
class Generated:
    """#GEN: when and by whom the file was written."""

    line: int = field(compare=False)
    date: dt.date
    signature: str


@dataclass(slots=True)
class OrgNumber:
    """#ORGNR: the organisation number, as written (with or without a hyphen)."""

    line: int = field(compare=False)
    number: str


@dataclass(slots=True)
class CompanyName:
    """#FNAMN."""

    line: int = field(compare=False)
    name: str


@dataclass(slots=True)
class CompanyId:
    """#FNR: the exporting program's own code for the company."""

    line: int = field(compare=False)
    value: str


@dataclass(slots=True)
class CompanyType:
    """#FTYP: AB, E, HB, I (non-profit association)…"""

    line: int = field(compare=False)
    value: str


@dataclass(slots=True)
class Address:
    """#ADRESS."""

    line: int = field(compare=False)
    contact: str
    street: str
    postal: str
    phone: str


@dataclass(slots=True)
class FiscalYear:
    """#RAR: index 0 is the current year, -1 the one before."""

    line: int = field(compare=False)
    index: int
    start: dt.date
    end: dt.date


@dataclass(slots=True)
class TaxYear:
    """#TAXAR."""

    line: int = field(compare=False)
    year: int


@dataclass(slots=True)
class Coverage:
    """#OMFATTN: the date up to which balances and results are included."""

    line: int = field(compare=False)
    date: dt.date


@dataclass(slots=True)
class ChartType:
    """#KPTYP: the chart of accounts, e.g. EUBAS97."""

    line: int = field(compare=False)
    value: str


@dataclass(slots=True)
class Currency:
    """#VALUTA."""

    line: int = field(compare=False)
    code: str


@dataclass(slots=True)
class IndustryCode:
    """#BKOD: SNI code."""

    line: int = field(compare=False)
    code: str


@dataclass(slots=True)
class Comment:
    """#PROSA: free text."""

    line: int = field(compare=False)
    text: str


@dataclass(slots=True)
class Account:
    """#KONTO."""

    line: int = field(compare=False)
    number: str
    name: str


@dataclass(slots=True)
class AccountKind:
    """#KTYP."""

    line: int = field(compare=False)
    account: str
    type: AccountType


@dataclass(slots=True)
class AccountUnit:
    """#ENHET: the unit of an account's quantities."""

    line: int = field(compare=False)
    account: str
    unit: str


@dataclass(slots=True)
class SruCode:
    """#SRU: the tax-return code of an account."""

    line: int = field(compare=False)
    account: str
    code: str


@dataclass(slots=True)
class Dimension:
    """#DIM, or #UNDERDIM when ``parent`` is set."""

    line: int = field(compare=False)
    number: int
    name: str
    parent: int | None = None


@dataclass(slots=True)
class ObjectDef:
    """#OBJEKT: an object (a cost centre, a project…) of a dimension."""

    line: int = field(compare=False)
    dimension: int
    code: str
    name: str


@dataclass(slots=True)
class Balance:
    """#IB, #UB, #RES (no objects), #OIB, #OUB (one object), #PSALDO, #PBUDGET (a period, objects or none).

    ``year`` is the #RAR index (0 current, -1 previous); ``period`` is YYYYMM for #PSALDO and #PBUDGET.
    """

    line: int = field(compare=False)
    kind: BalanceKind
    year: int
    period: int | None
    account: str
    objects: ObjectList
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(slots=True)
class Transaction:
    """A voucher row. ``date`` None means the voucher's date; only #TRANS rows count in the books."""

    line: int = field(compare=False)
    kind: RowKind
    account: str
    objects: ObjectList
    amount: Decimal
    date: dt.date | None = None
    text: str = ""
    quantity: Decimal | None = None
    signature: str = ""


@dataclass(slots=True)
class Voucher:
    """#VER with its rows. A voucher is only handed out once its counted rows are known to balance."""

    line: int = field(compare=False)
    series: str
    number: str
    date: dt.date
    text: str = ""
    registered: dt.date | None = None
    signature: str = ""
    transactions: list[Transaction] = field(default_factory=list)

    def counted(self) -> list[Transaction]:
        """The rows that count in the books (#TRANS; an #RTRANS is repeated by the #TRANS after it)."""
        return [row for row in self.transactions if row.kind is RowKind.TRANS]


@dataclass(slots=True)
class Checksum:
    """#KSUMMA: without a value at the start of a file, with the CRC-32 at its end (not verified)."""

    line: int = field(compare=False)
    value: int | None


@dataclass(slots=True)
class UnknownRecord:
    """A label this reader does not know; the standard says to ignore it."""

    line: int = field(compare=False)
    label: str
    fields: tuple[str | tuple[str, ...], ...]


Record = (
    Flag
    | Format
    | SieType
    | Program
    | Generated
    | OrgNumber
    | CompanyName
    | CompanyId
    | CompanyType
    | Address
    | FiscalYear
    | TaxYear
    | Coverage
    | ChartType
    | Currency
    | IndustryCode
    | Comment
    | Account
    | AccountKind
    | AccountUnit
    | SruCode
    | Dimension
    | ObjectDef
    | Balance
    | Voucher
    | Checksum
    | UnknownRecord
)


@dataclass
class SieFile:
    """What :func:`finsam.sie.read_sie` gathers from a file.

    ``vouchers`` and ``balances`` stay empty when the caller takes them through callbacks instead.
    """

    encoding: str
    flag: int | None = None
    format: str | None = None
    sie_type: int | None = None
    program: Program | None = None
    generated: Generated | None = None
    org_number: str | None = None
    company_name: str | None = None
    company_id: str | None = None
    company_type: str | None = None
    address: Address | None = None
    fiscal_years: dict[int, FiscalYear] = field(default_factory=dict)
    tax_year: int | None = None
    coverage: dt.date | None = None
    chart_type: str | None = None
    currency: str | None = None
    industry_code: str | None = None
    comments: list[str] = field(default_factory=list)
    accounts: dict[str, Account] = field(default_factory=dict)
    account_types: dict[str, AccountType] = field(default_factory=dict)
    account_units: dict[str, str] = field(default_factory=dict)
    sru_codes: dict[str, str] = field(default_factory=dict)
    dimensions: dict[int, Dimension] = field(default_factory=dict)
    objects: dict[ObjectRef, ObjectDef] = field(default_factory=dict)
    balances: list[Balance] = field(default_factory=list)
    vouchers: list[Voucher] = field(default_factory=list)
    voucher_count: int = 0
    row_count: int = 0
    """Counted rows (#TRANS) over all vouchers."""
    checksum: int | None = None
    unknown_labels: dict[str, int] = field(default_factory=dict)
    """Label → how many times it occurred."""
    undeclared_accounts: set[str] = field(default_factory=set)
    """Accounts used by rows or balances that no #KONTO declares."""
    undeclared_objects: set[ObjectRef] = field(default_factory=set)
    """Objects used by rows or balances that no #OBJEKT declares."""


# The text of every error, in one place so that it can be translated. Placeholders are filled from the
# error's fields (value, expected, record) and its params.
MESSAGES: dict[str, str] = {
    "expected_label": "expected a record label such as #VER, found {value!r}",
    "unclosed_quote": "this quoted text has no closing quote",
    "nested_brace": "an object list cannot contain another '{{'",
    "unclosed_object_list": "this object list has no closing '}}'",
    "stray_brace": "unexpected {value!r} here",
    "missing_field": "{record} ends here; expected {expected}",
    "bad_value": "{value!r} is not {expected}",
    "row_outside_voucher": "{record} outside a voucher; rows belong between '{{' and '}}' after #VER",
    "missing_voucher_open": "expected '{{' on the line after #VER (line {opened}), found {value!r}",
    "voucher_not_closed": "the voucher opened on line {opened} is not closed with '}}'",
    "record_in_voucher": "{record} inside the voucher opened on line {opened}; is its '}}' missing?",
    "unbalanced": "voucher {series} {number} does not balance: its rows sum to {value}, expected 0",
    "rtrans_without_trans": (
        "#RTRANS must be followed by a #TRANS with the same account, objects and amount ({value})"
    ),
}

EXPECTED: dict[str, str] = {
    "amount": "an amount such as -1234.50 (at most two decimals and 19 characters)",
    "quantity": "a quantity such as 1.5",
    "date": "a date YYYYMMDD",
    "optional_date": 'a date YYYYMMDD or ""',
    "period": "a period YYYYMM",
    "year": "a year index: 0 for the current year, -1 for the one before, …",
    "calendar_year": "a year such as 2025",
    "integer": "a whole number",
    "account": "an account number (digits)",
    "dimension": "a dimension number (digits)",
    "object_code": "an object code (not empty)",
    "object_list": 'an object list such as {6 "P1"} or {}',
    "text": "a text",
    "flag": "0 or 1",
    "sie_type": "1, 2, 3 or 4",
    "account_type": "T, S, K or I",
}


class SieError(Exception):
    """One problem at one place in an SIE file.

    ``code`` names the message in :data:`MESSAGES`; ``expected_key`` names the description of what was
    expected in :data:`EXPECTED` (``expected`` is that description). ``column`` is 1-based and counts
    characters (a tab is one); it is None where the problem is the record rather than a field.
    """

    def __init__(
        self,
        code: str,
        line: int,
        record: str | None = None,
        column: int | None = None,
        value: str | None = None,
        expected: str | None = None,
        **params: object,
    ) -> None:
        self.code = code
        self.line = line
        self.record = record
        self.column = column
        self.value = value
        self.expected_key = expected
        self.expected = EXPECTED.get(expected, expected) if expected else None
        self.params = params
        super().__init__(str(self))

    @property
    def message(self) -> str:
        """The problem itself, without its place."""
        return MESSAGES[self.code].format(
            value=self.value, expected=self.expected, record=self.record, **self.params
        )

    def __str__(self) -> str:
        place = f"line {self.line}" if self.column is None else f"line {self.line}, column {self.column}"
        return f"{place}: {self.message}"


class SieSyntaxError(SieError):
    """A line that cannot be split into fields: quotes, braces, separators, a missing label."""


class SieValueError(SieError):
    """A field that is missing or does not hold what its record needs."""


class SieStructureError(SieError):
    """Records in the wrong place: rows outside a voucher, a voucher without its braces."""


class SieBalanceError(SieError):
    """A voucher whose rows do not sum to zero, or an #RTRANS without its #TRANS."""


class SieErrors(Exception):
    """Every problem found in a file (up to the reader's limit); the file must be refused whole."""

    def __init__(self, errors: list[SieError], truncated: bool = False) -> None:
        self.errors = sorted(errors, key=lambda error: error.line)
        self.truncated = truncated
        super().__init__(str(self))

    def __str__(self) -> str:
        count = f"{len(self.errors)} errors" if len(self.errors) != 1 else "1 error"
        head = f"the SIE file has {count}" + (", reading stopped there" if self.truncated else "")
        return "\n".join([head + ":", *(str(error) for error in self.errors)])
