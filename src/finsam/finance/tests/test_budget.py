from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from finsam import testing
from finsam.core.imports import ImportRejected
from finsam.finance import budget
from finsam.finance.models import BudgetChange, BudgetLine
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def exempel() -> Association:
    return orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "budget.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_the_example_budget_is_read_with_swedish_number_formats(exempel: Association) -> None:
    result = budget.import_file(EXAMPLES / "budget-2025.csv", exempel, testing.SYSTEM)
    assert (result.created, result.updated) == (13, 0)
    kansli = BudgetLine.objects.get(row__code="KANSLI", kind="budget")
    assert (kansli.amount, kansli.adopted, kansli.year) == (Decimal("160000.00"), Decimal("160000.00"), 2025)
    steg = BudgetLine.objects.get(row__code="STEG", kind="forecast")
    assert steg.amount == Decimal("480000.00")
    again = budget.import_file(EXAMPLES / "budget-2025.csv", exempel, testing.SYSTEM)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 13)
    assert BudgetChange.objects.count() == 13


def test_a_later_import_replaces_the_amount_and_keeps_the_earlier_one(
    exempel: Association, tmp_path: Path
) -> None:
    budget.import_file(
        write(tmp_path, "rad;år;typ;belopp\nSTEG;2025;prognos;480 000\n"), exempel, testing.SYSTEM
    )
    path = write(tmp_path, "Rad;År;Typ;Belopp\nSTEG;2025;prognos;455 500,50\n", "cp1252")
    result = budget.import_file(path, exempel, testing.SYSTEM)
    assert result.updated == 1
    line = BudgetLine.objects.get()
    assert line.amount == Decimal("455500.50")
    history = [(c.previous, c.amount) for c in line.changes.order_by("id")]
    assert history == [(None, Decimal("480000.00")), (Decimal("480000.00"), Decimal("455500.50"))]


def test_every_bad_line_is_named_and_nothing_is_stored(exempel: Association, tmp_path: Path) -> None:
    text = (
        "rad;år;typ;belopp\n"
        "STEG;2025;budget;520 000\n"
        "OKAND;2025;budget;1\n"
        "STEG;25;budget;1\n"
        "STEG;2025;prognoz;1\n"
        "STEG;2025;budget;12 tkr\n"
        "STEG;2025;budget;520 000\n"
    )
    with pytest.raises(ImportRejected) as raised:
        budget.import_file(write(tmp_path, text), exempel, testing.SYSTEM)
    found = [(p.line, p.column, p.value) for p in raised.value.problems]
    assert found == [
        (3, "rad", "OKAND"),
        (4, "år", "25"),
        (5, "typ", "prognoz"),
        (6, "belopp", "12 tkr"),
        (7, "rad", "STEG"),
    ]
    assert "rad 6, kolumn belopp: '12 tkr' – förväntade ett belopp" in str(raised.value)
    assert not BudgetLine.objects.exists()


def test_a_wrong_header_is_refused(exempel: Association, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="rad;år;typ;belopp"):
        budget.import_file(write(tmp_path, "row;year;type;amount\n"), exempel, testing.SYSTEM)


def test_of_two_simultaneous_edits_the_second_is_refused(exempel: Association) -> None:
    budget.import_file(EXAMPLES / "budget-2025.csv", exempel, testing.SYSTEM)
    line = BudgetLine.objects.get(row__code="REV", kind="budget")
    first_view, second_view = line.version, line.version
    budget.edit(testing.SYSTEM, line, Decimal("25000"), first_view, note="Styrelsebeslut 2025-03-14")
    with pytest.raises(budget.StaleEdit):
        budget.edit(testing.SYSTEM, line, Decimal("30000"), second_view)
    line.refresh_from_db()
    assert (line.amount, line.adopted, line.version) == (Decimal("25000.00"), Decimal("22000.00"), 2)
    assert line.changes.first().note == "Styrelsebeslut 2025-03-14"  # type: ignore[union-attr]


def test_an_amount_too_large_for_the_books_is_named_not_a_crash(exempel: Association, tmp_path: Path) -> None:
    # Found by fuzzing (bench/fuzz_importers.py, seed 2, budget input 37467): a 41-digit amount raised
    # decimal.InvalidOperation as its decimals were checked.
    huge = "1" + "0" * 40 + ",5"
    # Input 54109: a year "20²3", whose "²" str.isdigit() takes and int() refuses.
    text = (
        f"rad;år;typ;belopp\nSTEG;2025;budget;{huge}\nREV;2025;budget;1 000 000 000 000\n"
        "STEG;20\u00b23;budget;1\nSTEG;\u0662\u0660\u0662\u0665;budget;1\n"
    )
    with pytest.raises(ImportRejected) as raised:
        budget.import_file(write(tmp_path, text), exempel, testing.SYSTEM)
    found = [(p.line, p.column) for p in raised.value.problems]
    assert found == [(2, "belopp"), (3, "belopp"), (4, "år"), (5, "år")]
    assert (
        "rad 3, kolumn belopp: '1 000 000 000 000' – förväntade ett belopp mellan "
        "\u2212999\u00a0999\u00a0999\u00a0999,99 och 999\u00a0999\u00a0999\u00a0999,99"
    ) in str(raised.value)
    assert not BudgetLine.objects.exists()


def test_an_implausible_year_or_a_space_that_is_no_thousands_separator_is_refused(
    exempel: Association, tmp_path: Path
) -> None:
    text = (
        "rad;år;typ;belopp\n"
        "STEG;0000;budget;1\n"
        "STEG;1999;budget;1\n"
        "STEG;2101;budget;1\n"
        "STEG;2025;budget;12 34\n"
        "STEG;2025;prognos;1234 567\n"
        "REV;2025;budget;160\u00a0000,00\n"
    )
    with pytest.raises(ImportRejected) as raised:
        budget.import_file(write(tmp_path, text), exempel, testing.SYSTEM)
    found = [(p.line, p.column, p.value) for p in raised.value.problems]
    assert found == [
        (2, "år", "0000"),
        (3, "år", "1999"),
        (4, "år", "2101"),
        (5, "belopp", "12 34"),
        (6, "belopp", "1234 567"),
    ]
    assert "rad 2, kolumn år: '0000' – förväntade ett år mellan 2000 och 2100" in str(raised.value)
    assert "rad 5, kolumn belopp: '12 34' – förväntade ett belopp som 1 234 567,50" in str(raised.value)
    assert not BudgetLine.objects.exists()
