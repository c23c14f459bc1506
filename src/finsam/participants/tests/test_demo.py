"""The demo participant tables reproduce the seeds: seed 000 (2023 H1) and seed 001 (2023)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from finsam.demo import build
from finsam.organisation.models import Association
from finsam.participants import figures
from finsam.participants.models import Episode, Rating, Referral

pytestmark = pytest.mark.django_db


def _data(slug: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    return figures.gathered(Association.objects.get(slug=slug), start, end).data


@pytest.mark.usefixtures("demo")
def test_sodra_vatterbygden_2023_h1_is_seed_000s_table() -> None:
    data = _data("sodra-vatterbygden", dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    table = {
        e["code"]: (
            e["participating"]["men"],
            e["participating"]["women"],
            e["exited"]["men"],
            e["exited"]["women"],
        )
        for e in data["interventions"]
    }
    # Jan-juni 2023: Deltagande män, Deltagande kvinnor, Avslutade män, Avslutade kvinnor
    assert table == {
        "ENTER": (31, 18, 6, 5),
        "FIA": (11, 21, 3, 5),
        "ITSPARET": (2, 0, 0, 0),
        "NOVA": (16, 27, 2, 2),
        "KOLL": (17, 23, 16, 19),
    }
    total = data["total"]
    assert total["participating"] == {"women": 89, "men": 77, "other": 0}
    assert sum(total["exited"].values()) == 58
    enter = data["interventions"][0]
    assert (
        enter["exit_reasons"]["work_or_studies"] == 6
    )  # "sex av de elva avslutade gått till arbete eller studier"
    fia = data["interventions"][1]
    assert fia["exit_reasons_detail"]["arbete"] == 2


@pytest.mark.usefixtures("demo")
def test_finnveden_2023_is_seed_001s_figures() -> None:
    data = _data("finnveden", dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    total = data["total"]
    assert total["participating"] == {"women": 51, "men": 26, "other": 0}
    team, its = data["interventions"]
    assert (team["code"], its["code"]) == ("SAMVERKANSTEAM", "ITSPARET")
    assert its["participating"] == {"women": 0, "men": 1, "other": 0}
    assert sum(team["exited"].values()) == 31
    assert team["exit_reasons_detail"] == {
        "arbete": 2,
        "studier": 1,
        "arbetsrehabilitering": 6,
        "sjukdom": 7,
        "egen_begäran": 6,
        "åter_remittent": 8,
        "annat": 1,
    }
    assert data["years_on_public_support"]["interventions"]["SAMVERKANSTEAM"]["exited"] == "5.4"
    chart = {
        (m["municipality"], g): (m["carried_over"][g], m["new"][g])
        for m in data["municipalities_by_intervention"]["SAMVERKANSTEAM"]
        for g in ("women", "men")
    }
    assert chart == {
        ("Gislaved", "women"): (7, 11),
        ("Gislaved", "men"): (11, 6),
        ("Gnosjö", "women"): (5, 3),
        ("Gnosjö", "men"): (2, 3),
        ("Värnamo", "women"): (11, 14),
        ("Värnamo", "men"): (1, 2),
    }
    referrals = data["referrals"]
    assert referrals["total"] == 70
    shares = {s["source"]: s["share"] for s in referrals["sources"]}
    assert shares["region"] == "0.5000"
    assert round(float(shares["försäkringskassan"]) * 100) == 36
    assert referrals["outcomes"]["enrolled"] == 39
    two_years = Referral.objects.filter(
        intervention__code="SAMVERKANSTEAM", received_on__range=(dt.date(2022, 1, 1), dt.date(2023, 12, 31))
    )
    assert two_years.count() == 136
    assert two_years.filter(outcome=Referral.Outcome.RETURNED).count() == 36
    assert data["ratings"]["SAMVERKANSTEAM"]


@pytest.mark.usefixtures("demo")
def test_loading_the_demo_twice_changes_nothing() -> None:
    counts = (Episode.objects.count(), Referral.objects.count(), Rating.objects.count())
    before = list(Episode.objects.order_by("pk").values())
    build.load()
    assert (Episode.objects.count(), Referral.objects.count(), Rating.objects.count()) == counts
    assert list(Episode.objects.order_by("pk").values()) == before
