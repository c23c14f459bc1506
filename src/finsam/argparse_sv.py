"""argparse's own texts in Swedish: "usage:", "options", its help for -h and its error messages.

argparse looks up every text it writes through gettext, by its English message id (the Python documentation's
"How to translate the argparse output"). Django's catalogs are not ready when the command line is read, so
this module holds the Swedish for argparse's ids, and `swedish()` hands it to argparse while a block runs.
"""

from __future__ import annotations

import argparse
import gettext
from collections.abc import Iterator
from contextlib import contextmanager

SWEDISH = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "de här argumenten krävs: %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "unrecognized arguments: %s": "okända argument: %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "flaggan %(option)s är tvetydig; den kan vara %(matches)s"
    ),
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "ogiltigt värde för %(type)s: %(value)r",
    "expected one argument": "ett värde krävs",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde krävs",
    "not allowed with argument %s": "går inte att ange tillsammans med %s",
    "ignored explicit argument %r": "värdet %r tas inte emot",
    "unexpected option string: %s": "oväntad flagga: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "okänt kommando %(parser_name)r (välj bland %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
    'argument "-" with mode %r': 'argumentet "-" med läget %r',
    # Mistakes in a program's own definition of its arguments, never in what a user types.
    ".__call__() not defined": ".__call__() är inte definierad",
    "'required' is an invalid argument for positionals": "'required' går inte att ange för positionsargument",
    "mutually exclusive arguments must be optional": "argument som utesluter varandra måste vara flaggor",
    "%r is not callable": "%r går inte att anropa",
    "cannot merge actions - two groups are named %r": "kan inte slå ihop: två grupper heter %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "ogiltig flagga %(option)r: måste börja med ett av tecknen %(prefix_chars)r"
    ),
    "dest= is required for options like %r": "dest= krävs för flaggor som %r",
    "invalid conflict_resolution value: %r": "ogiltigt värde för conflict_resolution: %r",
    "cannot have multiple subparser arguments": "bara ett argument får ha underkommandon",
    "conflicting subparser: %s": "underkommandot finns redan: %s",
    "conflicting subparser alias: %s": "underkommandots alias finns redan: %s",
}
SWEDISH_PLURALS = {
    ("expected %s argument", "expected %s arguments"): ("%s värde krävs", "%s värden krävs"),
    ("conflicting option string: %s", "conflicting option strings: %s"): (
        "flaggan finns redan: %s",
        "flaggorna finns redan: %s",
    ),
}


class SwedishArgparse(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return SWEDISH.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        singular, plural = SWEDISH_PLURALS.get((msgid1, msgid2), (msgid1, msgid2))
        return singular if n == 1 else plural


@contextmanager
def swedish() -> Iterator[None]:
    """argparse writes Swedish while the block runs (its module-level gettext functions are the hook)."""
    translation = SwedishArgparse()
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translation.gettext, translation.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
