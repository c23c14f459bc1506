"""The summary sentence of goal attainment, in the words of the annual report (seed 001):

    "Tre av de tio målen i verksamhetsplanen för 2023 bedöms vara helt uppfyllda under året, tre mål är inte
    uppfyllda, två är delvis uppfyllda och två har inte varit möjliga att få svar på."

The grammar is Swedish by construction (agreement with the neuter noun "mål", number words, the list with
"och"), so the sentence is built here rather than pieced together from translated fragments; another language
would need its own function.

Rules:
- groups in the order fulfilled, not fulfilled, partly fulfilled, not assessable, not yet assessed; a group of
  zero is left out;
- the first group names the whole ("Tre av de tio målen i verksamhetsplanen för 2023 …"; "Målet …" when
  there is one goal, "Båda målen …" and "Samtliga elva mål …" when the group is all of them); the second
  names the noun again ("tre mål är …"), later ones leave it out ("två är …");
- numbers 0–20 as words in the neuter ("ett", not "en"), larger ones in digits; singular predicates after one
  ("ett mål är inte uppfyllt"), plural otherwise ("två mål är inte uppfyllda");
- the last two groups are joined by "och", the others by commas.
"""

from __future__ import annotations

from collections.abc import Mapping

from finsam.goals.models import Status

NUMBER_WORDS = (
    "noll",
    "ett",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
    "tretton",
    "fjorton",
    "femton",
    "sexton",
    "sjutton",
    "arton",
    "nitton",
    "tjugo",
)

# Commitments without a confirmed status yet.
UNASSESSED = ""
ORDER: tuple[str, ...] = (
    Status.FULFILLED,
    Status.NOT_FULFILLED,
    Status.PARTLY,
    Status.NOT_ASSESSABLE,
    UNASSESSED,
)

# (singular, plural) predicates, for the first group (which carries "under året") and for later ones.
FIRST: dict[str, tuple[str, str]] = {
    Status.FULFILLED: ("bedöms vara helt uppfyllt under året", "bedöms vara helt uppfyllda under året"),
    Status.NOT_FULFILLED: ("bedöms inte vara uppfyllt under året", "bedöms inte vara uppfyllda under året"),
    Status.PARTLY: ("bedöms vara delvis uppfyllt under året", "bedöms vara delvis uppfyllda under året"),
    Status.NOT_ASSESSABLE: (
        "har inte varit möjligt att få svar på under året",
        "har inte varit möjliga att få svar på under året",
    ),
    UNASSESSED: ("är ännu inte bedömt", "är ännu inte bedömda"),
}
LATER: dict[str, tuple[str, str]] = {
    Status.FULFILLED: ("är helt uppfyllt", "är helt uppfyllda"),
    Status.NOT_FULFILLED: ("är inte uppfyllt", "är inte uppfyllda"),
    Status.PARTLY: ("är delvis uppfyllt", "är delvis uppfyllda"),
    Status.NOT_ASSESSABLE: ("har inte varit möjligt att få svar på", "har inte varit möjliga att få svar på"),
    UNASSESSED: ("är ännu inte bedömt", "är ännu inte bedömda"),
}


def number_word(n: int) -> str:
    """A count in words as it agrees with "mål" (neuter): "ett", "två" … "tjugo"; larger counts in digits."""
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _predicate(table: dict[str, tuple[str, str]], status: str, n: int) -> str:
    singular, plural = table[status]
    return singular if n == 1 else plural


def _subject(n: int, total: int, year: int) -> str:
    plan = f"i verksamhetsplanen för {year}"
    if n == total == 1:
        return f"målet {plan}"
    if n == total == 2:
        return f"båda målen {plan}"
    if n == total:
        return f"samtliga {number_word(total)} mål {plan}"
    return f"{number_word(n)} av de {number_word(total)} målen {plan}"


def summary(counts: Mapping[str, int], year: int) -> str:
    """The sentence for the number of commitments per status ("" for those not yet assessed)."""
    unknown = set(counts) - set(ORDER)
    if unknown:
        raise ValueError(f"unknown statuses: {sorted(unknown)}")
    groups = [(status, counts.get(status, 0)) for status in ORDER if counts.get(status, 0)]
    total = sum(n for _, n in groups)
    if total == 0:
        return f"Verksamhetsplanen för {year} har inga mål att följa upp."
    (first_status, first_n), *later = groups
    parts = [f"{_subject(first_n, total, year)} {_predicate(FIRST, first_status, first_n)}"]
    for index, (status, n) in enumerate(later):
        noun = " mål" if index == 0 else ""
        parts.append(f"{number_word(n)}{noun} {_predicate(LATER, status, n)}")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]
    return text[0].upper() + text[1:] + "."
