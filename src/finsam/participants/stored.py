"""How some of an episode's fields are stored: plain functions the models, tables and services share."""

from __future__ import annotations

import datetime as dt


def support_codes(text: str) -> list[str]:
    """The income-support codes of an episode's field, stored separated by "|"."""
    return [code for code in text.split("|") if code]


def income_pairs(before: str, after: str) -> list[tuple[str, str]]:
    """The cells of the transition table a participant counts in: each kind before with each kind after (""
    where none is recorded)."""
    return [(b, a) for b in support_codes(before) or [""] for a in support_codes(after) or [""]]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)
