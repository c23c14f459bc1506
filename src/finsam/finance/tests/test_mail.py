"""The finance app's e-mail, through a real SMTP server on loopback (finsam/conftest.py): the end of an import
started on the web to the one who started it, and the office's reminder of next year's decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts import services as accounts
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.conftest import Mailbox
from finsam.finance import reminders
from finsam.finance.jobs import IMPORT_ENDED
from finsam.finance.models import BudgetLine, ImportJob, StatementRow
from finsam.finance.tests.test_views import upload
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db
SITE = "https://finsam.example.org"


def addressed(user: User) -> User:
    user.email = f"{user.username}@exempel.se"
    user.save()
    return user


def test_the_one_who_started_an_import_is_told_how_it_ended(smtp_server: Mailbox, client: Client) -> None:
    exempel = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    erik = addressed(testing.user("erik", (exempel, Role.ECONOMIST)))
    addressed(testing.user("eva", (exempel, Role.ECONOMIST)))
    addressed(testing.user("karin", (exempel, Role.OFFICE_ADMIN)))
    client.force_login(erik)

    upload(client, exempel, "exempel-2025.se", "sie")
    done = ImportJob.objects.get()
    [message] = smtp_server.to("erik@exempel.se")
    assert message["Subject"].strip() == f"{exempel.name}: importen av bokföringen (SIE) – Klar"
    body = Mailbox.body(message)
    assert f"{SITE}/f/{exempel.slug}/ekonomi/import/{done.pk}/" in body
    assert done.summary[:1].upper() + done.summary[1:] in body  # counts only
    assert "exempel-2025.se" not in body  # not even the file's name

    broken = (EXAMPLES / "budget-2025.csv").read_text(encoding="utf-8") + "rad;som;inte;finns\n"
    upload(client, exempel, "budget-2025.csv", "budget", broken.encode())
    refused = smtp_server.to("erik@exempel.se")[1]
    assert refused["Subject"].strip() == f"{exempel.name}: importen av budgeten – Ej importerad"
    assert "fel" in Mailbox.body(refused)
    assert {m["X-Envelope-To"] for m in smtp_server.messages} == {"erik@exempel.se"}  # nobody else

    accounts.save_notification_choices(testing.SYSTEM, erik, {IMPORT_ENDED: False})
    upload(client, exempel, "budget-2025.csv", "budget")
    assert len(smtp_server.messages) == 2


def budget_line(assoc: Association, year: int) -> None:
    row = StatementRow.objects.create(
        association=assoc,
        statement=StatementRow.Statement.INCOME,
        section=StatementRow.Section.OPERATIONS,
        code="PERS",
        name="Personal",
        position=1,
    )
    BudgetLine.objects.create(
        association=assoc, row=row, year=year, kind=BudgetLine.Kind.BUDGET, amount=Decimal(100)
    )


def test_the_office_is_reminded_from_october_of_what_next_year_lacks(smtp_server: Mailbox) -> None:
    testdalen = testing.association()
    addressed(testing.user("karin", (testdalen, Role.OFFICE_ADMIN)))
    addressed(testing.user("erik", (testdalen, Role.ECONOMIST)))
    kerstin = addressed(testing.user("kerstin", (testdalen, Role.OFFICE_ADMIN)))
    accounts.save_notification_choices(testing.SYSTEM, kerstin, {reminders.DECISIONS_MISSING: False})
    annan = testing.association("annanstans", "Samordningsförbundet Annanstans")
    addressed(testing.user("anna", (annan, Role.OFFICE_ADMIN)))
    testing.contribution_total(annan, 2027, 4_000_000)
    klar = testing.association("klara", "Samordningsförbundet Klara")
    addressed(testing.user("klas", (klar, Role.OFFICE_ADMIN)))
    testing.contribution_total(klar, 2027, 4_000_000)
    budget_line(klar, 2027)

    assert reminders.remind_missing_decisions(dt.date(2026, 9, 30)) == 0  # before October, nothing is due
    assert not smtp_server.messages
    assert reminders.remind_missing_decisions(dt.date(2026, 10, 5)) == 2
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == ["anna@exempel.se", "karin@exempel.se"]

    [both] = smtp_server.to("karin@exempel.se")
    assert both["Subject"].strip() == "Samordningsförbundet Testdalen: beslut för 2027 saknas"
    body = Mailbox.body(both)
    assert f"budgeten för 2027: {SITE}/f/testdalen/ekonomi/budget/" in body
    assert f"beslutet om totalt medlemsbidrag för 2027: {SITE}/f/testdalen/medlemsbidrag/" in body
    only_budget = Mailbox.body(smtp_server.to("anna@exempel.se")[0])
    assert "budgeten för 2027" in only_budget and "medlemsbidrag för 2027" not in only_budget
