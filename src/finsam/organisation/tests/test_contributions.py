from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from finsam import testing
from finsam.accounts.roles import Role
from finsam.organisation.contributions import ContributionError, apportion, compute
from finsam.organisation.models import ContributionTotal

pytestmark = pytest.mark.django_db


def test_it_splits_a_municipal_quarter_of_2787000_exactly_in_whole_hundreds() -> None:
    parts = apportion(Decimal(2787000), [12731, 143171, 7330, 14120])
    # Quotas in hundreds: 2000.61, 22498.62, 1151.87, 2218.89; the three hundreds left after the floors
    # go to the three largest remainders (.89, .87, .62).
    assert parts == [Decimal(200000), Decimal(2249900), Decimal(115200), Decimal(221900)]
    assert sum(parts) == Decimal(2787000)
    assert all(p % 100 == 0 for p in parts)


def test_it_reproduces_the_2023_split_of_sodra_vatterbygden() -> None:
    assoc = testing.association()
    testing.members(assoc, {"HABO": 12698, "JKPG": 140598, "MULLSJO": 7290, "VAGGERYD": 14414})
    testing.contribution_total(assoc, 2023, 8892000)
    split = compute(assoc, 2023)
    amounts = {line.member.code: line.amount for line in split.lines}
    assert amounts == {
        "FK": Decimal(4446000),
        "REG": Decimal(2223000),
        "HABO": Decimal(161300),
        "JKPG": Decimal(1786000),
        "MULLSJO": Decimal(92600),
        "VAGGERYD": Decimal(183100),
        "AF": Decimal(0),
    }
    assert [line.member.code for line in split.lines] == [
        "FK",
        "REG",
        "HABO",
        "JKPG",
        "MULLSJO",
        "VAGGERYD",
        "AF",
    ]
    assert split.rounding_difference == 0


def test_it_uses_the_latest_population_before_the_year() -> None:
    assoc = testing.association()
    testing.members(assoc, {"A": 1000, "B": 3000})
    later = assoc.members.get(code="A").populations.create(reference_date="2023-11-01", count=3000)
    testing.contribution_total(assoc, 2023, 400000)
    split_2023 = {ln.member.code: ln.amount for ln in compute(assoc, 2023).lines}
    assert (split_2023["A"], split_2023["B"]) == (Decimal(25000), Decimal(75000))
    split_2024 = {ln.member.code: ln.amount for ln in compute(assoc, 2024, Decimal(400000)).lines}
    assert (split_2024["A"], split_2024["B"]) == (Decimal(50000), Decimal(50000))
    assert later.count == 3000


def test_it_shows_the_rounding_difference_when_the_total_is_not_a_multiple_of_400() -> None:
    assoc = testing.association()
    testing.members(assoc, {"A": 1, "B": 1})
    split = compute(assoc, 2023, Decimal(1000100))
    # half 500 050 rounds up to 500 100; a quarter 250 025 rounds down to 250 000.
    assert split.allocated == Decimal(1000100)
    split = compute(assoc, 2023, Decimal(1000200))
    assert split.allocated == Decimal(1000200 + 100)
    assert split.rounding_difference == Decimal(-100)


def test_it_refuses_a_municipality_without_population() -> None:
    assoc = testing.association()
    testing.member(assoc, "UTAN")
    with pytest.raises(
        ContributionError, match="Utan kommun har ingen folkmängd daterad 2022-12-31 eller tidigare"
    ):
        compute(assoc, 2023, Decimal(100000))


def test_it_refuses_a_year_without_total() -> None:
    assoc = testing.association()
    with pytest.raises(ContributionError, match="inget totalt medlemsbidrag är registrerat för"):
        compute(assoc, 2023)


populations = st.lists(st.integers(min_value=1, max_value=1_000_000), min_size=1, max_size=12)
quarters = st.integers(min_value=0, max_value=100_000).map(lambda n: Decimal(n * 100))


@given(quarter=quarters, weights=populations)
def test_apportioned_parts_add_up_exactly_in_whole_hundreds(quarter: Decimal, weights: list[int]) -> None:
    parts = apportion(quarter, weights)
    assert sum(parts) == quarter
    assert all(p % 100 == 0 and p >= 0 for p in parts)
    total = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = quarter * weight / total
        assert abs(part - exact) < 100  # never more than one step from the exact share


@given(quarter=quarters, weights=populations)
def test_a_larger_population_never_pays_less(quarter: Decimal, weights: list[int]) -> None:
    parts = apportion(quarter, weights)
    for i in range(len(weights)):
        for j in range(len(weights)):
            if weights[i] > weights[j]:
                assert parts[i] >= parts[j]


def test_apportion_refuses_amounts_that_are_not_whole_steps() -> None:
    with pytest.raises(ContributionError):
        apportion(Decimal(150), [1, 2])


@pytest.mark.django_db
def test_a_year_of_other_digits_is_a_form_error_not_a_crash(client: Client) -> None:
    assoc = testing.association()
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    url = f"/f/{assoc.slug}/medlemsbidrag/totalbelopp/"
    for year in ("20\u00b225", "2\u00b3"):  # "20²25": str.isdigit() takes it, int() does not
        answer = client.post(
            url, {"year": year, "amount": "1 000 000", "decided_on": "2024-11-20"}, follow=True
        )
        assert answer.status_code == 200 and "Fyll i ett heltal." in answer.content.decode()
    assert not ContributionTotal.objects.exists()
