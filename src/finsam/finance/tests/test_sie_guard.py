"""The ledger is never replaced by mistake: another organisation's file, a change shown before it is stored,
and the quirks of real exporters in otherwise good files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db.models import Sum

from finsam import testing
from finsam.core.formatting import amount_text
from finsam.core.imports import ImportRejected
from finsam.core.models import AuditEntry
from finsam.finance import sie_import, statements
from finsam.finance.models import LedgerBalance, LedgerImport, LedgerRow
from finsam.organisation.models import Association
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db
EXEMPEL = EXAMPLES / "exempel-2025.se"
MINUS, NBSP = "\u2212", "\u00a0"
HEAD = '#FLAGGA 0\n#FORMAT PC8\n#GEN {gen}\n#SIETYP 4\n#FNAMN "{name}"\n#ORGNR {org}\n'


def _exempel(tmp_path: Path, *changes: tuple[str, str], name: str = "andrad.se") -> Path:
    text = EXEMPEL.read_bytes().decode("cp437")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_bytes(text.encode("cp437"))
    return path


def _sie(tmp_path: Path, name: str, body: str, *, org: str = "222000-0000", gen: str = "20250901") -> Path:
    path = tmp_path / name
    path.write_text(HEAD.format(gen=gen, name="Testdalen", org=org) + body, encoding="cp437")
    return path


def test_another_organisations_file_is_refused_naming_both_numbers(tmp_path: Path) -> None:
    # The attack: a file of "TESTFÖRETAGET AB" into a demo association that had no organisation number.
    assoc = testing.association()
    result = sie_import.import_file(EXEMPEL, assoc, testing.SYSTEM)
    assoc.refresh_from_db()
    assert assoc.org_number == "222000-0000"
    assert any("inget organisationsnummer och får filens, 222000-0000" in line for line in result.details)
    entry = AuditEntry.objects.get(action="association.update")
    assert entry.before is not None and entry.after is not None
    assert (entry.before["org_number"], entry.after["org_number"]) == ("", "222000-0000")
    rows = list(LedgerRow.objects.values_list("pk", "ore"))
    other = _exempel(
        tmp_path,
        ("#ORGNR 222000-0000", "#ORGNR 556677-8899"),
        ('#FNAMN "Samordningsförbundet Exempeldalen"', '#FNAMN "TESTFÖRETAGET AB"'),
        ("#GEN 20250820", "#GEN 20251020"),
    )
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(other, assoc, testing.SYSTEM)
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (7, "#ORGNR")
    assert "organisationsnummer 556677-8899 (TESTFÖRETAGET AB)" in problem.message
    assert "organisationsnummer 222000-0000" in problem.message
    assert list(LedgerRow.objects.values_list("pk", "ore")) == rows


def test_a_file_with_a_number_that_is_no_organisation_number_is_not_taken(tmp_path: Path) -> None:
    assoc = testing.association()
    with pytest.raises(ImportRejected) as raised:
        sie_import.import_file(
            _exempel(tmp_path, ("#ORGNR 222000-0000", "#ORGNR 12-34")), assoc, testing.SYSTEM
        )
    assert [(p.line, p.column, p.value) for p in raised.value.problems] == [(7, "#ORGNR", "12-34")]
    assoc.refresh_from_db()
    assert assoc.org_number == "" and not LedgerRow.objects.exists()


def test_a_change_to_an_imported_year_is_shown_and_stored_only_when_confirmed(tmp_path: Path) -> None:
    assoc = testing.association()
    assoc.org_number = "222000-0000"
    assoc.save()
    sie_import.import_file(EXEMPEL, assoc, testing.SYSTEM)
    first = LedgerImport.objects.get()
    rows = list(LedgerRow.objects.values_list("pk", "ore"))
    # October's export: A 15 is gone, A 14 has another amount, and A 16 is new.
    later = _exempel(
        tmp_path,
        ("#GEN 20250820", "#GEN 20251020"),
        ('#TRANS 6990 {6 "REV"} 22000.00', '#TRANS 6990 {6 "REV"} 20000.00'),
        ("#TRANS 1930 {} -22000.00", "#TRANS 1930 {} -20000.00"),
        ('#VER A 15 20250815 "Statligt bidrag Q3"', '#VER A 16 20250915 "Statligt bidrag Q3"'),
    )
    with pytest.raises(sie_import.NeedsConfirmation) as asked:
        sie_import.import_file(later, assoc, testing.SYSTEM, ask=True)
    details = asked.value.details
    assert details[0] == "verifikationer: 1 nya, 1 ändrade, 1 borttagna; rader: 4 nya, 4 borttagna"
    assert details[1].startswith("årets resultat 2025: ") and " → " in details[1]
    assert details[2].startswith("eget kapital 2025-12-31: ")
    assert asked.value.seen == [first.pk]
    assert list(LedgerRow.objects.values_list("pk", "ore")) == rows
    assert (
        LedgerImport.objects.count() == 1
        and not AuditEntry.objects.filter(action="ledger.import").count() > 1
    )
    # Confirmed against the books it was shown against: stored, with the same summary.
    result = sie_import.import_file(later, assoc, testing.SYSTEM, ask=True, seen=asked.value.seen)
    assert details == result.details[1:4]
    assert LedgerImport.objects.get(in_force=True).filename == "andrad.se"


def test_a_confirmation_against_books_that_changed_meanwhile_is_asked_again(tmp_path: Path) -> None:
    assoc = testing.association()
    sie_import.import_file(EXEMPEL, assoc, testing.SYSTEM)

    def export(month: str, amount: str) -> Path:
        return _exempel(
            tmp_path,
            ("#GEN 20250820", f"#GEN 2025{month}20"),
            ("#TRANS 1930 {} 71000.00", f"#TRANS 1930 {{}} {amount}"),
            ("#TRANS 3612 {} -71000.00", f"#TRANS 3612 {{}} -{amount}"),
            name=f"{month}.se",
        )

    with pytest.raises(sie_import.NeedsConfirmation) as asked:
        sie_import.import_file(export("09", "72000.00"), assoc, testing.SYSTEM, ask=True)
    sie_import.import_file(export("10", "73000.00"), assoc, testing.SYSTEM)  # another import came in between
    with pytest.raises(sie_import.NeedsConfirmation) as again:
        sie_import.import_file(
            export("11", "74000.00"), assoc, testing.SYSTEM, ask=True, seen=asked.value.seen
        )
    assert again.value.seen != asked.value.seen
    assert (
        again.value.details[0] == "verifikationer: 0 nya, 1 ändrade, 0 borttagna; rader: 2 nya, 2 borttagna"
    )
    assert LedgerImport.objects.get(in_force=True).filename == "10.se"


def test_the_year_result_and_equity_are_told_in_swedish_formats(tmp_path: Path) -> None:
    assoc = testing.association()
    sie_import.import_file(EXEMPEL, assoc, testing.SYSTEM)
    before = statements.balance_sheet(assoc, dt.date(2025, 12, 31)).equity
    loss = _exempel(
        tmp_path,
        ("#GEN 20250820", "#GEN 20251020"),
        ("#TRANS 1930 {} 187500.00", "#TRANS 1930 {} -1000000.00\n   #TRANS 7010 {} 1187500.00"),
    )
    result = sie_import.import_file(loss, assoc, testing.SYSTEM)
    after = statements.balance_sheet(assoc, dt.date(2025, 12, 31)).equity
    assert after.result_for_year == before.result_for_year - 1187500
    shown = [line for line in result.details if line.startswith("årets resultat 2025")]
    old, new = amount_text(before.result_for_year), amount_text(after.result_for_year)
    assert new.startswith(MINUS) and NBSP in new
    assert shown == [f"årets resultat 2025: {old} → {new} kr"]


def test_a_row_on_an_account_that_is_no_number_shows_as_not_mapped(tmp_path: Path) -> None:
    # SoftOne writes FEL for an account it could not map.
    assoc = testing.association()
    path = _sie(
        tmp_path,
        "softone.se",
        "#RAR 0 20250101 20251231\n"
        '#VER 1 1 20250310 "Konsult"\n{\n#TRANS FEL {} 1200.00\n#TRANS 1930 {} -1200.00\n}\n'
        '#VER 1 2 20250311 "Konsult"\n{\n#TRANS 1930 {} -300.00\n#TRANS FEL {} 300.00\n}\n',
    )
    result = sie_import.import_file(path, assoc, testing.SYSTEM)
    [warning] = [line for line in result.details if "inte är ett kontonummer" in line]
    assert "2 rader" in warning and "(FEL)" in warning and warning.endswith("rad 10, 16")
    assert LedgerRow.objects.filter(account=0).aggregate(total=Sum("ore"))["total"] == 150000
    statement = statements.income_statement(assoc, dt.date(2025, 12, 31))
    [unmapped] = [line for line in statement.lines if line.accounts == [0]]
    assert unmapped.name == "Ej fördelat på rad: kostnader" and unmapped.values["outcome_to_date"] == 1500
    assert statement.totals["result"]["outcome_to_date"] == -1500


def test_a_file_without_rar_takes_calendar_years(tmp_path: Path) -> None:
    assoc = testing.association()
    path = _exempel(tmp_path, ("#RAR 0 20250101 20251231\r\n", ""), ("#RAR -1 20240101 20241231\r\n", ""))
    result = sie_import.import_file(path, assoc, testing.SYSTEM)
    source = LedgerImport.objects.get()
    assert (source.year_start, source.year_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert source.balances.filter(kind="IB", year_start=dt.date(2025, 1, 1)).count() == 4
    assert any("kalenderåret används" in line and "#RAR 0 (2025)" in line for line in result.details)


def test_a_year_index_beyond_any_books_is_refused_naming_its_line(tmp_path: Path) -> None:
    """Reproducer of bench/fuzz_importers.py, seed 3: without #RAR a year index of 20 digits was taken as a
    calendar year and failed as a date (OverflowError); one of 2 100 years back, as year 0 (ValueError)."""
    assoc = testing.association()
    path = _exempel(
        tmp_path,
        ("#RAR 0 20250101 20251231\r\n", ""),
        ("#RAR -1 20240101 20241231\r\n", ""),
        ("#IB 0 1510 ", "#IB -99999999999999999999 1510 "),
        ("#IB 0 1930 ", "#IB -2100 1930 "),
    )
    with pytest.raises(ImportRejected) as caught:
        sie_import.import_file(path, assoc, testing.SYSTEM)
    shown = [str(problem) for problem in caught.value.problems]
    assert len(shown) == 2
    assert shown[0].startswith("rad ") and "#IB" in shown[0] and "-99999999999999999999" in shown[0]
    assert "#IB" in shown[1] and "-2100" in shown[1]
    assert all(line.endswith(f"förväntade ett årsindex från {MINUS}125 till 0") for line in shown)
    assert not LedgerImport.objects.exists()


def test_closing_balances_without_opening_ones_give_the_balance_sheet_at_the_year_end(tmp_path: Path) -> None:
    assoc = testing.association()
    path = _sie(
        tmp_path,
        "utan-ib.se",
        "#RAR 0 20250101 20251231\n#UB 0 1930 5000.00\n#UB 0 2440 -1000.00\n#UB 0 2010 -4000.00\n"
        '#VER A 1 20250310 "Bidrag"\n{\n#TRANS 1930 {} 2000.00\n#TRANS 3611 {} -2000.00\n}\n',
    )
    result = sie_import.import_file(path, assoc, testing.SYSTEM)
    assert any("inga ingående (#IB 0)" in line for line in result.details)
    opening = dict(LedgerBalance.objects.filter(kind="IB").values_list("account", "ore"))
    assert opening == {1930: 300000, 2440: -100000, 2010: -400000}
    sheet = statements.balance_sheet(assoc, dt.date(2025, 12, 31))
    assert (
        sheet.total("assets") == 5000 and sheet.equity.retained == 6000
    )  # 4 000 from before, 2 000 this year


def test_accounts_whose_own_figures_disagree_are_named_in_the_summary(tmp_path: Path) -> None:
    assoc = testing.association()
    path = _sie(
        tmp_path,
        "fel-ub.se",
        "#RAR 0 20250101 20251231\n#IB 0 1930 1000.00\n#IB 0 2010 -1000.00\n#UB 0 1930 13771.00\n"
        "#UB 0 2010 -1000.00\n"
        '#VER A 1 20250310 "Bidrag"\n{\n#TRANS 1930 {} -12771.00\n#TRANS 3611 {} 12771.00\n}\n',
    )
    result = sie_import.import_file(path, assoc, testing.SYSTEM)
    assert (
        f"konto 1930: IB + verifikationer = {MINUS}11{NBSP}771,00, men filens UB är 13{NBSP}771,00"
        in result.details
    )


def test_times_in_messages_are_local(tmp_path: Path) -> None:
    assoc = testing.association()
    sie_import.import_file(EXEMPEL, assoc, testing.SYSTEM)
    LedgerImport.objects.update(imported_at=dt.datetime(2025, 8, 21, 22, 30, tzinfo=dt.UTC))
    bom = tmp_path / "bom.se"
    bom.write_bytes(b"\xef\xbb\xbf" + EXEMPEL.read_bytes().decode("cp437").encode("utf-8"))
    result = sie_import.import_file(bom, assoc, testing.SYSTEM)
    assert "exempel-2025.se från 2025-08-22 00:30" in result.details[0]


def test_an_organisation_file_without_a_number_keeps_the_one_the_ledger_gave(tmp_path: Path) -> None:
    from finsam.organisation import orgfile

    yaml = (EXAMPLES / "organisation.yaml").read_text(encoding="utf-8")
    without = tmp_path / "organisation.yaml"
    without.write_text(yaml.replace(", org_number: 222000-0000", ""), encoding="utf-8")
    assoc = orgfile.setup(without, testing.SYSTEM)
    sie_import.import_file(EXEMPEL, assoc, testing.SYSTEM)
    orgfile.setup(without, testing.SYSTEM)
    assert Association.objects.get(pk=assoc.pk).org_number == "222000-0000"
