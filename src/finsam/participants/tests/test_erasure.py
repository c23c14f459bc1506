"""Scheduled erasure (gallring): expired rows are really deleted, the tables stay right, the run is logged."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from finsam import testing
from finsam.core.models import AuditEntry
from finsam.participants import figures, services
from finsam.participants.models import (
    Area,
    Episode,
    ErasedRatingTally,
    ErasedReferralTally,
    ErasedSupportTally,
    ErasedTally,
    ParticipantSettings,
    Rating,
    Referral,
)
from finsam.participants.tests.factories import episode, referral

pytestmark = pytest.mark.django_db


def _table(assoc: object, year: int) -> dict[str, object]:
    data = figures.gathered(assoc, dt.date(year, 1, 1), dt.date(year, 12, 31)).data  # type: ignore[arg-type]
    return {
        k: data[k]
        for k in (
            "interventions",
            "total",
            "municipalities",
            "referrals",
            "years_on_public_support",
            "income_support_exited",
            "ratings",
        )
    }


def test_expired_episodes_are_deleted_and_the_tables_stay_right() -> None:
    assoc = testing.association("hemma")
    steg = testing.intervention(assoc, "STEG")
    ParticipantSettings.objects.create(association=assoc, retention_years=2)
    ref = referral(steg, "region", dt.date(2019, 12, 20), Referral.Outcome.ENROLLED)
    old = episode(
        steg,
        "S-1",
        enrolled=dt.date(2020, 1, 15),
        exited=dt.date(2020, 9, 30),
        reason="arbete",
        years="4.5",
        income_before="sjukpenning|ekonomiskt_bistånd",
        income_after="lön",
    )
    old.referral = ref
    services.save_episode(testing.SYSTEM, old)
    gone = episode(
        steg,
        "S-2",
        gender="man",
        income_before="a-kassa",
        income_after="a-kassa",
        enrolled=dt.date(2019, 5, 2),
        exited=dt.date(2021, 3, 3),
        reason="sjukdom",
        municipality="Värnamo",
        years="2",
    )
    referral(steg, "försäkringskassan", dt.date(2020, 2, 1), Referral.Outcome.RETURNED)
    recent = episode(steg, "S-3", enrolled=dt.date(2020, 6, 1), exited=dt.date(2023, 2, 1), reason="studier")
    ongoing = episode(steg, "19121212-1212", enrolled=dt.date(2018, 1, 1))
    area = Area.objects.get(code="halsa")
    services.rate(testing.SYSTEM, old, rated_on=dt.date(2020, 3, 1), rater="deltagare", scores={area: 4})
    services.rate(testing.SYSTEM, old, rated_on=dt.date(2020, 9, 1), rater="deltagare", scores={area: 7})
    services.rate(testing.SYSTEM, gone, rated_on=dt.date(2020, 3, 1), rater="personal", scores={area: 5})
    services.rate(testing.SYSTEM, recent, rated_on=dt.date(2020, 7, 1), rater="deltagare", scores={area: 2})
    services.rate(testing.SYSTEM, recent, rated_on=dt.date(2022, 7, 1), rater="deltagare", scores={area: 6})
    before = {year: _table(assoc, year) for year in (2019, 2020, 2021, 2023)}

    out = io.StringIO()
    call_command("erase_expired", "--date", "2024-01-10", stdout=out)
    assert "hemma: gallrade 2 episoder och 2 remisser (avslutade före 2022-01-10)" in out.getvalue()

    assert set(Episode.objects.values_list("pk", flat=True)) == {recent.pk, ongoing.pk}
    assert set(Rating.objects.values_list("episode_id", flat=True)) == {recent.pk}
    assert Referral.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM participants_episode WHERE id = %s", [old.pk])
        assert cursor.fetchone() == (0,)
    assert ErasedTally.objects.count() == 2 and ErasedReferralTally.objects.count() == 2
    assert {year: _table(assoc, year) for year in (2019, 2020, 2021, 2023)} == before
    assert before[2020]["total"]["exited"] == {"women": 1, "men": 0, "other": 0}  # type: ignore[index]
    support = before[2020]["income_support_exited"]
    assert support["sjukpenning"] == support["ekonomiskt_bistånd"] == {"before": 1, "after": 0}  # type: ignore[index]
    assert support["lön"] == {"before": 0, "after": 1}  # type: ignore[index]
    assert before[2021]["income_support_exited"]["a-kassa"] == {"before": 1, "after": 1}  # type: ignore[index]
    # Two women rated twice on health by themselves (4→7 and 2→6); the man rated once makes no progression.
    assert before[2020]["ratings"] == {
        "STEG": [{"area": "Hälsa", "rater": "deltagare", "participants": 2, "first": "3.0", "latest": "6.5"}]
    }
    assert ErasedSupportTally.objects.count() == 4 and ErasedRatingTally.objects.count() == 1
    entry = AuditEntry.objects.get(action="participants.erase_expired")
    assert entry.after == {"gallrat före": "2022-01-10", "episoder": 2, "remisser": 2}
    # The tally keeps no key of any kind.
    for tally in (ErasedTally, ErasedSupportTally, ErasedRatingTally):
        assert "S-1" not in json.dumps(list(tally.objects.values()), default=str)

    again = io.StringIO()
    call_command("erase_expired", "--date", "2024-01-10", stdout=again)
    assert "gallrade 0 episoder och 0 remisser" in again.getvalue()
    assert AuditEntry.objects.filter(action="participants.erase_expired").count() == 1


def test_retention_is_per_association() -> None:
    short = testing.association("kort")
    long = testing.association("lang", "Samordningsförbundet Lång")
    ParticipantSettings.objects.create(association=short, retention_years=1)
    for assoc in (short, long):
        episode(
            testing.intervention(assoc, "STEG"),
            "A",
            enrolled=dt.date(2020, 1, 1),
            exited=dt.date(2021, 6, 1),
            reason="annat",
        )
    call_command("erase_expired", "--date", "2023-01-01", stdout=io.StringIO())
    assert list(Episode.objects.values_list("association__slug", flat=True)) == ["lang"]  # default: 5 years
