"""The start page's figures are computed once per change of the association's data and kept until the next:
many readers sum no ledger and draw no chart, and a change shows at once, whoever made it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finsam import testing
from finsam.accounts.models import User
from finsam.core import audit
from finsam.core import services as core
from finsam.organisation.models import Association
from finsam.start.tests.test_dashboard import HOME, home, text

pytestmark = pytest.mark.django_db


def read(client: Client) -> tuple[str, list[str]]:
    """The start page as text, and the SQL of the queries that made it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return text(response.content.decode()), [q["sql"] for q in queries.captured_queries]


def test_figures_are_kept_until_an_audited_change_and_renewed_by_it(demo: dict[str, Association]) -> None:
    finnveden = demo["finnveden"]
    client = Client()
    client.force_login(User.objects.get(username="ekonom"))
    first, sql = read(client)
    assert "Ej fördelat på rad" not in first
    assert any("finance_ledgerrow" in q for q in sql)  # summed once…
    again, sql = read(client)
    assert again == first
    assert not any("finance_ledgerrow" in q or "finance_budgetline" in q for q in sql)  # …and kept
    version = audit.data_version(finnveden.pk)
    revision = finnveden.statement_rows.get(code="REVISION")
    revision.object = "6:REVISOR"  # a mistyped object: the row takes nothing
    core.save(testing.SYSTEM, revision, association=finnveden)
    assert audit.data_version(finnveden.pk) not in ("", version)
    changed, sql = read(client)
    assert any("finance_ledgerrow" in q for q in sql)
    assert (
        "Ej fördelat på rad: kostnader: 12 bokförda rader, 51 260 kr per 2023-12-31 (konton 6420)." in changed
    )
    # The other association's figures are its own: its version did not move.
    other = demo["sodra-vatterbygden"]
    before = audit.data_version(other.pk)
    core.save(testing.SYSTEM, revision, association=finnveden)
    assert audit.data_version(other.pk) == before


def test_a_version_is_never_met_again(demo: dict[str, Association]) -> None:
    finnveden = demo["finnveden"]
    revision = finnveden.statement_rows.get(code="REVISION")
    seen = {audit.data_version(finnveden.pk)}
    for name in ("Revisionen", "Revision", "Revisionen"):
        revision.name = name
        core.save(testing.SYSTEM, revision, association=finnveden)
        seen.add(audit.data_version(finnveden.pk))
    assert len(seen) == 4  # back to the first name is a new version all the same


def test_the_kept_parts_of_the_page_follow_each_readers_permissions(demo: dict[str, Association]) -> None:
    # The same data version read by roles that see different parts, in turns: a part kept for one reader
    # (the statements' links, the latest changes) is never shown to a reader without its permission.
    version = audit.data_version(demo["finnveden"].pk)
    seen: dict[str, tuple[bool, bool, bool]] = {}
    for username in ("styrelse", "ekonom", "kansli", "styrelse", "ekonom"):
        page = text(home(username))
        shown = (
            "Ekonomiska rapporter" in page,
            "Alla rapporter om ekonomin" in page,
            "Senaste ändringar" in page,
        )
        assert seen.setdefault(username, shown) == shown
        assert "Intäkter" in page and "Styrelseplatser i dag" in page
    assert seen == {
        "styrelse": (False, True, False),
        "ekonom": (True, False, False),
        "kansli": (True, False, True),
    }
    assert audit.data_version(demo["finnveden"].pk) == version
