"""`finsam import sie` on the real files of testdata/sie-corpus and on broken ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db.models import Sum

from finsam import testing
from finsam.core.imports import ImportRejected
from finsam.core.models import AuditEntry
from finsam.finance import sie_import
from finsam.finance.models import LedgerBalance, LedgerImport, LedgerRow
from finsam.finance.sie_import.reading import MAX_LISTED
from finsam.organisation.models import Association
from finsam.testdata import EXAMPLES, SIE_CORPUS

pytestmark = pytest.mark.django_db
FULL_EXPORTS = [
    "avendo-transaktioner-sie4.se",
    "visma-administration-underdim-sie4.se",
    "bl-administration-sie4.se",
    "magenta-sie4e.se",
    "softone-xe-sie4.se",
]


@pytest.fixture
def assoc() -> Association:
    return testing.association()


def closing_balances_agree(source: LedgerImport) -> dict[int, tuple[int, int]]:
    """Balance accounts where opening balance + rows differ from the file's closing balance."""
    start = source.year_start
    opening = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="IB")}
    closing = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="UB")}
    moved = dict(source.ledger_rows.values_list("account").annotate(Sum("ore")))
    differ = {}
    for account in set(opening) | set(closing) | set(moved):
        if str(account)[0] in "12":
            got = opening.get(account, 0) + moved.get(account, 0)
            if got != closing.get(account, 0):
                differ[account] = (got, closing.get(account, 0))
    return differ


@pytest.mark.parametrize("name", FULL_EXPORTS)
def test_a_4e_export_reproduces_its_closing_balances_account_by_account(
    assoc: Association, name: str
) -> None:
    result = sie_import.import_file(SIE_CORPUS / name, assoc, testing.SYSTEM)
    source = LedgerImport.objects.get(in_force=True)
    assert source.rows == result.created > 0
    assert source.balances.filter(kind="UB").count() > 0
    assert closing_balances_agree(source) == {}


@pytest.mark.parametrize(
    "name",
    [
        "avendo-periodsaldo-sie2.se",
        "avendo-objektsaldo-sie3.se",
        "bl-administration-sie2.se",
        "fortnox-sie4i.si",
        "kontek-lon-sie4i.si",
    ],
)
def test_every_other_file_of_the_corpus_imports(assoc: Association, name: str) -> None:
    sie_import.import_file(SIE_CORPUS / name, assoc, testing.SYSTEM)
    assert LedgerRow.objects.filter(association=assoc).exists()


def test_period_balances_give_the_same_year_as_the_vouchers(assoc: Association) -> None:
    totals = {}
    for name in ("avendo-transaktioner-sie4.se", "avendo-periodsaldo-sie2.se", "avendo-objektsaldo-sie3.se"):
        sie_import.import_file(SIE_CORPUS / name, assoc, testing.SYSTEM)
        rows = LedgerRow.objects.filter(association=assoc, source__in_force=True)
        sums = rows.values_list("account").annotate(Sum("ore")).order_by()
        totals[name] = {account: ore for account, ore in sums if ore}
    first, *others = totals.values()
    assert all(other == first for other in others)
    # Per object too: the type 3 file keeps its object slices.
    sliced = LedgerRow.objects.filter(association=assoc, source__in_force=True).exclude(object_key="")
    assert sliced.exists()


def test_the_unbalanced_file_is_refused_naming_its_line_and_nothing_changes(assoc: Association) -> None:
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(SIE_CORPUS / "avendo-transaktioner-unbalanced-sie4.se", assoc, testing.SYSTEM)
    (problem,) = raised.value.problems
    assert problem.line == 3905
    assert "verifikation B 1 balanserar inte: raderna summerar till \u221212\u00a0771,00" in problem.message
    assert not LedgerImport.objects.exists()
    assert not LedgerRow.objects.exists()
    assert not AuditEntry.objects.filter(action="ledger.import").exists()


def test_importing_the_same_file_twice_changes_nothing(assoc: Association) -> None:
    sie_import.import_file(SIE_CORPUS / "magenta-sie4e.se", assoc, testing.SYSTEM)
    rows = list(LedgerRow.objects.values_list("pk", flat=True))
    again = sie_import.import_file(SIE_CORPUS / "magenta-sie4e.se", assoc, testing.SYSTEM)
    assert not again.changed
    assert list(LedgerRow.objects.values_list("pk", flat=True)) == rows
    assert LedgerImport.objects.count() == 1


def test_a_later_export_of_the_year_replaces_the_earlier_and_keeps_the_history(
    assoc: Association, tmp_path: Path
) -> None:
    june = tmp_path / "juni.se"
    august = EXAMPLES / "exempel-2025.se"
    # The June export: the same file cut after the last voucher of June (A 13, dated 2025-06-30).
    text = august.read_bytes().decode("cp437")
    june.write_bytes(text[: text.index("#VER A 14")].encode("cp437"))
    sie_import.import_file(june, assoc, testing.SYSTEM)
    assert LedgerImport.objects.get().vouchers == 13
    result = sie_import.import_file(august, assoc, testing.SYSTEM)
    assert result.deleted > 0
    history = list(LedgerImport.objects.order_by("imported_at", "id"))
    assert [(h.filename, h.in_force) for h in history] == [("juni.se", False), ("exempel-2025.se", True)]
    assert history[1].changes["replaced"] == [history[0].pk]
    assert history[1].sha256 != history[0].sha256 and len(history[1].sha256) == 64
    assert LedgerRow.objects.filter(source=history[0]).count() == 0
    assert LedgerRow.objects.filter(date__gt=dt.date(2025, 6, 30)).exists()
    assert LedgerBalance.objects.filter(source=history[0]).count() == 0


@pytest.mark.parametrize(
    ("broken", "words"),
    [
        ("#TRANS 1930 {} 187500.00\r\n   #TRANS 3611 {} -187000.00", "balanserar inte"),
        ('#VER A 1 20250115 "Medlemsbidrag Askeby 20250820', "saknar avslutande citattecken"),
        ("#VER A 1 20241341", "20241341"),
    ],
)
def test_a_broken_file_is_refused_whole_with_its_line(
    assoc: Association, tmp_path: Path, broken: str, words: str
) -> None:
    text = (EXAMPLES / "exempel-2025.se").read_bytes().decode("cp437")
    original = {
        "balanserar inte": "#TRANS 1930 {} 187500.00\r\n   #TRANS 3611 {} -187500.00",
        "saknar avslutande citattecken": '#VER A 1 20250115 "Medlemsbidrag Askeby"',
        "20241341": "#VER A 1 20250115",
    }[words]
    assert original in text
    line = text[: text.index("#VER A 1 ")].count("\n") + 1  # every break is on the first voucher's line
    assert line == 32
    path = tmp_path / "trasig.se"
    path.write_bytes(text.replace(original, broken, 1).encode("cp437"))
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(path, assoc, testing.SYSTEM)
    assert any(p.line == line and words in (p.message + str(p.value)) for p in raised.value.problems), [
        str(p) for p in raised.value.problems
    ]
    assert not LedgerRow.objects.exists()


def test_an_unbalanced_voucher_the_exporters_own_books_hold_is_imported_with_a_warning(
    assoc: Association,
) -> None:
    # SoftOne's voucher 1 1 books +12.00 against -10.00, and the file's closing balances include it.
    result = sie_import.import_file(SIE_CORPUS / "softone-xe-sie4.se", assoc, testing.SYSTEM)
    assert any("verifikation 1 1 (rad 1356) balanserar inte (2,00)" in line for line in result.details)
    assert LedgerImport.objects.get().changes["unbalanced_vouchers"] == ["1 1 (rad 1356): 2.00"]


def _example_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (EXAMPLES / "exempel-2025.se").read_bytes().decode("cp437")
    assert old in text
    path = tmp_path / "andrad.se"
    path.write_bytes(text.replace(old, new, 1).encode("cp437"))
    return path


@pytest.mark.parametrize(
    ("old", "new", "line", "record", "words"),
    [
        # Another organisation's books: the file's #ORGNR is not the association's.
        ("#ORGNR 222000-0000", "#ORGNR 556677-8899", 7, "#ORGNR", "222000-0000"),
        # An amount larger than öre in 64 bits hold.
        (
            "#TRANS 1930 {} 187500.00\r\n   #TRANS 3611 {} -187500.00",
            "#TRANS 1930 {} 999999999999999999\r\n   #TRANS 3611 {} -999999999999999999",
            34,
            "#TRANS",
            "92\u00a0233\u00a0720\u00a0368\u00a0547\u00a0758",
        ),
        # An account number longer than any chart of accounts has (found by fuzzing: it crashed the store).
        (
            "#TRANS 1930 {} 187500.00",
            "#TRANS 19300000000000000000000 {} 187500.00",
            34,
            "#TRANS",
            "högst 9 siffror",
        ),
        # Objects longer together than their column: PostgreSQL refused the row with a traceback.
        (
            "#TRANS 1930 {} 187500.00",
            '#TRANS 1930 {6 "' + "S" * 300 + '"} 187500.00',
            34,
            "#TRANS",
            "högst 200 tecken",
        ),
        # A voucher's series and number longer than their column: cut, two vouchers could become one.
        ("#VER A 1 20250115", "#VER A " + "1" * 60 + " 20250115", 32, "#VER", "högst 60 tecken"),
    ],
)
def test_a_file_that_cannot_be_the_associations_books_is_refused_naming_its_line(
    tmp_path: Path, old: str, new: str, line: int, record: str, words: str
) -> None:
    assoc = Association.objects.create(slug="exempel", name="Exempeldalen", org_number="222000-0000")
    sie_import.import_file(EXAMPLES / "exempel-2025.se", assoc, testing.SYSTEM)
    rows = list(LedgerRow.objects.values_list("pk", "ore"))
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(_example_with(tmp_path, old, new), assoc, testing.SYSTEM)
    problems = [(p.line, p.column, f"{p.value} {p.expected} {p.message}") for p in raised.value.problems]
    assert any(p[:2] == (line, record) and words in p[2] for p in problems), problems
    assert list(LedgerRow.objects.values_list("pk", "ore")) == rows
    assert LedgerImport.objects.filter(in_force=True).count() == 1


def test_a_file_with_the_years_result_but_no_vouchers_does_not_empty_the_year(
    assoc: Association, tmp_path: Path
) -> None:
    sie_import.import_file(EXAMPLES / "exempel-2025.se", assoc, testing.SYSTEM)
    rows = LedgerRow.objects.count()
    path = tmp_path / "typ1.se"
    path.write_text(
        "#FLAGGA 0\n#SIETYP 1\n#RAR 0 20250101 20251231\n#IB 0 1930 905300.40\n#IB 0 2010 -905300.40\n"
        "#UB 0 1930 1494461.40\n#UB 0 2010 -1494461.40\n#RES 0 3611 -187500.00\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(path, assoc, testing.SYSTEM)
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (8, "#RES")
    assert "varken verifikationer eller periodsaldon" in problem.message
    assert LedgerRow.objects.count() == rows


EXEMPEL = EXAMPLES / "exempel-2025.se"


def _line_of(path: Path, needle: str) -> int:
    text = path.read_bytes().decode("cp437")
    return text[: text.index(needle)].count("\n") + 1


def _addition(tmp_path: Path, name: str, generated: str, vouchers: str) -> Path:
    """An SIE 4I file without balances: it adds its vouchers to the year."""
    path = tmp_path / name
    path.write_text(
        f"#FLAGGA 0\n#FORMAT PC8\n#GEN {generated}\n#SIETYP 4\n#RAR 0 20250101 20251231\n{vouchers}",
        encoding="cp437",
    )
    return path


EXTRA = '#VER A 16 20250301 "Extra"\n{\n#TRANS 4610 {6 "STEG"} 1000.00\n#TRANS 1930 {} -1000.00\n}\n'
UNNUMBERED = '#VER "" "" 20250302 "Utan nummer"\n{\n#TRANS 4610 {} 50.00\n#TRANS 1930 {} -50.00\n}\n'


def test_a_voucher_already_in_force_is_refused_from_a_file_that_adds_vouchers(
    assoc: Association, tmp_path: Path
) -> None:
    first = _addition(tmp_path, "i20250901.si", "20250901", EXTRA + UNNUMBERED)
    sie_import.import_file(first, assoc, testing.SYSTEM)
    # The same voucher A 16 (series, number, date) in an export of the next day: it must not count twice.
    second = _addition(tmp_path, "i20250902.si", "20250902", UNNUMBERED + EXTRA)
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(second, assoc, testing.SYSTEM)
    [problem] = raised.value.problems
    assert (problem.line, problem.column, problem.value) == (11, "#VER", "A 16")
    assert "verifikation A 16 finns redan" in str(problem) and "i20250901.si" in str(problem)
    assert LedgerRow.objects.filter(account=4610).aggregate(total=Sum("ore"))["total"] == 100000 + 5000
    assert LedgerImport.objects.count() == 1
    # Vouchers without series and number cannot be recognised and are added as before.
    third = _addition(tmp_path, "i20250903.si", "20250903", UNNUMBERED)
    sie_import.import_file(third, assoc, testing.SYSTEM)
    assert LedgerRow.objects.filter(account=4610).aggregate(total=Sum("ore"))["total"] == 100000 + 2 * 5000
    # A full export of the year still replaces everything, A 16 included.
    # (one exported after the additions: an older one is refused, see the next test)
    sie_import.import_file(_example_with(tmp_path, "#GEN 20250820", "#GEN 20251020"), assoc, testing.SYSTEM)
    assert LedgerImport.objects.filter(in_force=True).get().filename == "andrad.se"


def test_an_export_older_than_the_one_in_force_is_refused_naming_both_dates(
    assoc: Association, tmp_path: Path
) -> None:
    october = _example_with(tmp_path, "#GEN 20250820", "#GEN 20251020")
    sie_import.import_file(october, assoc, testing.SYSTEM)
    rows = list(LedgerRow.objects.values_list("pk", flat=True))
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(EXEMPEL, assoc, testing.SYSTEM)
    [problem] = raised.value.problems
    assert (problem.line, problem.column, problem.value) == (_line_of(EXEMPEL, "#GEN"), "#GEN", "2025-08-20")
    assert "exporterades 2025-08-20" in problem.message and "exporterad 2025-10-20" in problem.message
    assert list(LedgerRow.objects.values_list("pk", flat=True)) == rows
    assert [i.filename for i in LedgerImport.objects.all()] == ["andrad.se"]


def test_each_voucher_outside_the_year_is_named_by_its_line(assoc: Association, tmp_path: Path) -> None:
    outside = _example_with(tmp_path, "#VER A 15 20250815", "#VER A 15 20260115")
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(outside, assoc, testing.SYSTEM)
    [problem] = raised.value.problems
    assert (problem.line, problem.column, problem.value) == (
        _line_of(EXEMPEL, "#VER A 15"),
        "#VER",
        "2026-01-15",
    )
    assert str(problem).startswith(
        f"rad {problem.line}, kolumn #VER: '2026-01-15' – förväntade ett datum inom"
    )
    assert not LedgerRow.objects.exists()


def test_many_vouchers_outside_the_year_are_listed_up_to_a_cap(assoc: Association, tmp_path: Path) -> None:
    vouchers = "".join(
        f'#VER B {n} 20240{1 + n % 9}01 "Fel år"\n{{\n#TRANS 4610 {{}} 1.00\n#TRANS 1930 {{}} -1.00\n}}\n'
        for n in range(1, 61)
    )
    path = _addition(tmp_path, "fel-ar.si", "20250901", vouchers)
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(path, assoc, testing.SYSTEM)
    problems = raised.value.problems
    assert len(problems) == MAX_LISTED + 1
    assert [p.line for p in problems[:3]] == [6, 11, 16]
    assert all(p.line is not None for p in problems)
    assert "och 10 verifikationer till utanför räkenskapsåret" in problems[-1].message
    assert problems[-1].line == 6 + 5 * MAX_LISTED


def test_a_file_without_year_or_vouchers_says_so_in_words(assoc: Association, tmp_path: Path) -> None:
    path = tmp_path / "tom.se"
    path.write_bytes(b"")
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(path, assoc, testing.SYSTEM)
    [problem] = raised.value.problems
    assert problem.line is None
    assert "inget räkenskapsår (#RAR 0)" in str(problem) and "None" not in str(raised.value)


def test_vouchers_over_two_years_without_rar_name_their_lines(assoc: Association, tmp_path: Path) -> None:
    path = tmp_path / "utan-rar.si"
    path.write_text(
        "#FLAGGA 0\n#SIETYP 4\n"
        '#VER A 1 20241231 ""\n{\n#TRANS 4610 {} 1.00\n#TRANS 1930 {} -1.00\n}\n'
        '#VER A 2 20250102 ""\n{\n#TRANS 4610 {} 1.00\n#TRANS 1930 {} -1.00\n}\n',
        encoding="cp437",
    )
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(path, assoc, testing.SYSTEM)
    [problem] = raised.value.problems
    assert problem.line == 3
    assert "den första (2024-12-31) på rad 3, den sista (2025-01-02) på rad 8" in problem.message


def test_reader_errors_are_told_in_swedish_with_their_line_column_and_value(
    assoc: Association, tmp_path: Path
) -> None:
    path = _example_with(tmp_path, "#VER A 2 20250115", "#VER A 2 20250231")
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(path, assoc, testing.SYSTEM)
    [problem] = raised.value.problems
    assert (problem.line, problem.value) == (_line_of(EXEMPEL, "#VER A 2 "), "20250231")
    assert str(problem) == f"rad {problem.line}, kolumn 10 (#VER): '20250231' är inte ett datum ÅÅÅÅMMDD"


def test_every_reader_message_has_a_swedish_text() -> None:
    from finsam.finance.sie_import import messages
    from finsam.sie.model import EXPECTED, MESSAGES

    assert set(messages.sie_messages()) == set(MESSAGES)
    assert set(messages.sie_expected()) == set(EXPECTED)


def test_the_same_books_again_as_utf8_with_bom_change_nothing(assoc: Association, tmp_path: Path) -> None:
    sie_import.import_file(EXEMPEL, assoc, testing.SYSTEM)
    rows = list(LedgerRow.objects.values_list("pk", flat=True))
    balances = list(LedgerBalance.objects.values_list("pk", flat=True))
    bom = tmp_path / "bom.se"
    bom.write_bytes(b"\xef\xbb\xbf" + EXEMPEL.read_bytes().decode("cp437").encode("utf-8"))
    result = sie_import.import_file(bom, assoc, testing.SYSTEM)
    assert not result.changed and result.unchanged == 1
    assert result.details[0].startswith("inga ändringar")
    assert list(LedgerRow.objects.values_list("pk", flat=True)) == rows
    assert list(LedgerBalance.objects.values_list("pk", flat=True)) == balances
    assert [(i.filename, i.in_force) for i in LedgerImport.objects.all()] == [("exempel-2025.se", True)]
