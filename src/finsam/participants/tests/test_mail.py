"""The participants' e-mail, through a real SMTP server on loopback (finsam/conftest.py): the registrar's
weekly counts and the data protection officer's after an erasure. Counts and links only: no participant's
key, pseudonym or personnummer ever leaves in a mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from finsam import testing
from finsam.accounts import services as accounts
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.conftest import Mailbox
from finsam.organisation.models import Association, Intervention
from finsam.participants import jobs
from finsam.participants.models import Episode
from finsam.participants.tests.factories import episode

pytestmark = pytest.mark.django_db
SITE = "https://finsam.example.org"
PERSONNUMMER = "19121212-1212"


def addressed(user: User) -> User:
    user.email = f"{user.username}@hemma.se"
    user.save()
    return user


def assert_no_participant_in(mailbox: Mailbox, episodes: list[Episode]) -> None:
    raw = b"\n".join(mailbox.raw).decode()
    for made in episodes:
        assert made.participant_key not in raw
        if made.own_key:
            assert made.own_key not in raw
    assert PERSONNUMMER not in raw and PERSONNUMMER.replace("-", "") not in raw


def test_each_registrar_gets_the_counts_of_her_interventions_once_a_week(
    smtp_server: Mailbox, assoc: Association, steg: Intervention
) -> None:
    team = testing.intervention(assoc, "TEAM")
    today = timezone.localdate()
    made = [
        episode(steg, "HEMMA-0042", enrolled=today - dt.timedelta(days=40)),  # first rating due
        episode(steg, PERSONNUMMER, enrolled=today - dt.timedelta(days=45)),  # first rating due
        episode(steg, "HEMMA-0043", enrolled=today - dt.timedelta(days=200)),  # an exit to register
        episode(steg, "HEMMA-0044", enrolled=today - dt.timedelta(days=3)),  # nothing due yet
        episode(team, "HEMMA-0050", enrolled=today - dt.timedelta(days=400)),  # not hers
    ]
    addressed(testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg]))
    addressed(testing.user("tove", (assoc, Role.REGISTRAR), interventions=[team]))
    stina = addressed(testing.user("stina", (assoc, Role.REGISTRAR), interventions=[steg]))
    accounts.save_notification_choices(testing.SYSTEM, stina, {jobs.SUMMARY: False})
    addressed(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    elsewhere = testing.association("annanstans", "Samordningsförbundet Annanstans")
    addressed(
        testing.user("alma", (elsewhere, Role.REGISTRAR), interventions=[testing.intervention(elsewhere)])
    )

    assert jobs.registrar_summaries(today) == 3  # rita, tove, and stina's job, which finds her choice
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == ["rita@hemma.se", "tove@hemma.se"]
    [rita] = smtp_server.to("rita@hemma.se")
    assert rita["Subject"].strip() == "Samordningsförbundet Hemma: veckans skattningar och avslut"
    body = Mailbox.body(rita)
    assert "- 2 skattningar att göra\n- 1 avslut att registrera" in body
    assert f"{SITE}/f/hemma/" in body
    assert "- 0 skattningar att göra\n- 1 avslut att registrera" in Mailbox.body(
        smtp_server.to("tove@hemma.se")[0]
    )
    assert "STEG" not in body and "Steg" not in body
    assert_no_participant_in(smtp_server, made)


def test_the_data_protection_officer_is_told_what_an_erasure_run_removed(
    smtp_server: Mailbox, assoc: Association, steg: Intervention
) -> None:
    old = [
        episode(
            steg, "HEMMA-0001", enrolled=dt.date(2010, 1, 4), exited=dt.date(2011, 3, 1), reason="arbete"
        ),
        episode(
            steg, PERSONNUMMER, enrolled=dt.date(2010, 2, 1), exited=dt.date(2011, 6, 1), reason="studier"
        ),
    ]
    episode(steg, "HEMMA-0002", enrolled=timezone.localdate() - dt.timedelta(days=10))  # kept
    addressed(testing.user("dora", (assoc, Role.DATA_PROTECTION_OFFICER)))
    addressed(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    elsewhere = testing.association("annanstans", "Samordningsförbundet Annanstans")
    addressed(testing.user("dag", (elsewhere, Role.DATA_PROTECTION_OFFICER)))
    far = testing.intervention(elsewhere)
    episode(far, "ANNAN-1", enrolled=dt.date(2010, 1, 4), exited=dt.date(2011, 1, 1), reason="arbete")

    report = jobs.erase_expired()  # the nightly job
    assert "hemma: gallrade 2 episoder och 0 remisser" in report
    # Each association's data protection officer hears of her own association only.
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["dag@hemma.se", "dora@hemma.se"]
    assert "- 1 episod\n- 0 remisser" in Mailbox.body(smtp_server.to("dag@hemma.se")[0])
    [message] = smtp_server.to("dora@hemma.se")
    assert message["Subject"].strip() == "Samordningsförbundet Hemma: gallring av deltagaruppgifter"
    body = Mailbox.body(message)
    assert "- 2 episoder\n- 0 remisser" in body and f"{SITE}/f/hemma/" in body
    assert_no_participant_in(smtp_server, old)

    jobs.erase_expired()  # a run that removes nothing tells nobody
    assert len(smtp_server.messages) == 2
