"""The county (län) of an association, read from the name of its region member: an association's members are
one region and the municipalities of its county, and every region is named for its county."""

from __future__ import annotations

from finsam.organisation.models import Association, Member

# The 21 counties by a word of their region's name (Region Skåne, Västra Götalandsregionen, Region
# Jönköpings län …); longer words first, so that "Västra Götaland" is not read as "Götaland".
COUNTIES = {
    "västra götaland": "Västra Götalands län",
    "västernorrland": "Västernorrlands län",
    "västerbotten": "Västerbottens län",
    "västmanland": "Västmanlands län",
    "östergötland": "Östergötlands län",
    "norrbotten": "Norrbottens län",
    "stockholm": "Stockholms län",
    "uppsala": "Uppsala län",
    "sörmland": "Södermanlands län",
    "södermanland": "Södermanlands län",
    "jönköping": "Jönköpings län",
    "kronoberg": "Kronobergs län",
    "kalmar": "Kalmar län",
    "gotland": "Gotlands län",
    "blekinge": "Blekinge län",
    "skåne": "Skåne län",
    "halland": "Hallands län",
    "värmland": "Värmlands län",
    "örebro": "Örebro län",
    "dalarna": "Dalarnas län",
    "gävleborg": "Gävleborgs län",
    "jämtland": "Jämtlands län",
    "härjedalen": "Jämtlands län",
}


def county_of_region(name: str) -> str | None:
    folded = name.casefold()
    for word in sorted(COUNTIES, key=len, reverse=True):
        if word in folded:
            return COUNTIES[word]
    return None


def county(association: Association) -> str | None:
    """The county of the association's region member, or None when it has none that names a county."""
    for name in association.members.filter(kind=Member.Kind.REGION).values_list("name", flat=True):
        found = county_of_region(name)
        if found:
            return found
    return None
