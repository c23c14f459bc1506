"""Hostile organisation files (issue 13): each refused with a message naming where, never expanded."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.testdata import hostile


def refused(path: Path) -> list[str]:
    with pytest.raises(orgfile.OrgFileError) as caught:
        orgfile.read(path)
    return [str(problem) for problem in caught.value.problems]


def test_a_billion_laughs_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    path = tmp_path / "skratt.yaml"
    path.write_text(hostile.billion_laughs(), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    assert refused(path) == [
        "rad 7, kolumn 5: värdet 'fler än 100000 värden när alias (*) räknas ut' går inte att använda; "
        "förväntade giltig YAML"
    ]
    assert time.monotonic() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB


def test_two_hundred_thousand_nested_brackets_give_a_message(tmp_path: Path) -> None:
    path = tmp_path / "djup.yaml"
    path.write_text(hostile.nested_brackets(), encoding="utf-8")
    assert refused(path) == [
        "rad 2, kolumn 59: värdet 'djupare än 50 nivåer' går inte att använda; förväntade giltig YAML"
    ]


def test_an_alias_inside_itself_and_an_endless_number_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text("association: &a {slug: a, name: *a}\n", encoding="utf-8")
    assert refused(path) == [
        "rad 1, kolumn 33: värdet 'aliaset *a pekar på sig självt' går inte att använda; "
        "förväntade giltig YAML"
    ]
    path.write_text(f"association: {{slug: a, name: A}}\nmembers: {'9' * 5000}\n", encoding="utf-8")
    (problem,) = refused(path)
    assert problem.startswith("(filen): värdet 'Exceeds the limit (4300 digits)")


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path, settings: Settings) -> None:
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "organisation": 1024}
    path = tmp_path / "stor.yaml"
    path.write_text("association: {slug: a, name: A}\n" + "# kommentar\n" * 200, encoding="utf-8")
    (problem,) = refused(path)
    assert problem.endswith(
        "förväntade en läsbar YAML-fil i UTF-8: filen är större än 1 kB, det största som tas emot för en "
        "organisationsfil"
    )


def test_a_long_value_repeated_by_aliases_is_shown_shortened(tmp_path: Path) -> None:
    """Reproducer of bench/fuzz_importers.py: a 200 kB string under four levels of aliases (6 561 values, well
    within the limit) was shown whole in the problem of each unknown key: 146 MB for the deepest alone."""
    path = tmp_path / "skratt.yaml"
    laughs = hostile.billion_laughs(4).replace('"ha",', '"' + "x" * 200_000 + '",', 1)
    path.write_text(laughs, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems = refused(path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB
    assert [p.split(":")[0] for p in problems] == ["(filen).a0", "(filen).a1", "(filen).a2", "(filen).a3"]
    assert max(len(p) for p in problems) < 3000


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("!!timestamp igår", "'igår' går inte att läsa som !!timestamp"),
        ("!!bool kanske", "'kanske' går inte att läsa som !!bool"),
        ('!!int ""', "'' går inte att läsa som !!int"),
    ],
)
def test_a_value_its_explicit_tag_cannot_make_is_named_by_line_and_column(
    tmp_path: Path, value: str, problem: str
) -> None:
    """Reproducers of bench/fuzz_importers.py: PyYAML's constructors failed with AttributeError, KeyError and
    IndexError."""
    path = tmp_path / "org.yaml"
    path.write_text(f"association: {{slug: a, name: A}}\nmembers: {value}\n", encoding="utf-8")
    assert refused(path) == [
        f'rad 2, kolumn 10: värdet "{problem}" går inte att använda; förväntade giltig YAML'
    ]


@pytest.mark.django_db
def test_codes_and_a_website_the_models_would_refuse_are_named_before_anything_is_saved(
    tmp_path: Path,
) -> None:
    """Reproducers of bench/fuzz_importers.py: a statement row's code with a space and a website that is no
    address passed the file's checks and failed as the rows were saved (ValidationError)."""
    path = tmp_path / "org.yaml"
    path.write_text(
        "association: {slug: a, name: A, website: 'inte en adress'}\n"
        "members: [{code: 'A B', name: A, kind: state}]\n"
        "income_statement: [{code: 'RÄNTA X', name: Ränta, section: income, accounts: '8300'}]\n",
        encoding="utf-8",
    )
    with pytest.raises(orgfile.OrgFileError) as caught:
        orgfile.setup(path, testing.SYSTEM)
    assert [str(problem) for problem in caught.value.problems] == [
        "association.website: värdet 'inte en adress' går inte att använda; förväntade en webbadress som "
        "https://exempel.se",
        "members[0].code: värdet 'A B' går inte att använda; förväntade bokstäver, siffror, - och _",
        "income_statement[0].code: värdet 'RÄNTA X' går inte att använda; förväntade bokstäver, siffror, "
        "- och _",
    ]
    assert not Association.objects.filter(slug="a").exists()


@pytest.mark.django_db
def test_blank_names_and_amounts_beyond_the_books_are_named_before_anything_is_saved(tmp_path: Path) -> None:
    """Reproducers of bench/fuzz_importers.py, seed 3: a board seat's person of spaces only failed as the
    person was saved (ValidationError), and a 41-digit contribution total raised InvalidOperation as its
    decimals were checked."""
    path = tmp_path / "org.yaml"
    path.write_text(
        "association: {slug: a, name: A}\n"
        "members: [{code: FK, name: '  ', kind: state}]\n"
        "board: [{person: '   ', member: FK, role: ledamot, from: 2023-01-01}]\n"
        f"contributions: [{{year: 2023, total: {'9' * 41}}}, {{year: 2024, total: .inf}},"
        " {year: 2025, total: 'NaN'}]\n",
        encoding="utf-8",
    )
    with pytest.raises(orgfile.OrgFileError) as caught:
        orgfile.setup(path, testing.SYSTEM)
    shown = [str(problem) for problem in caught.value.problems]
    assert [line.split(":")[0] for line in shown] == [
        "members[0].name",
        "board[0].person",
        "contributions[0].total",
        "contributions[1].total",
        "contributions[2].total",
    ]
    assert shown[1].endswith("förväntade en text som inte är tom")
    assert shown[2].endswith("förväntade ett belopp under 1 000 000 000 000 kr")
    assert not Association.objects.filter(slug="a").exists()


@pytest.mark.django_db
def test_a_required_date_left_empty_is_named_before_anything_is_saved(tmp_path: Path) -> None:
    """Reproducer of bench/fuzz_importers.py, seed 3 on the classification's code: a grant's `decided_on:`
    left empty passed the check (the key was there) and failed as the grant was saved (ValidationError);
    a board seat's `from` and a former name's `until` are required the same way."""
    path = tmp_path / "org.yaml"
    path.write_text(
        "association: {slug: a, name: A}\n"
        "members: [{code: FK, name: Försäkringskassan, kind: state, former_names: [{name: FK, until: }]}]\n"
        "interventions: [{code: X, name: X, kind: individual}]\n"
        "board: [{person: Per, member: FK, role: ledamot, from: }]\n"
        "grants: [{intervention: X, year: 2023, amount: 100, decided_on: }]\n",
        encoding="utf-8",
    )
    with pytest.raises(orgfile.OrgFileError) as caught:
        orgfile.setup(path, testing.SYSTEM)
    shown = [str(problem) for problem in caught.value.problems]
    assert [line.split(":")[0] for line in shown] == [
        "members[0].former_names[0].until",
        "board[0].from",
        "grants[0].decided_on",
    ]
    assert all(line.endswith("förväntade ett datum ÅÅÅÅ-MM-DD") for line in shown)
    assert not Association.objects.filter(slug="a").exists()


@pytest.mark.django_db
def test_a_share_that_is_no_number_is_named_not_compared(tmp_path: Path) -> None:
    """A cost share of NaN or infinity (YAML's `.nan`, a text "NaN9") raised InvalidOperation as it was
    compared with 0 and 1, the kind of value fuzzing found in the participants file (seed 3, input 9 109)."""
    path = tmp_path / "org.yaml"
    sharing = ", ".join(
        f"{{partner: P, description: D, share: {share}}}"
        for share in (".nan", "'NaN9'", ".inf", "'1e-1'", "'0,35'")
    )
    path.write_text(
        f"association: {{slug: a, name: A}}\nmembers: []\ncost_sharing: [{sharing}]\n", encoding="utf-8"
    )
    with pytest.raises(orgfile.OrgFileError) as caught:
        orgfile.setup(path, testing.SYSTEM)
    shown = [str(problem) for problem in caught.value.problems]
    assert [line.split(":")[0] for line in shown] == [f"cost_sharing[{i}].share" for i in range(4)]
    assert all(
        line.endswith("förväntade en andel större än 0 och högst 1, till exempel 0.35") for line in shown
    )
    assert not Association.objects.filter(slug="a").exists()
