"""The year's ledger written as SIE 4 by finsam, read back by finsam's own reader and importer."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from finsam import testing
from finsam.finance import sie_export, sie_import, statements
from finsam.finance.models import LedgerBalance, LedgerImport, LedgerRow
from finsam.organisation.models import Association
from finsam.sie import BalanceKind, read_sie
from finsam.testdata import EXAMPLES, SIE_CORPUS

pytestmark = pytest.mark.django_db

EXAMPLE = EXAMPLES / "exempel-2025.se"
CORPUS = SIE_CORPUS
ROW_FIELDS = ("date", "account", "object_key", "ore", "voucher", "text")


def _imported(slug: str, path: Path) -> tuple[Association, dt.date]:
    association = testing.association(slug, f"Samordningsförbundet {slug.title()}")
    sie_import.import_file(path, association, testing.SYSTEM)
    source = LedgerImport.objects.get(association=association, in_force=True)
    return association, source.year_start


def _rows(association: Association) -> list[tuple[object, ...]]:
    """The rows in force, their texts as CP437 holds them (a file's stray U+FFFD comes back as "?")."""
    rows = LedgerRow.objects.filter(association=association, source__in_force=True)
    return sorted(
        (*row[:5], row[5].encode("cp437", "replace").decode("cp437")) for row in rows.values_list(*ROW_FIELDS)
    )


def _balances(association: Association, kind: str) -> dict[int, int]:
    found = LedgerBalance.objects.filter(
        association=association, source__in_force=True, kind=kind, own_year=True
    )
    return dict(found.values_list("account", "ore"))


def _written(association: Association, start: dt.date, tmp_path: Path) -> Path:
    path = tmp_path / f"{association.slug}.se"
    with path.open("wb") as target:
        sie_export.write_year(association, start, target, "revisor")
    return path


@pytest.mark.parametrize(
    "source",
    [
        EXAMPLE,
        CORPUS / "avendo-transaktioner-sie4.se",  # objects on rows
        CORPUS / "visma-administration-underdim-sie4.se",
        CORPUS / "avendo-periodsaldo-sie2.se",  # no vouchers: period balances
    ],
    ids=lambda p: p.name,
)
def test_the_written_file_imports_to_the_same_rows_and_balances(source: Path, tmp_path: Path) -> None:
    original, start = _imported("original", source)
    written = _written(original, start, tmp_path)
    copy, copy_start = _imported("kopia", written)
    assert copy_start == start
    assert _rows(copy) == _rows(original)
    assert _rows(copy)  # a test of nothing would pass too
    assert _balances(copy, "IB") == _balances(original, "IB")
    if _balances(original, "UB"):  # else the file's closing balances are worked out: the sheet shows them
        assert _balances(copy, "UB") == _balances(original, "UB")
    end = LedgerImport.objects.get(association=original, in_force=True).year_end
    assert statements.balance_sheet(copy, end).lines == statements.balance_sheet(original, end).lines


def test_the_file_is_sie_4_in_cp437_with_its_header(tmp_path: Path) -> None:
    original, start = _imported("original", EXAMPLE)
    original.org_number = "222000-1234"
    original.name = "Samordningsförbundet Åsele – Östra"  # the dash is not in CP437
    original.save()
    raw = _written(original, start, tmp_path).read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("cp437")
    lines = text.split("\r\n")
    assert lines[0] == "#FLAGGA 0"
    assert "#FORMAT PC8" in lines and "#SIETYP 4" in lines and "#ORGNR 222000-1234" in lines
    assert '#FNAMN "Samordningsförbundet Åsele ? Östra"' in lines
    assert "#RAR 0 20250101 20251231" in lines
    parsed = read_sie(io.BytesIO(raw))
    assert parsed.encoding == "cp437"
    assert parsed.sie_type == 4
    assert parsed.program is not None and parsed.program.name == "finsam"
    assert parsed.generated is not None and parsed.generated.signature == "revisor"
    rows = LedgerRow.objects.filter(association=original, source__in_force=True)
    assert sum(len(v.transactions) for v in parsed.vouchers) == rows.count()
    results = {b.account: b.amount for b in parsed.balances if b.kind is BalanceKind.RES}
    closing = sum(b.amount for b in parsed.balances if b.kind is BalanceKind.UB)
    opening = sum(b.amount for b in parsed.balances if b.kind is BalanceKind.IB)
    assert results and sum(results.values()) == opening - closing  # the year's result balances the sheet


def test_a_year_without_imports_has_no_file() -> None:
    association = testing.association("tom", "Samordningsförbundet Tom")
    with pytest.raises(sie_export.NoLedger):
        sie_export.write_year(association, dt.date(2025, 1, 1), io.BytesIO())
