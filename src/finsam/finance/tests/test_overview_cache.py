"""The finance overview's income statement is summed once per change of the association's data and kept until
the next: many readers sum no ledger, and a change shows at once, whoever made it."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finsam import testing
from finsam.accounts.models import User
from finsam.core import caching
from finsam.core import services as core
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db
OVERVIEW = "/f/finnveden/ekonomi/"
UNMAPPED = (
    "Bokförda konton som ingen rad i resultaträkningen tar: Ej fördelat på rad: kostnader: 6420 (51 260 kr)"
)


def read(username: str) -> tuple[str, bool]:
    """The overview as text for the user, and whether making it summed anything (the ledger or balances)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(OVERVIEW)
    assert response.status_code == 200
    page = " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).replace("\xa0", " ").split()
    )
    return page, any("SUM(" in q["sql"].upper() for q in queries.captured_queries)


def cards(page: str) -> str:
    """The overview's figures: income, costs and result to date."""
    found = re.search(r"Intäkter hittills .*? Prognos för helåret: [−\d ]+ kr", page)
    assert found, page
    return found.group(0)


def test_the_statement_is_kept_until_an_audited_change_and_renewed_by_it(
    demo: dict[str, Association],
) -> None:
    caching.forget()  # what other tests read of the same data version was kept
    first, summed = read("ekonom")
    assert summed and "Bokförda konton som ingen rad" not in first
    again, summed = read("kansli")  # another reader, the same figures: nothing summed
    assert not summed
    assert cards(again) == cards(first)
    revision = demo["finnveden"].statement_rows.get(code="REVISION")
    revision.object = "6:REVISOR"  # a mistyped object: the row takes nothing
    core.save(testing.SYSTEM, revision, association=demo["finnveden"])
    changed, summed = read("kansli")
    assert summed and UNMAPPED in changed
