"""The registrar's caseload on the demo's Samverkansteam: active episodes, ratings due, exits to register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.core import services as core
from finsam.organisation.models import Association
from finsam.participants import caseload, services
from finsam.participants.caseload import Caseload
from finsam.participants.models import Episode
from finsam.participants.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def finnveden(demo: dict[str, Association]) -> Association:
    return demo["finnveden"]


def registrar() -> User:
    return User.objects.get(username="registrator")


def counts(association: Association, day: dt.date) -> list[tuple[str, int, int, int]]:
    return [
        (c.intervention.code, c.active, c.ratings_due, c.exits_due)
        for c in caseload.caseload(association, registrar(), day)
    ]


def test_the_demo_registrars_caseload(finnveden: Association) -> None:
    # Samverkansteam: 37 carried over into 2023 of which 22 exited, 39 new of which 9 exited: 45 active.
    # None of the 45 has a rating (the demo rates a dozen who exited in 2023), so the enrolment decides:
    # on 1 November 2023, 21 were enrolled before 4 May (180 days), 15 between then and 2 October (30 days).
    assert counts(finnveden, dt.date(2023, 11, 1)) == [("SAMVERKANSTEAM", 45, 15, 21)]
    assert counts(finnveden, dt.date(2024, 1, 15)) == [("SAMVERKANSTEAM", 45, 15, 29)]
    # Long after the demo year nothing has happened to anyone: every active episode asks for its exit.
    assert counts(finnveden, dt.date(2026, 11, 25)) == [("SAMVERKANSTEAM", 45, 0, 45)]
    # IT-spåret's active participant is not hers, and the lists match the counts.
    episodes = caseload.episodes_of(finnveden, registrar())
    day = dt.date(2024, 1, 15)
    due = list(caseload.ratings_due(episodes, day))
    exits = list(caseload.exits_due(episodes, day))
    assert (len(due), len(exits)) == (15, 29)
    assert not {e.pk for e in due} & {e.pk for e in exits}
    assert exits[0].own_key == "ST-037"  # enrolled 2021-03-10, the longest without anything happening
    assert all(e.intervention.code == "SAMVERKANSTEAM" and e.exited_on is None for e in due + exits)


def test_a_rating_takes_an_episode_off_both_lists_until_the_next_is_due(finnveden: Association) -> None:
    episode = Episode.objects.get(association=finnveden, own_key="ST-037")
    episodes = caseload.episodes_of(finnveden, registrar())
    areas = services.shipped_areas()
    services.rate(
        testing.SYSTEM,
        episode,
        rated_on=dt.date(2024, 1, 10),
        rater="deltagare",
        scores=dict.fromkeys(areas, 5),
    )

    def state(day: dt.date) -> tuple[bool, bool]:
        return (
            caseload.ratings_due(episodes, day).filter(pk=episode.pk).exists(),
            caseload.exits_due(episodes, day).filter(pk=episode.pk).exists(),
        )

    assert state(dt.date(2024, 4, 9)) == (False, False)  # 90 days after the rating
    assert state(dt.date(2024, 4, 10)) == (True, False)  # 91 days: the next rating is due
    assert state(dt.date(2024, 7, 8)) == (True, False)  # 180 days
    assert state(dt.date(2024, 7, 9)) == (False, True)  # 181 days without anything: ask about the exit
    assert counts(finnveden, dt.date(2024, 1, 15)) == [("SAMVERKANSTEAM", 45, 15, 28)]


def test_an_intervention_that_has_ended_asks_for_its_exits() -> None:
    assoc = testing.association()
    steg = testing.intervention(assoc, "STEG")
    other = testing.intervention(assoc, "ANNAN")
    user = testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg])
    factories.episode(steg, "S-1", enrolled=dt.date(2024, 3, 1))
    factories.episode(steg, "S-2", enrolled=dt.date(2024, 1, 2), exited=dt.date(2024, 3, 1), reason="arbete")
    factories.episode(other, "A-1", enrolled=dt.date(2024, 1, 2))
    steg.end = dt.date(2024, 3, 31)
    core.save(testing.SYSTEM, steg, association=assoc)
    assert caseload.caseload(assoc, user, dt.date(2024, 3, 20)) == [Caseload(steg, 1, 0, 0)]
    # Ended: her exit is due, and no rating is asked for although 35 days have passed since the enrolment.
    assert caseload.caseload(assoc, user, dt.date(2024, 4, 5)) == [Caseload(steg, 1, 0, 1)]


def test_the_list_shows_the_same_episodes_as_the_start_page(finnveden: Association) -> None:
    client = Client()
    client.force_login(registrar())
    page = client.get("/f/finnveden/deltagare/lista/?status=avsluta&insats=SAMVERKANSTEAM").content.decode()
    assert "45 episoder" in page
    page = client.get("/f/finnveden/deltagare/lista/?status=skatta").content.decode()
    assert "0 episoder" in page
