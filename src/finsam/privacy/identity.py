"""Swedish personal identity numbers: validation and pseudonymisation.

A personnummer (or a samordningsnummer, where the day of birth is increased by 60) is
checked here and then only ever kept as a keyed pseudonym. Nothing in this module logs
or prints a number: `PersonalNumber` hides its digits in `repr()` and
`InvalidPersonalNumber` keeps the offending text in an attribute, never in its message,
so a traceback or a log line does not leak it.

The `personnummer` package on PyPI was considered and not used: it reports no reason
for a rejection, reads the current date from a module global instead of taking it as an
argument, and accepts a birth date in the future. The tests use it as an independent
oracle for the check digit and the calendar.

Reversible storage (sealing a number for a registrar) is deliberately absent: it needs
authenticated encryption, and no vetted implementation (`cryptography`) is installed.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = [
    "MIN_KEY_BYTES",
    "InvalidPersonalNumber",
    "PersonalNumber",
    "Problem",
    "Pseudonymiser",
    "load_or_create_key",
    "looks_like_personal_number",
    "mask_personal_numbers",
    "parse_personal_number",
]

# The birth date decides the century of a 10-digit number, so "today" must be the
# Swedish calendar day, not the server's UTC day.
_SWEDISH_TIME = ZoneInfo("Europe/Stockholm")

# Samordningsnummer add this to the day of birth.
_COORDINATION_DAY_OFFSET = 60

MIN_KEY_BYTES = 32

# Spreadsheets and word processors turn a typed hyphen into one of these (U+2010-U+2015, U+2212).
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_BLANKS = re.compile(r"\s+")

# The accepted layout once blanks are removed: 6 or 8 digits of date, an
# optional separator, 4 digits (three serial digits and the check digit).
_LAYOUT = re.compile(r"(?P<date>\d{6}|\d{8})(?P<sep>[-+]?)(?P<tail>\d{4})")

# What counts as an attempt at a personnummer, to be validated rather than taken as a free-text participant
# key, and to be masked wherever a text is echoed: digits joined by at most a few characters that are neither
# letters nor digits (blanks, . - / + and the like), so "19850101.1236", "850101/1236" and
# "pnr 850101-1236" are all seen. A run of 10 to 12 digits is an attempt; so is a run of 9 or of 13 and more
# (a digit missing or extra, or a number run together with another one) where one of its digit groups starts
# with a plausible birth date. A typo must be reported, never silently turned into a new participant.
_DIGIT_SPAN = re.compile(r"\d(?:[\W_]{0,4}\d)*")
_DIGIT_GROUP = re.compile(r"\d+")
_SERIAL_AFTER_DATE = 3  # digits that must follow a birth date for a run of 9 or 13+ to count

# Letters that are typed, scanned or pasted for digits: O for 0, l or I for 1, in Latin, Greek and Cyrillic.
# A word made of these letters only is read as those digits when deciding whether a text is an attempt at a
# personnummer ("8501O11236"); a word with any other letter ("Olle") is a word.
_LOOKALIKE_DIGITS = str.maketrans(
    {
        **dict.fromkeys("Oo\u039f\u03bf\u041e\u043e", "0"),
        **dict.fromkeys("lI\u0399\u0406\u0456\u04c0", "1"),
    }
)
_LETTERS = re.compile(r"[^\W\d_]+")


class Problem(enum.Enum):
    """Why a text is not a valid personal identity number.

    The values are the English message templates, kept together here so that the
    user interface can translate them by member.
    """

    EMPTY = "no personal identity number was given"
    BAD_CHARACTERS = "only digits, blanks and one - or + separator are allowed"
    WRONG_LENGTH = "expected 10 or 12 digits, got {count}"
    BAD_LAYOUT = "expected the form YYYYMMDD-NNNN or YYMMDD-NNNN"
    PLUS_TOO_YOUNG = "the + separator is for people who turn 100 this year or are older, not born in {year}"
    NO_SUCH_DATE = "no such date: {date}"
    FUTURE_DATE = "the birth date {date} is in the future"
    SERIAL_ZERO = "the serial number 000 is never issued"
    BAD_CHECK_DIGIT = "the check digit should be {expected}"


class InvalidPersonalNumber(ValueError):
    """The text is not a valid personnummer or samordningsnummer.

    `value` is the text as given (it may be a real number with a typo: handle it as
    personal data); `problem` says why, `details` fills the message template, and
    `reason` is the English message. `str()` gives the reason only.
    """

    def __init__(self, value: str, problem: Problem, /, **details: object) -> None:
        self.value = value
        self.problem = problem
        self.details = details
        self.reason = problem.value.format(**details)
        super().__init__(self.reason)


@dataclass(frozen=True, repr=False)
class PersonalNumber:
    """A validated number; create it with `parse_personal_number`.

    `canonical` is the 12-digit form without separator (YYYYMMDDNNNC, with the day
    still +60 for a samordningsnummer): the single form that is pseudonymised.
    """

    canonical: str
    birth_date: date
    is_coordination_number: bool

    def __repr__(self) -> str:
        return "PersonalNumber(<hidden>)"


def _typed_form(text: str) -> str:
    # People type "121212 - 1212" and paste en dashes or full-width digits from documents; none of them
    # changes which number is meant.
    return _BLANKS.sub("", unicodedata.normalize("NFKC", text).translate(_DASHES))


def _swedish_today() -> date:
    return datetime.now(_SWEDISH_TIME).date()


def _check_digit(nine_digits: str) -> int:
    """Luhn check digit over YYMMDDNNN, weights 2, 1, 2, … from the left."""
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _full_year(two_digits: int, separator: str, today: date) -> int:
    # The hyphen becomes a plus from the calendar year a person turns 100, so the
    # century is chosen by year alone: the latest year ending in these digits that is
    # not after this year, moved back a century for "+".
    year = today.year - (today.year - two_digits) % 100
    return year - 100 if separator == "+" else year


def parse_personal_number(text: str, *, today: date | None = None) -> PersonalNumber:
    """Validate a typed personnummer or samordningsnummer.

    Accepts YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDDNNNN and YYMMDD+NNNN (the
    plus for someone who is 100 or turns 100 in the current year), ignoring blanks and
    taking any typographic dash for the hyphen. `today` (default: the current Swedish
    date) fixes the century of the 10-digit forms and rules out birth dates in the
    future. The date must be a real calendar date, also for a samordningsnummer.
    """
    typed = _typed_form(text)
    if not typed:
        raise InvalidPersonalNumber(text, Problem.EMPTY)
    if any(char not in "0123456789-+" for char in typed):
        raise InvalidPersonalNumber(text, Problem.BAD_CHARACTERS)
    digit_count = sum(char.isdigit() for char in typed)
    if digit_count not in (10, 12):
        raise InvalidPersonalNumber(text, Problem.WRONG_LENGTH, count=digit_count)
    layout = _LAYOUT.fullmatch(typed)
    if layout is None:
        raise InvalidPersonalNumber(text, Problem.BAD_LAYOUT)
    date_part, separator, tail = layout["date"], layout["sep"], layout["tail"]
    if today is None:
        today = _swedish_today()

    if len(date_part) == 8:
        year = int(date_part[:4])
        # The century is explicit, so a "+" is redundant; it is accepted only where it
        # is also right, since otherwise one of the two parts is a typo.
        if separator == "+" and today.year - year < 100:
            raise InvalidPersonalNumber(text, Problem.PLUS_TOO_YOUNG, year=year)
    else:
        year = _full_year(int(date_part[:2]), separator, today)
    month, day = int(date_part[-4:-2]), int(date_part[-2:])

    is_coordination = day > _COORDINATION_DAY_OFFSET
    birth_day = day - _COORDINATION_DAY_OFFSET if is_coordination else day
    try:
        birth_date = date(year, month, birth_day)
    except ValueError:
        shown = f"{year:04d}-{month:02d}-{birth_day:02d}"
        raise InvalidPersonalNumber(text, Problem.NO_SUCH_DATE, date=shown) from None
    if birth_date > today:
        raise InvalidPersonalNumber(text, Problem.FUTURE_DATE, date=birth_date.isoformat())
    if tail[:3] == "000":
        raise InvalidPersonalNumber(text, Problem.SERIAL_ZERO)

    short = date_part[-6:] + tail
    expected = _check_digit(short[:9])
    if int(short[9]) != expected:
        raise InvalidPersonalNumber(text, Problem.BAD_CHECK_DIGIT, expected=expected)
    return PersonalNumber(
        canonical=f"{year:04d}{short[2:]}",
        birth_date=birth_date,
        is_coordination_number=is_coordination,
    )


def _plausible_date(digits: str) -> bool:
    """YYYYMMDD or YYMMDD with a real month and a day of 1-31 (or 61-91 for a samordningsnummer)."""
    if len(digits) == 8 and not 1800 <= int(digits[:4]) <= 2199:
        return False
    month, day = int(digits[-4:-2]), int(digits[-2:])
    return 1 <= month <= 12 and (1 <= day <= 31 or 1 <= day - _COORDINATION_DAY_OFFSET <= 31)


def _is_attempt(span: str) -> bool:
    groups = _DIGIT_GROUP.findall(span)
    # Python's \d also matches other scripts' digits (full-width ones, say): read them as 0-9.
    digits = "".join(str(unicodedata.decimal(char)) for group in groups for char in group)
    count = len(digits)
    if 10 <= count <= 12:
        return True
    if count < 9:
        return False
    start = 0
    for group in groups:
        for width in (8, 6):
            if count - start - width >= _SERIAL_AFTER_DATE and _plausible_date(digits[start : start + width]):
                return True
        start += len(group)
    return False


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def _read_as_digits(text: str) -> str:
    """The text as a personnummer in it would be read, character for character (so that a span of the result
    is the same span of the text): compatibility forms folded (full-width digits and letters, odd blanks), and
    each word made only of letters that look like digits read as those digits."""
    folded = text if text.isascii() else "".join(map(_fold, text))
    return _LETTERS.sub(
        lambda word: digits if (digits := word[0].translate(_LOOKALIKE_DIGITS)).isdecimal() else word[0],
        folded,
    )


def _attempts(read: str) -> list[tuple[int, int]]:
    """Where a text, as `_read_as_digits` gives it, holds attempts at a personnummer: (start, end) of each."""
    return [span.span() for span in _DIGIT_SPAN.finditer(read) if _is_attempt(span[0])]


def looks_like_personal_number(text: str) -> bool:
    """Whether a text holds an attempt at a personnummer anywhere in it.

    True for 10 to 12 digits joined by blanks or other separators (". - / +", any Unicode dash or blank),
    wherever they stand in the text ("pnr 850101-1236"), and for 9 or 13 and more such digits where a
    plausible birth date starts one of their groups. Letters that look like digits count as those digits
    where they make up a word of their own among digits ("8501O11236", "l9850101-1236"); full-width digits
    count too. A participant key for which this holds is validated as a personnummer (and refused when it
    is not a valid one), never stored as a free-text key; other free text holding such a run is refused
    or masked.
    """
    return bool(_attempts(_read_as_digits(text)))


def mask_personal_numbers(text: str) -> str:
    """The text with every digit of each personnummer-looking sequence replaced by "*".

    The one way a text that may hold a personnummer (an import's cell, a file name) is echoed in a message,
    a page or an audit entry: "Rad 2 pnr 850101-1236" becomes "Rad 2 pnr ******-****", and a letter read
    as a digit is hidden with the digits ("8501O11236" becomes "**********"). Other digits (dates, counts,
    short keys) are kept.
    """
    read = _read_as_digits(text)
    shown = list(text)
    for start, end in _attempts(read):
        for position in range(start, end):
            if read[position].isdecimal():
                shown[position] = "*"
    return "".join(shown)


def _normalise_key(own_key: str) -> str:
    # NFKC folds the many ways a spreadsheet can encode the same letter or digit
    # (composed "å" or "a" plus ring, full-width digits); casefold and collapsed blanks
    # make "AB 12" and " ab  12 " one participant, as a person would read them.
    return " ".join(unicodedata.normalize("NFKC", own_key).casefold().split())


class Pseudonymiser:
    """Keyed, one-way pseudonyms for participants of one association.

    A pseudonym is hex HMAC-SHA256 under the secret key. The context (say, the
    association's slug) is mixed in, so one person has unrelated pseudonyms in two
    associations and their tables cannot be joined. Personal numbers and the
    association's own free-text keys live in separate domains: an own key never
    collides with a personal number's pseudonym.
    """

    __slots__ = ("_context", "_key")

    def __init__(self, key: bytes, context: str) -> None:
        if not isinstance(key, bytes):
            raise TypeError("the pseudonymisation key must be bytes")
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(
                f"the pseudonymisation key must be at least {MIN_KEY_BYTES} bytes, got {len(key)}"
            )
        if not context:
            raise ValueError("the pseudonymisation context must not be empty")
        self._key = key
        # The context is length-prefixed so that no pair of context and value can be
        # read as a different pair.
        encoded = context.encode("utf-8")
        self._context = str(len(encoded)).encode("ascii") + b":" + encoded

    def __repr__(self) -> str:
        return "Pseudonymiser(<key hidden>)"

    def _digest(self, domain: bytes, value: str) -> str:
        message = domain + b"\x00" + self._context + b"\x00" + value.encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def pseudonym(self, number: PersonalNumber) -> str:
        """The pseudonym of a personal number: 64 hex digits."""
        return self._digest(b"personal-number", number.canonical)

    def key_pseudonym(self, own_key: str) -> str:
        """The pseudonym of an association's own participant key: 64 hex digits.

        The key is compared as a person would read it: blanks around and inside it
        collapsed, letter case and Unicode forms ignored.
        """
        normalised = _normalise_key(own_key)
        if not normalised:
            raise ValueError("an empty participant key cannot be pseudonymised")
        return self._digest(b"own-key", normalised)


def load_or_create_key(path: Path) -> bytes:
    """Read the hex-encoded secret key at `path`, creating it first if it is absent.

    A new key is 32 random bytes in a file only its owner can read (0600). It is
    written to a temporary file and then linked into place, which fails if the key
    exists: two processes starting at once agree on one complete key. Losing this file
    makes every stored pseudonym unmatchable: back it up, but never into the database
    whose pseudonyms it protects.
    """
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as new_file:
                new_file.write(secrets.token_bytes(MIN_KEY_BYTES).hex() + "\n")
                new_file.flush()
                os.fsync(new_file.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            Path(temporary).unlink()
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ValueError(f"the key file {path} does not hold hex digits") from None
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the key file {path} holds {len(key)} bytes, at least {MIN_KEY_BYTES} are needed")
    return key
