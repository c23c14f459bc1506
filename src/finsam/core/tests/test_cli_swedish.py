"""The command as a newcomer meets it, run through `finsam.cli.main`: help and mistakes wholly in Swedish, the
reports by their Swedish names, and file formats written into the data dir's report folder."""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from pytest_django.fixtures import Settings

from finsam import argparse_sv, cli, testing
from finsam.core import documents
from finsam.organisation.models import Association

COMMANDS: tuple[list[str], ...] = (
    [],
    ["demo"],
    ["serve"],
    ["worker"],
    ["backup"],
    ["restore"],
    ["manage"],
    ["setup"],
    ["import"],
    ["report"],
)
ENGLISH = ("usage", "options", "show this help", "positional arguments", "default", "error", "required")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as leaving:  # argparse leaves with --help and with a mistake
        code = int(leaving.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "finsam")
def test_the_help_of_every_command_is_swedish(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = run(capsys, *command, "--help")
    assert code == 0 and err == ""
    assert out.startswith(f"användning: finsam {' '.join(command)}".rstrip() + " [-h]")
    assert "flaggor:\n  -h, --help" in out and "visa den här hjälpen och avsluta" in out
    assert [word for word in ENGLISH if word in out.lower()] == []


def test_the_report_help_lists_every_kind_with_its_swedish_name(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "report", "--help")
    assert "rapporter (RAPPORT är det svenska namnet eller det engelska):" in out
    assert "\n  arsredovisning, annual-report\n      årsredovisningen\n" in out
    for kind, (alias, _what) in cli.REPORT_KINDS.items():
        assert f"\n  {alias}, {kind}\n" in out


def test_the_kinds_named_are_those_registered() -> None:
    assert set(cli.REPORT_KINDS) == set(documents.KINDS) | cli.COMMAND_ONLY_KINDS
    aliases = [alias for alias, _what in cli.REPORT_KINDS.values()]
    assert len(set(aliases)) == len(aliases) and not set(aliases) & set(documents.KINDS)
    assert {
        "deltagare",
        "resultatrakning",
        "balansrakning",
        "kassaflodesanalys",
        "mal",
        "delarsrapport",
    } < set(aliases)
    assert {"arsredovisning", "verksamhetsplan"} < set(aliases)


def test_mistakes_are_explained_in_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "report")
    assert code == 2
    assert err.startswith("användning: finsam report [-h] --association KORTNAMN --date ÅÅÅÅ-MM-DD")
    assert err.endswith("finsam report: fel: de här argumenten krävs: RAPPORT, --association, --date\n")
    _, _, err = run(capsys, "serve", "--workers", "0")
    assert err.endswith("fel: argumentet --workers: '0' går inte; förväntade ett antal från 1 till 64\n")
    _, _, err = run(capsys, "imp")
    assert "finsam: fel: argumentet KOMMANDO: ogiltigt val: 'imp' (välj bland 'demo', 'serve'," in err
    _, _, err = run(capsys, "serve", "--bogus")
    assert err.endswith("finsam: fel: okända argument: --bogus\n")


def test_every_message_of_argparse_has_its_swedish() -> None:
    """Read from the argparse this Python runs: a newer one with new messages fails here, naming them."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    ids: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and texts:
                ids.add(texts[0])
            elif node.func.id == "ngettext":
                plurals.add((texts[0], texts[1]))
    assert len(ids) > 30 and plurals
    assert sorted(ids - set(argparse_sv.SWEDISH)) == []
    assert sorted(plurals - set(argparse_sv.SWEDISH_PLURALS)) == []


def test_argparse_speaks_english_again_once_the_command_returns(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--help")
    assert argparse.ArgumentParser(prog="x").format_usage() == "usage: x [-h]\n"


@pytest.fixture
def association() -> Association:
    assoc = testing.association()
    testing.members(assoc, {"Habo": 12731, "Mullsjö": 7300})
    testing.contribution_total(assoc, 2023, 400000)
    return assoc


@pytest.mark.django_db
def test_a_swedish_name_gives_the_same_report(
    capsys: pytest.CaptureFixture[str], association: Association
) -> None:
    period = ["--association", association.slug, "--date", "2023-12-31"]
    for english, swedish in (("contributions", "medlemsbidrag"), ("balance-sheet", "balansrakning")):
        code, by_english, _ = run(capsys, "report", english, *period)
        assert code == 0
        assert run(capsys, "report", swedish, *period) == (0, by_english, "")
    assert json.loads(by_english)["date"] == "2023-12-31"


@pytest.mark.django_db
def test_a_file_format_goes_into_the_report_folder(
    capsys: pytest.CaptureFixture[str], settings: Settings, tmp_path: Path, association: Association
) -> None:
    settings.REPORTS_DIR = tmp_path / "rapporter"
    period = ["--association", association.slug, "--date", "2023-12-31"]
    written = {}
    for fmt in ("pdf", "docx", "xlsx"):
        code, out, err = run(capsys, "report", "medlemsbidrag", *period, "--format", fmt)
        assert code == 0 and err == ""
        written[fmt] = Path(out.removesuffix("\n"))
        assert written[fmt] == settings.REPORTS_DIR / f"medlemsbidrag-testdalen-2023.{fmt}"
    assert written["pdf"].read_bytes().startswith(b"%PDF")
    assert "Habo kommun" in [c.text for c in WordDocument(str(written["docx"])).tables[0].columns[0].cells]
    assert load_workbook(written["xlsx"]).active["A1"].value
    assert {p.stat().st_mode & 0o777 for p in written.values()} == {0o600}

    code, out, _ = run(capsys, "report", "medlemsbidrag", *period, "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "Habo kommun" in out
    assert sorted(settings.REPORTS_DIR.iterdir()) == sorted(written.values())  # html went to standard out


@pytest.mark.django_db
def test_a_year_without_a_contribution_total_is_said_in_swedish(
    capsys: pytest.CaptureFixture[str], association: Association
) -> None:
    code, out, err = run(
        capsys, "report", "medlemsbidrag", "--association", "testdalen", "--date", "2019-12-31"
    )
    assert (code, out) == (1, "")
    assert err == "finsam: inget totalt medlemsbidrag är registrerat för testdalen 2019\n"
