"""The outcome reports (ADR 0027): exact counts, suppression no two tables undo, erasure that keeps them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from finsam import testing
from finsam.organisation.models import Association, Intervention
from finsam.participants import outcome_counts, outcomes, services
from finsam.participants.tests.factories import episode

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def _exits(intervention: Intervention, prefix: str, n: int, exited: dt.date, **fields: Any) -> None:
    fields.setdefault("reason", "annat")
    for i in range(n):
        episode(intervention, f"{prefix}-{i}", exited=exited, enrolled=dt.date(2023, 1, 2), **fields)


def test_the_exact_counts_follow_the_definitions(assoc: Association, steg: Intervention) -> None:
    episode(
        steg,
        "a",
        gender="kvinna",
        enrolled=dt.date(2023, 1, 2),
        exited=dt.date(2023, 2, 1),
        reason="arbete",
        occupation_before="ingen",
        occupation_after="arbete",
        income_before="sjukpenning|ekonomiskt_bistånd",
        income_after="lön",
        years="4",
    )
    episode(
        steg,
        "b",
        gender="man",
        enrolled=dt.date(2022, 1, 2),
        exited=dt.date(2023, 3, 1),
        reason="sjukdom",
        occupation_before="subventionerat_arbete",
        occupation_after="arbete",
        years="2.5",
    )
    episode(
        steg,
        "c",
        gender="man",
        enrolled=dt.date(2023, 1, 2),
        exited=dt.date(2023, 3, 1),
        reason="felregistrering",
    )
    episode(steg, "d", gender="man", enrolled=dt.date(2023, 1, 2))
    counts = outcome_counts.gather(assoc, *YEAR)[steg.pk]
    woman, man = counts.groups["women"], counts.groups["men"]
    assert (woman.exited, woman.employed_before, woman.employed_after) == (1, 0, 1)
    assert (woman.to_work_or_studies, woman.began_or_increased) == (1, 1)
    assert (man.exited, man.employed_before, man.employed_after, man.began_or_increased) == (1, 1, 1, 1)
    assert dict(woman.days) == {30: 1} and dict(man.days) == {423: 1}
    assert (man.years_sum, man.years_known) == (Decimal("2.5"), 1)
    assert dict(counts.transitions) == {
        ("sjukpenning", "lön"): 1,
        ("ekonomiskt_bistånd", "lön"): 1,
        ("", ""): 1,
    }


def test_no_two_periods_subtract_to_a_small_count(assoc: Association, steg: Intervention) -> None:
    # Six women left by March, one more in April: January–June alone would publish 7, one more than the 6 of
    # January–March.
    _exits(steg, "q1", 6, dt.date(2023, 3, 15), reason="arbete", occupation_after="arbete", years="3")
    _exits(steg, "q2", 1, dt.date(2023, 4, 15), reason="arbete", occupation_after="arbete", years="9")
    _exits(steg, "men", 8, dt.date(2023, 2, 1), gender="man", reason="sjukdom")
    q1 = outcomes.outcome_report(assoc, dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    h1 = outcomes.outcome_report(assoc, dt.date(2023, 2, 1), dt.date(2023, 5, 31))  # widened to January–June
    assert (h1["from"], h1["to"]) == ("2023-01-01", "2023-06-30")
    first, then = q1["interventions"][0], h1["interventions"][0]
    assert first["exited"]["women"] == 6 and first["years_on_support"]["mean"]["women"] == "3.0"
    # The attempt: subtract the two tables to find the woman who left in April, and her years on support.
    for table in (then, h1["total"]):
        assert table["exited"]["women"] is None
        assert table["work_or_studies"]["exited_to"]["women"] is None
        assert table["years_on_support"]["known"]["women"] is None
        assert table["years_on_support"]["mean"]["women"] is None
        assert table["employment"]["after"]["women"] is None
    # …nor from a total: what the women's cell hides, the totals hide too.
    assert then["exited"]["total"] is None and h1["total"]["exited"]["total"] is None
    assert then["exited"]["men"] == 8
    exact = outcomes.gather(assoc, dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    assert exact.of(steg).groups["women"].exited == 7


def test_a_total_of_the_income_table_needs_every_part(assoc: Association, steg: Intervention) -> None:
    other = testing.intervention(assoc, "NOVA")
    _exits(steg, "s", 6, dt.date(2023, 3, 1), income_before="sjukpenning", income_after="lön")
    _exits(steg, "t", 2, dt.date(2023, 3, 1), income_before="sjukpenning", income_after="ingen")
    _exits(other, "n", 7, dt.date(2023, 3, 1), income_before="sjukpenning", income_after="lön")
    report = outcomes.outcome_report(assoc, *YEAR)
    rows = {i["code"]: i["income_support"]["rows"] for i in report["interventions"]}
    assert rows["NOVA"] == [
        {"before": "sjukpenning", "after": dict.fromkeys(outcomes.SUPPORT, 0) | {"lön": 7}, "total": 7}
    ]
    steg_row = rows["STEG"][0]["after"]
    assert steg_row["ingen"] is None and steg_row["lön"] is None  # 2 hidden, and 6 with it (its row says 8)
    (total,) = report["total"]["income_support"]["rows"]
    # The total's "lön" would be 13 and its "ingen" 2: neither is given, so NOVA's 7 gives nothing away.
    assert total["after"]["lön"] is None and total["after"]["ingen"] is None


def test_erased_participants_count_through_their_tallies(assoc: Association, steg: Intervention) -> None:
    _exits(
        steg,
        "a",
        5,
        dt.date(2023, 3, 10),
        reason="studier",
        occupation_before="ingen",
        occupation_after="studier",
        income_before="aktivitetsersättning",
        income_after="studiemedel",
        years="6",
    )
    _exits(
        steg,
        "b",
        5,
        dt.date(2023, 5, 20),
        gender="man",
        occupation_before="arbete",
        occupation_after="arbete",
    )
    episode(steg, "c", enrolled=dt.date(2023, 6, 1))
    before = outcomes.outcome_report(assoc, *YEAR)
    assert before["total"]["work_or_studies"]["began_or_increased"] == {
        "women": 5,
        "men": 0,
        "other": 0,
        "total": 5,
    }
    assert before["total"]["employment"]["before"]["men"] == 5
    assert before["total"]["time_in_intervention"]["median_days"]["women"] == 67
    assert services.erase_expired(testing.SYSTEM, assoc, dt.date(2030, 1, 1)) == (10, 0)
    assert outcomes.outcome_report(assoc, *YEAR) == before


@pytest.mark.usefixtures("demo")
def test_finnveden_2023_gives_seed_001s_exits_and_years(demo: dict[str, Association]) -> None:
    finnveden = demo["finnveden"]
    team = finnveden.interventions.get(code="SAMVERKANSTEAM")
    exact = outcomes.gather(finnveden, *YEAR).of(team).groups
    # Seed 001: 31 exited, two to work and one to studies, 5,4 years on public support on average.
    assert sum(g.exited for g in exact.values()) == 31
    assert sum(g.to_work_or_studies for g in exact.values()) == 3
    assert sum(g.years_sum for g in exact.values()) == Decimal("167.4")  # 31 × 5,4
    report = outcomes.outcome_report(finnveden, *YEAR)
    (shown,) = [i for i in report["interventions"] if i["code"] == "SAMVERKANSTEAM"]
    assert shown["exited"] == {"women": 19, "men": 12, "other": 0, "total": 31}
    assert shown["years_on_support"]["mean"] == {"women": "5.3", "men": "5.6", "other": None, "total": "5.4"}
    assert shown["work_or_studies"]["exited_to"]["total"] is None  # 3: too few to show
    assert report["total"]["years_on_support"]["mean"]["total"] == "5.4"
