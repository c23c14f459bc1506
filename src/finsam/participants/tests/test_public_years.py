"""Years on public support before entry as they leave the association: an average of at least the threshold's
people, never one that two allowed periods would give away for a smaller group (ADR 0008)."""

from __future__ import annotations

import datetime as dt

import pytest

from finsam.organisation.models import Association
from finsam.participants import figures
from finsam.participants.tables import years_on_support

pytestmark = pytest.mark.django_db
JANUARY = dt.date(2023, 1, 1)
ENDS = (dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 12, 31))


def test_finnvedens_averages_are_seed_001s(demo: dict[str, Association]) -> None:
    years = figures.public_years(demo["finnveden"], JANUARY, ENDS[2], 5)
    # Seed 001, Bilaga 2: the 31 who exited Samverkansteamet in 2023 had 5.4 years on average.
    assert years["SAMVERKANSTEAM"] == {"participating": "5.3", "exited": "5.4"}
    assert years["ITSPARET"] == {"participating": None, "exited": None}  # one participant


def test_an_average_whose_group_grew_by_a_few_is_hidden(demo: dict[str, Association]) -> None:
    association = demo["sodra-vatterbygden"]
    enter = association.interventions.get(code="ENTER").pk
    counts = [years_on_support(association, JANUARY, end)[enter].exited_years_count for end in ENDS]
    assert counts == [7, 11, 11]  # four more exited in April–June: their average is theirs alone
    shown = [figures.public_years(association, JANUARY, end, 5)["ENTER"]["exited"] for end in ENDS]
    assert shown == ["2.1", None, None]
    # The participating grew by 6 from March to June: both averages are shown.
    assert [figures.public_years(association, JANUARY, end, 5)["ENTER"]["participating"] for end in ENDS] == [
        "4.3",
        "4.3",
        "4.3",
    ]


def test_the_public_report_carries_them(demo: dict[str, Association]) -> None:
    data = figures.gathered(demo["finnveden"], JANUARY, ENDS[2], public=True).data
    assert data["years_on_public_support"]["SAMVERKANSTEAM"]["exited"] == "5.4"
    team = next(i for i in data["interventions"] if i["code"] == "SAMVERKANSTEAM")
    assert team["referrals_total"] == 70
    assert (team["referrals"]["region"], team["referrals"]["försäkringskassan"]) == (35, 25)
    assert team["referrals"]["kommun"] is None and team["referrals"]["arbetsförmedlingen"] is None  # 6 and 4
