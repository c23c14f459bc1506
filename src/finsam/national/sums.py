"""A sum of published counts, as every figure of the national roll-up is (ADR 0028): the part the exports
published, and how many hidden counts it leaves out."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from finsam.core import formatting


@dataclass
class Sum:
    """A sum of published counts: the part known, and how many hidden counts it leaves out."""

    known: int = 0
    hidden: int = 0

    def add(self, value: int | None) -> None:
        if value is None:
            self.hidden += 1
        else:
            self.known += value

    def json(self) -> dict[str, int]:
        return {"known": self.known, "hidden": self.hidden}

    def text(self) -> str:
        if not self.hidden:
            return formatting.number(self.known)
        return _("minst %(known)s, %(hidden)s dolda") % {
            "known": formatting.number(self.known),
            "hidden": self.hidden,
        }


def sums(count: int) -> list[Sum]:
    return [Sum() for _n in range(count)]


def add_all(totals: list[Sum], values: list[int | None]) -> None:
    for total, value in zip(totals, values, strict=True):
        total.add(value)
