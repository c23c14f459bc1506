"""Members' names as they were on a day: a document of 2012 says "Landstinget i Jönköpings län" where today's
data says "Region Jönköpings län". The board's documents take every member name through here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from finsam.organisation.models import Association, Member, MemberName


@dataclass(frozen=True)
class NamesOn:
    """The members' names on one day, by member id, and today's name of each member that bore another then."""

    day: dt.date
    by_member: dict[int, str]
    renamed: dict[str, str]  # today's name → the name on the day, for members whose name has changed since

    def of(self, member: Member) -> str:
        return self.by_member.get(member.pk, member.name)

    def text(self, text: str) -> str:
        """The text with each member's name of today replaced by its name on the day, as a whole word
        ("Driftbidrag från Region Jönköpings län" → "Driftbidrag från Landstinget i Jönköpings län")."""
        if not self.renamed:
            return text
        # Longest first, so that a name containing another is replaced whole.
        names = sorted(self.renamed, key=len, reverse=True)
        pattern = r"(?<!\w)(?:" + "|".join(re.escape(name) for name in names) + r")(?!\w)"
        return re.sub(pattern, lambda found: self.renamed[found.group(0)], text)


def names_on(association: Association, day: dt.date) -> NamesOn:
    """Each member's name on the day (its earliest former name used until that day or later, else its name),
    in two queries."""
    members = list(Member.objects.filter(association=association))
    former: dict[int, str] = {}
    earlier = MemberName.objects.filter(member__association=association, until__gte=day).order_by("-until")
    for name in earlier:  # latest first, so the earliest still in use on the day is the one kept
        former[name.member_id] = name.name
    by_member = {m.pk: former.get(m.pk, m.name) for m in members}
    renamed = {m.name: by_member[m.pk] for m in members if by_member[m.pk] != m.name}
    return NamesOn(day, by_member, renamed)
