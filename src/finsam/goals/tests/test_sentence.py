"""The summary sentence: seed 001's wording, every count 0–20 for every status, and any mix (hypothesis)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.goals.models import Status
from finsam.goals.sentence import UNASSESSED, number_word, summary

F, N, P, X, U = Status.FULFILLED, Status.NOT_FULFILLED, Status.PARTLY, Status.NOT_ASSESSABLE, UNASSESSED
# Written out here, apart from the code under test.
WORDS = [
    *("noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"),
    *("elva", "tolv", "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton", "tjugo"),
]


def w(n: int) -> str:
    return WORDS[n] if n < len(WORDS) else str(n)


SEED = (
    "Tre av de tio målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllda under året, tre mål är inte "
    "uppfyllda, två är delvis uppfyllda och två har inte varit möjliga att få svar på."
)
# (singular, plural) of each status, as the first group and as a later one.
FIRST = {
    F: ("bedöms vara helt uppfyllt under året", "bedöms vara helt uppfyllda under året"),
    N: ("bedöms inte vara uppfyllt under året", "bedöms inte vara uppfyllda under året"),
    P: ("bedöms vara delvis uppfyllt under året", "bedöms vara delvis uppfyllda under året"),
    X: (
        "har inte varit möjligt att få svar på under året",
        "har inte varit möjliga att få svar på under året",
    ),
    U: ("är ännu inte bedömt", "är ännu inte bedömda"),
}
LATER = {
    N: ("är inte uppfyllt", "är inte uppfyllda"),
    P: ("är delvis uppfyllt", "är delvis uppfyllda"),
    X: ("har inte varit möjligt att få svar på", "har inte varit möjliga att få svar på"),
    U: ("är ännu inte bedömt", "är ännu inte bedömda"),
}


def test_the_seed_sentence_comes_out_word_for_word() -> None:
    assert summary({F: 3, N: 3, P: 2, X: 2}, 2023) == SEED


def test_the_order_is_fixed_whatever_the_mapping_order() -> None:
    assert summary({X: 2, P: 2, N: 3, F: 3, U: 0}, 2023) == SEED


@pytest.mark.parametrize(
    ("counts", "year", "expected"),
    [
        ({}, 2023, "Verksamhetsplanen för 2023 har inga mål att följa upp."),
        ({F: 0, N: 0}, 2023, "Verksamhetsplanen för 2023 har inga mål att följa upp."),
        ({F: 1}, 2023, "Målet i verksamhetsplanen för 2023 bedöms vara helt uppfyllt under året."),
        ({N: 1}, 2023, "Målet i verksamhetsplanen för 2023 bedöms inte vara uppfyllt under året."),
        ({F: 2}, 2023, "Båda målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllda under året."),
        (
            {N: 11},
            2023,
            "Samtliga elva mål i verksamhetsplanen för 2023 bedöms inte vara uppfyllda under året.",
        ),
        (
            {X: 20},
            2023,
            "Samtliga tjugo mål i verksamhetsplanen för 2023 har inte varit möjliga att få svar på "
            "under året.",
        ),
        (
            {F: 1, N: 1},
            2023,
            "Ett av de två målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllt under året "
            "och ett mål är inte uppfyllt.",
        ),
        (
            {F: 1, N: 2, P: 1},
            2023,
            "Ett av de fyra målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllt under året, "
            "två mål är inte uppfyllda och ett är delvis uppfyllt.",
        ),
        (
            {P: 1, X: 1},
            2023,
            "Ett av de två målen i verksamhetsplanen för 2023 bedöms vara delvis uppfyllt under året "
            "och ett mål har inte varit möjligt att få svar på.",
        ),
        (
            {F: 4, U: 6},
            2023,
            "Fyra av de tio målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllda under året "
            "och sex mål är ännu inte bedömda.",
        ),
        (
            {F: 1, N: 1, P: 1, X: 1, U: 1},
            2023,
            "Ett av de fem målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllt under året, "
            "ett mål är inte uppfyllt, ett är delvis uppfyllt, ett har inte varit möjligt att få svar på "
            "och ett är ännu inte bedömt.",
        ),
        (
            {F: 21, P: 4},
            2024,
            "21 av de 25 målen i verksamhetsplanen för 2024 bedöms vara helt uppfyllda under året "
            "och fyra mål är delvis uppfyllda.",
        ),
    ],
)
def test_sentences_for_chosen_mixes(counts: dict[str, int], year: int, expected: str) -> None:
    assert summary(counts, year) == expected


@pytest.mark.parametrize("n", range(21))
def test_number_words_agree_with_the_neuter_noun(n: int) -> None:
    assert number_word(n) == WORDS[n]
    assert number_word(1) == "ett"  # ett mål, never "en"


@pytest.mark.parametrize("status", [F, N, P, X, U])
@pytest.mark.parametrize("n", range(21))
def test_every_count_as_the_first_group(status: str, n: int) -> None:
    """n goals with the status out of n + 3 (the rest not fulfilled; fulfilled when testing not fulfilled)."""
    other = F if status == N else N
    counts = {status: n, other: 3}
    text = summary(counts, 2023)
    total = n + 3
    first_is_status = n > 0 and [F, N, P, X, U].index(status) < [F, N, P, X, U].index(other)
    if n == 0:
        assert text == (f"Samtliga tre mål i verksamhetsplanen för 2023 {FIRST[other][1]}.")
        return
    singular = 0 if n == 1 else 1
    if first_is_status:
        expected = (
            f"{WORDS[n].capitalize()} av de {w(total)} målen i verksamhetsplanen för 2023 "
            f"{FIRST[status][singular]} och tre mål {LATER[other][1]}."
        )
    else:
        expected = (
            f"Tre av de {w(total)} målen i verksamhetsplanen för 2023 {FIRST[other][1]} och "
            f"{WORDS[n]} mål {LATER[status][singular]}."
        )
    assert text == expected


@pytest.mark.parametrize("status", [N, P, X, U])
@pytest.mark.parametrize("n", range(1, 21))
def test_every_count_as_a_later_group(status: str, n: int) -> None:
    """The second group names the noun ("tre mål är …"), the third leaves it out ("två är …")."""
    singular = 0 if n == 1 else 1
    if status == N:
        text = summary({F: 2, N: n}, 2023)
        assert text.endswith(f"under året och {WORDS[n]} mål {LATER[N][singular]}.")
    else:
        text = summary({F: 2, N: 1, status: n}, 2023)
        assert text.endswith(f"under året, ett mål {LATER[N][0]} och {WORDS[n]} {LATER[status][singular]}.")


def test_a_negative_or_unknown_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        number_word(-1)
    with pytest.raises(ValueError, match="unknown"):
        summary({"done": 1}, 2023)


# --- Any mix: parse the sentence back with the tables above and compare -------------------------------------

FIRST_BY_TEXT = {text: (status, i == 0) for status, pair in FIRST.items() for i, text in enumerate(pair)}
LATER_BY_TEXT = {text: (status, i == 0) for status, pair in LATER.items() for i, text in enumerate(pair)}
WORD_VALUES = {w: i for i, w in enumerate(WORDS)}


def _count(word: str) -> int:
    return WORD_VALUES[word] if word in WORD_VALUES else int(word)


def _parse(text: str, year: int) -> dict[str, int]:
    assert text[0].isupper() and text.endswith(".")
    body = text[0].lower() + text[1:-1]
    head, _, last = body.rpartition(" och ")
    parts = [*head.split(", "), last] if head else [last]
    plan = f" i verksamhetsplanen för {year} "
    subject, predicate = parts[0].split(plan)
    status, singular = FIRST_BY_TEXT[predicate]
    if subject == "målet":
        n, total = 1, 1
    elif subject == "båda målen":
        n, total = 2, 2
    elif match := re.fullmatch(r"samtliga (\S+) mål", subject):
        n = total = _count(match[1])
    else:
        match = re.fullmatch(r"(\S+) av de (\S+) målen", subject)
        assert match is not None, subject
        n, total = _count(match[1]), _count(match[2])
    assert singular == (n == 1)
    found = {status: n}
    for index, part in enumerate(parts[1:]):
        word, rest = part.split(" ", 1)
        if index == 0:
            assert rest.startswith("mål "), part
            rest = rest.removeprefix("mål ")
        else:
            assert not rest.startswith("mål "), part
        status, singular = LATER_BY_TEXT[rest]
        assert status not in found
        found[status] = _count(word)
        assert singular == (found[status] == 1)
    assert sum(found.values()) == total
    return found


@given(
    st.fixed_dictionaries({s: st.integers(min_value=0, max_value=20) for s in (F, N, P, X, U)}),
    st.integers(min_value=2004, max_value=2100),
)
def test_any_mix_reads_back_to_its_counts(counts: dict[str, int], year: int) -> None:
    text = summary(counts, year)
    nonzero = {s: n for s, n in counts.items() if n}
    if not nonzero:
        assert text == f"Verksamhetsplanen för {year} har inga mål att följa upp."
        return
    assert _parse(text, year) == nonzero
    assert text.count(" och ") == (1 if len(nonzero) > 1 else 0)
    assert " en " not in f" {text} "  # "ett mål", never "en"
    assert "noll" not in text  # a zero group is left out
    order = [s for s in (F, N, P, X, U) if s in nonzero]
    assert list(_parse(text, year)) == order
