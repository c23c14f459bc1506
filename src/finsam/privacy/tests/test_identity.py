import hashlib
import hmac
import stat
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from personnummer import personnummer

from finsam.privacy.identity import (
    MIN_KEY_BYTES,
    InvalidPersonalNumber,
    PersonalNumber,
    Problem,
    Pseudonymiser,
    load_or_create_key,
    looks_like_personal_number,
    mask_personal_numbers,
    parse_personal_number,
)

TODAY = date(2025, 6, 1)
KEY = bytes(range(32))


def parse(text: str) -> PersonalNumber:
    return parse_personal_number(text, today=TODAY)


def check_digit_by_oracle(eleven: str) -> str:
    """The check digit of YYYYMMDDNNN according to the `personnummer` package."""
    (digit,) = (digit for digit in "0123456789" if personnummer.valid(eleven + digit))
    return digit


@pytest.mark.parametrize(
    ("text", "canonical", "born", "coordination"),
    [
        ("19121212-1212", "191212121212", date(1912, 12, 12), False),
        ("191212121212", "191212121212", date(1912, 12, 12), False),
        # Ten digits with a hyphen: under 100 this year, so born in 2012.
        ("121212-1212", "201212121212", date(2012, 12, 12), False),
        ("1212121212", "201212121212", date(2012, 12, 12), False),
        # The plus: 100 or older, so born in 1912.
        ("121212+1212", "191212121212", date(1912, 12, 12), False),
        ("19121212+1212", "191212121212", date(1912, 12, 12), False),
        # Samordningsnummer: day 63 is the 3rd.
        ("701063-2391", "197010632391", date(1970, 10, 3), True),
        ("19701063-2391", "197010632391", date(1970, 10, 3), True),
        # What spreadsheets and people make of the hyphen.
        (" 19121212 – 1212 ", "191212121212", date(1912, 12, 12), False),
        ("121212 - 1212", "201212121212", date(2012, 12, 12), False),
        # Any dash or blank of Unicode's, and full-width digits, are the same number.
        ("19121212\u20151212", "191212121212", date(1912, 12, 12), False),
        ("19121212\u2212\u00a01212", "191212121212", date(1912, 12, 12), False),
        ("19121212\u202f\u2010\u20071212", "191212121212", date(1912, 12, 12), False),
        ("１９１２１２１２－１２１２", "191212121212", date(1912, 12, 12), False),
    ],
)
def test_valid_numbers(text: str, canonical: str, born: date, coordination: bool) -> None:
    number = parse(text)
    assert number == PersonalNumber(canonical, born, coordination)


def test_the_plus_goes_by_the_year_someone_turns_100() -> None:
    eleven = "19251231123"
    short = eleven[2:8]
    tail = eleven[8:] + check_digit_by_oracle(eleven)
    # 1925-12-31 turns 100 in 2025: the plus applies from 1 January, before the birthday.
    assert parse(f"{short}+{tail}").birth_date == date(1925, 12, 31)
    # With a hyphen the same digits mean 2025-12-31, which has not happened yet.
    with pytest.raises(InvalidPersonalNumber) as raised:
        parse(f"{short}-{tail}")
    assert raised.value.problem is Problem.FUTURE_DATE
    assert raised.value.reason == "the birth date 2025-12-31 is in the future"


@pytest.mark.parametrize(
    ("text", "problem", "reason"),
    [
        ("19121212-1213", Problem.BAD_CHECK_DIGIT, "the check digit should be 2"),
        ("121212-1211", Problem.BAD_CHECK_DIGIT, "the check digit should be 2"),
        ("701063-2392", Problem.BAD_CHECK_DIGIT, "the check digit should be 1"),
        ("20241341", Problem.WRONG_LENGTH, "expected 10 or 12 digits, got 8"),
        ("19121212-12123", Problem.WRONG_LENGTH, "expected 10 or 12 digits, got 13"),
        ("12121-1212", Problem.WRONG_LENGTH, "expected 10 or 12 digits, got 9"),
        ("20241341-1234", Problem.NO_SUCH_DATE, "no such date: 2024-13-41"),
        ("19900230-1234", Problem.NO_SUCH_DATE, "no such date: 1990-02-30"),
        ("19230229-1234", Problem.NO_SUCH_DATE, "no such date: 1923-02-29"),
        # Samordningsnummer: day 92 would be the 32nd.
        ("19701092-1234", Problem.NO_SUCH_DATE, "no such date: 1970-10-32"),
        ("20300101-1234", Problem.FUTURE_DATE, "the birth date 2030-01-01 is in the future"),
        ("19121212-0000", Problem.SERIAL_ZERO, "the serial number 000 is never issued"),
        # A letter that looks like a digit is not taken for it: the number is typed again.
        ("8501O11236", Problem.BAD_CHARACTERS, "only digits, blanks and one - or + separator are allowed"),
        ("19121212-l212", Problem.BAD_CHARACTERS, "only digits, blanks and one - or + separator are allowed"),
        ("19121212-12a2", Problem.BAD_CHARACTERS, "only digits, blanks and one - or + separator are allowed"),
        ("ABCDEF-GHIJ", Problem.BAD_CHARACTERS, "only digits, blanks and one - or + separator are allowed"),
        ("1912-12121212", Problem.BAD_LAYOUT, "expected the form YYYYMMDD-NNNN or YYMMDD-NNNN"),
        ("19121212--1212", Problem.BAD_LAYOUT, "expected the form YYYYMMDD-NNNN or YYMMDD-NNNN"),
        ("   ", Problem.EMPTY, "no personal identity number was given"),
        (
            "20121212+1212",
            Problem.PLUS_TOO_YOUNG,
            "the + separator is for people who turn 100 this year or are older, not born in 2012",
        ),
    ],
)
def test_invalid_numbers(text: str, problem: Problem, reason: str) -> None:
    with pytest.raises(InvalidPersonalNumber) as raised:
        parse(text)
    assert raised.value.value == text
    assert raised.value.problem is problem
    assert raised.value.reason == reason
    assert str(raised.value) == reason


def test_numbers_do_not_leak_into_messages_or_reprs() -> None:
    with pytest.raises(InvalidPersonalNumber) as raised:
        parse("19121212-1213")
    assert "1212" not in str(raised.value)
    assert "1212" not in repr(parse("19121212-1212"))


def test_today_defaults_to_the_current_date() -> None:
    assert parse_personal_number("121212-1212").canonical == "201212121212"


birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2019, 12, 31))


@given(born=birth_dates, coordination=st.booleans(), serial=st.integers(0, 999), check=st.integers(0, 9))
def test_agrees_with_the_personnummer_package(
    born: date, coordination: bool, serial: int, check: int
) -> None:
    day = born.day + (60 if coordination else 0)
    text = f"{born:%Y%m}{day:02d}{serial:03d}{check}"
    try:
        number = parse_personal_number(text)
    except InvalidPersonalNumber:
        assert not personnummer.valid(text)
    else:
        assert personnummer.valid(text)
        assert number.birth_date == born
        assert number.is_coordination_number == coordination


@given(digits=st.from_regex(r"(18|19|20)[0-9]{10}", fullmatch=True))
def test_agrees_with_the_package_on_any_digits(digits: str) -> None:
    try:
        number = parse(digits)
    except InvalidPersonalNumber as error:
        # Our extra rule; the package takes a birth date in the future.
        assert not personnummer.valid(digits) or error.problem is Problem.FUTURE_DATE
    else:
        assert personnummer.valid(digits)
        assert number.canonical == digits


@given(born=birth_dates, serial=st.integers(1, 999), today=st.dates(date(2020, 1, 1), date(2099, 12, 31)))
def test_the_short_form_round_trips(born: date, serial: int, today: date) -> None:
    eleven = f"{born:%Y%m%d}{serial:03d}"
    canonical = eleven + check_digit_by_oracle(eleven)
    separator = "+" if today.year - born.year >= 100 else "-"
    short = f"{canonical[2:8]}{separator}{canonical[8:]}"
    assert parse_personal_number(short, today=today).canonical == canonical


@pytest.mark.parametrize(
    "text",
    [
        "19121212-1212",
        "191212121212",
        "121212-1212",
        "1212121212",
        "121212+1212",
        " 121212 – 1212 ",
        # Typos are attempts too, so that they are reported and not stored as keys.
        "19121212-121",
        "1212121-1212",
        "121212-12123",
        "20241341-1234",
        # Other separators, a digit too many or too few, the number inside other text.
        "19850101.1236",
        "850101/1236",
        "85010112366",
        "850101123",
        "pnr 850101-1236",
        "uppfoljning 19850101-1236.csv",
        "12345 19850101-1236",
        "１９８５０１０１-１２３６",
        # Letters for digits (O for 0, l or I for 1, in Latin, Greek or Cyrillic), odd dashes and blanks.
        "8501O11236",
        "85O1O1-1236",
        "19850l01-1236",
        "I9850101-I236",
        "8501Ol1236",
        "8501\u041e11236",
        "8501\u039f1\u04061236",
        "８５０１Ｏ１-１２３６",
        "850101\u20151236",
        "850101\u2212\u00a01236",
        "pnr 85O1O1 - l236",
    ],
)
def test_looks_like_a_personal_number(text: str) -> None:
    assert looks_like_personal_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "17",
        "P-0042",
        "2024-001",
        "ENTER-12",
        "Anna 12",
        "12345678",
        "1234567890123",
        "12-34-56",
        "ST-001",
        "IT-12",
        "2025-01-10",
        "123456789",
        # Words are words, even where they start with a letter that looks like a digit.
        "Olle 12",
        "IO-12",
        "Ola 2024-001",
        "lIl 1234",
        "Olof 19850101",
    ],
)
def test_free_text_keys_do_not_look_like_personal_numbers(text: str) -> None:
    assert not looks_like_personal_number(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("198501011236", "************"),
        ("Rad 2 pnr 850101-1236 inskriven 2025-01-10", "Rad 2 pnr ******-**** inskriven 2025-01-10"),
        ("uppfoljning 19850101-1236.csv", "uppfoljning ********-****.csv"),
        ("19850101.1236", "********.****"),
        ("8501O11236", "**********"),
        ("Rad 2 pnr 85O1O1\u2015l236 (Olle)", "Rad 2 pnr ******\u2015**** (Olle)"),
        ("８５０１０１-１２３６", "******-****"),
        ("ST-001", "ST-001"),
        ("1990", "1990"),
        ("", ""),
    ],
)
def test_masking_hides_every_digit_of_a_personal_number_and_nothing_else(text: str, shown: str) -> None:
    assert mask_personal_numbers(text) == shown


def test_pseudonyms_are_stable() -> None:
    number = parse("19121212-1212")
    first = Pseudonymiser(KEY, "sodra-vatterbygden")
    again = Pseudonymiser(KEY, "sodra-vatterbygden")
    assert first.pseudonym(number) == again.pseudonym(number) == first.pseudonym(parse("121212+1212"))
    assert len(first.pseudonym(number)) == 64
    int(first.pseudonym(number), 16)


def test_pseudonym_format_is_frozen() -> None:
    # Stored pseudonyms must keep matching: any change to the construction breaks
    # every association's data, so it is pinned to known values.
    pseudonymiser = Pseudonymiser(KEY, "sodra-vatterbygden")
    assert (
        pseudonymiser.pseudonym(parse("19121212-1212"))
        == "a372caf288fbe9a65c4fd53746a7f688b94fcf54b8f550be860aefdd13049937"
    )
    assert (
        pseudonymiser.key_pseudonym("Deltagare 17")
        == "da2d4fe8ebc4e601cae317cd63be66c79633c9c0c18e2e0c235fb9590832a9b5"
    )


def test_pseudonyms_are_a_keyed_hash_not_a_plain_one() -> None:
    pseudonym = Pseudonymiser(KEY, "x").pseudonym(parse("19121212-1212"))
    assert pseudonym != hashlib.sha256(b"191212121212").hexdigest()
    assert pseudonym != hmac.new(KEY, b"191212121212", hashlib.sha256).hexdigest()


def test_pseudonyms_differ_between_contexts_and_keys() -> None:
    number = parse("19121212-1212")
    here = Pseudonymiser(KEY, "sodra-vatterbygden").pseudonym(number)
    there = Pseudonymiser(KEY, "finnveden").pseudonym(number)
    other_key = Pseudonymiser(bytes(reversed(KEY)), "sodra-vatterbygden").pseudonym(number)
    assert len({here, there, other_key}) == 3


def test_contexts_cannot_be_shifted_into_values() -> None:
    # Without separation "ab" + "c…" and "a" + "bc…" could hash the same message.
    assert Pseudonymiser(KEY, "ab").key_pseudonym("c") != Pseudonymiser(KEY, "a").key_pseudonym("bc")


def test_own_keys_and_personal_numbers_never_collide() -> None:
    pseudonymiser = Pseudonymiser(KEY, "sodra-vatterbygden")
    number = parse("19121212-1212")
    assert pseudonymiser.key_pseudonym(number.canonical) != pseudonymiser.pseudonym(number)


def test_own_keys_are_normalised() -> None:
    pseudonymiser = Pseudonymiser(KEY, "sodra-vatterbygden")
    decomposed = unicodedata.normalize("NFD", "Åsa 12")
    expected = pseudonymiser.key_pseudonym("åsa 12")
    assert pseudonymiser.key_pseudonym(" ÅSA  12 ") == expected
    assert pseudonymiser.key_pseudonym(decomposed) == expected
    assert pseudonymiser.key_pseudonym("Åsa 13") != expected


def test_empty_own_key_is_refused() -> None:
    with pytest.raises(ValueError, match="empty participant key"):
        Pseudonymiser(KEY, "x").key_pseudonym("  ")


def test_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes, got 31"):
        Pseudonymiser(KEY[:31], "sodra-vatterbygden")


def test_text_key_and_empty_context_are_refused() -> None:
    with pytest.raises(TypeError):
        Pseudonymiser("0" * 64, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="context"):
        Pseudonymiser(KEY, "")


def test_pseudonymiser_does_not_show_its_key() -> None:
    assert KEY.hex() not in repr(Pseudonymiser(KEY, "x"))
    assert str(KEY) not in repr(Pseudonymiser(KEY, "x"))


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "pseudonym.key"
    key = load_or_create_key(path)
    assert len(key) == MIN_KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="ascii") == key.hex() + "\n"
    assert load_or_create_key(path) == key
    assert sorted(path.parent.iterdir()) == [path]


def test_existing_key_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pseudonym.key"
    path.write_text(KEY.hex() + "\n", encoding="ascii")
    assert load_or_create_key(path) == KEY


@pytest.mark.parametrize(("content", "message"), [("abcd\n", "holds 2 bytes"), ("zz" * 32, "hex digits")])
def test_bad_key_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "pseudonym.key"
    path.write_text(content, encoding="ascii")
    with pytest.raises(ValueError, match=message):
        load_or_create_key(path)
