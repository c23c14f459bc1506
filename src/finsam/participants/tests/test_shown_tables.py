"""The tables page gathers and suppresses its tables once per change of the association's data: other readers
of aggregates count nothing again, and a change shows at once, whoever made it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core import caching
from finsam.participants.tests.factories import episode

pytestmark = pytest.mark.django_db
URL = "/f/hemma/deltagare/tabeller/?fran=2023-01-01&till=2023-12-31"


def read(client: Client) -> tuple[str, bool]:
    """The page's text, and whether making it read any episode."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    return page, any("participants_episode" in q["sql"] for q in queries.captured_queries)


def test_the_tables_are_kept_until_an_audited_change_and_renewed_by_it() -> None:
    caching.forget()
    assoc = testing.association("hemma")
    steg = testing.intervention(assoc, "STEG")
    for n in range(12):
        episode(steg, f"S-{n}")
    office = Client()
    office.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    board = Client()
    board.force_login(testing.user("sara", (assoc, Role.BOARD_MEMBER)))
    first, counted = read(office)
    # Gnosjö: women, men and others carried over, then new in the period, and the total.
    assert counted and "Gnosjö 0 0 0 12 0 0 12" in first
    again, counted = read(board)  # another reader, the same tables: nothing counted again
    assert not counted
    assert "Gnosjö 0 0 0 12 0 0 12" in again
    episode(steg, "S-new")
    changed, counted = read(board)
    assert counted and "Gnosjö 0 0 0 13 0 0 13" in changed
