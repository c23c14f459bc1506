"""The auditor (revisor): every page of an association, found by walking the URL patterns, either read (200)
or refused (403); nothing of the participants but the access log's counts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from finsam import testing
from finsam.accounts.models import Membership, RoleRequest, User
from finsam.accounts.roles import Perm, Role, needs_approval
from finsam.core.models import AuditEntry
from finsam.finance import budget, sie_import
from finsam.finance.models import StatementRow
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.participants.models import AccessLogEntry
from finsam.reports import services as report_services
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def association_pages() -> Iterator[tuple[str, str]]:
    """(namespace:name, route after /f/<slug>/) of every URL pattern under an association."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
    ) -> Iterator[tuple[str, str]]:
        for item in patterns:
            route = prefix + str(item.pattern)
            if isinstance(item, URLResolver):
                inner = f"{namespace}:{item.namespace}" if namespace and item.namespace else item.namespace
                yield from walk(item.url_patterns, route, inner or namespace)
            elif route.startswith("f/<slug:slug>/"):
                yield f"{namespace}:{item.name}", route.removeprefix("f/<slug:slug>/")

    yield from walk(get_resolver().url_patterns, "", "")


# Each page the auditor reads: its arguments (pk and others) and query, and the status she gets. Every other
# page under /f/<slug>/ must answer 403: a write, or a page of personal data, of the users, of the log itself.
READ = 200
POST_ONLY = 405  # she passes the permission, but the page only takes a POST
ALLOWED: dict[str, tuple[dict[str, str], str, int]] = {
    "start:overview": ({}, "", READ),
    "organisation:members": ({}, "", READ),
    "organisation:member": ({"pk": "member"}, "", READ),
    "organisation:board": ({}, "", READ),
    "organisation:interventions": ({}, "", READ),
    "organisation:intervention": ({"pk": "intervention"}, "", READ),
    "organisation:grants": ({}, "", READ),
    "organisation:contributions": ({}, "?ar=2025", READ),
    "organisation:audit": ({}, "", READ),
    "participants:index": ({}, "", 302),  # to the counts
    "participants:access_counts": ({}, "", READ),
    "finance:overview": ({}, "", READ),
    "finance:mapping": ({}, "", READ),
    "finance:budget": ({}, "?ar=2025", READ),
    "finance:ledger": ({}, "?ar=2025", READ),
    "finance:imports": ({}, "", READ),
    "finance:statement": ({"name": "balansrakning"}, "?datum=2025-06-30", READ),
    "reports:versions": ({}, "", READ),
    "reports:events": ({}, "", READ),  # the register of significant events the annual report tells of
    "reports:version": ({"pk": "version"}, "", READ),
    "reports:version_file": ({"pk": "version", "fmt": "json"}, "", READ),
    "reports:download": ({"kind": "income-statement", "fmt": "json"}, "?datum=2025-06-30", READ),
    "reports:audit_package": ({"pk": "version"}, "", POST_ONLY),
    "reports:approve": ({"pk": "version"}, "", POST_ONLY),
    "reports:render_files": ({"pk": "version"}, "", POST_ONLY),
    "goals:index": ({}, "?ar=2025", READ),
    "goals:structural": ({}, "?ar=2025", READ),
    "goals:register": ({"register": "avvikelser"}, "?ar=2025", READ),
    "goals:surveys": ({}, "", READ),
    "goals:survey": ({"pk": "nothing"}, "", 404),  # read through the permission; no survey of that number
}


@pytest.fixture
def exempel() -> Association:
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    sie_import.import_file(EXAMPLES / "exempel-2025.se", association, testing.SYSTEM)
    budget.import_file(EXAMPLES / "budget-2025.csv", association, testing.SYSTEM)
    return association


def _url(association: Association, route: str, args: dict[str, str], ids: dict[str, int]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(2)
        given = args.get(name)
        if given is None:  # a page she may not open: any value, the permission refuses first
            return "999999" if match.group(1) == "int" else "x"
        return str(ids.get(given, given))

    return f"/f/{association.slug}/" + PARAM.sub(value, route)


def test_the_auditor_reads_what_an_audit_needs_and_is_refused_every_other_page(exempel: Association) -> None:
    version = report_services.start_version(testing.SYSTEM, exempel, "interim-report", dt.date(2025, 6, 30))
    ids = {
        "member": exempel.members.first().pk,  # type: ignore[union-attr]
        "intervention": exempel.interventions.first().pk,  # type: ignore[union-attr]
        "version": version.pk,
        "nothing": 999999,
    }
    client = Client()
    client.force_login(testing.user("revisorn", (exempel, Role.AUDITOR)))
    pages = dict(association_pages())
    assert set(ALLOWED) <= set(pages), set(ALLOWED) - set(pages)
    refused = []
    for name, route in pages.items():
        args, query, expected = ALLOWED.get(name, ({}, "", 403))
        url = _url(exempel, route, args, ids) + query
        status = client.get(url).status_code
        if status == POST_ONLY and expected == 403:  # a POST-only page that checks the method first
            status = client.post(url).status_code
        assert status == expected, f"{name} {url}: {status}, expected {expected}"
        if expected == 403:
            refused.append(name)
    # Every page of the participants but the counts is refused: no personal data, no tables, no log.
    participants = {n for n in pages if n.startswith("participants:")}
    assert participants - {"participants:index", "participants:access_counts"} <= set(refused)
    assert {"users:list", "users:requests", "participants:access_log"} <= set(refused)
    assert not AccessLogEntry.objects.exists()  # she read no personal data


def test_the_auditor_writes_nothing(exempel: Association) -> None:
    version = report_services.start_version(testing.SYSTEM, exempel, "interim-report", dt.date(2025, 6, 30))
    client = Client()
    client.force_login(testing.user("revisorn", (exempel, Role.AUDITOR)))
    base = f"/f/{exempel.slug}"
    row = StatementRow.objects.filter(association=exempel).first()
    assert row is not None
    posts = {
        f"{base}/rapporter/": {"kind": "annual-report", "period_end": "2025-12-31"},
        f"{base}/rapporter/versioner/{version.pk}/": {"key": "summary", "markdown": "Revisorns text"},
        f"{base}/rapporter/versioner/{version.pk}/diarium/": {"diary_number": "2025/1"},
        f"{base}/ekonomi/rader/{row.pk}/": {"name": "Ändrad"},
        f"{base}/medlemmar/ny/": {"code": "X", "name": "Ny", "kind": "state"},
    }
    entries = AuditEntry.objects.count()
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert AuditEntry.objects.count() == entries
    version.refresh_from_db()
    assert version.diary_number == "" and not version.texts.exists()


def test_the_role_is_given_by_the_office_without_approval(exempel: Association) -> None:
    assert not needs_approval(Role.AUDITOR)  # it reads no personal data and decides nothing (ADR 0014)
    client = Client()
    client.force_login(testing.user("kansliet", (exempel, Role.OFFICE_ADMIN)))
    response = client.post(f"/f/{exempel.slug}/anvandare/", {"username": "revisor", "role": Role.AUDITOR})
    assert response.status_code in (200, 302)
    auditor = User.objects.get(username="revisor")
    assert Membership.objects.filter(user=auditor, association=exempel, role=Role.AUDITOR).exists()
    assert not RoleRequest.objects.exists()
    assert auditor.perms_in(exempel.pk) == {
        Perm.VIEW_ORGANISATION,
        Perm.VIEW_REPORTS,
        Perm.VIEW_FINANCE,
        Perm.VIEW_AUDIT,
        Perm.VIEW_ACCESS_COUNTS,
        Perm.AUDIT_PACKAGE,
    }


def test_the_access_log_is_shown_as_counts_by_month_and_role(exempel: Association) -> None:
    interventions = list(exempel.interventions.all())
    registrar = testing.user("rita", (exempel, Role.REGISTRAR), interventions=interventions)
    for month, reads in ((1, 3), (2, 1)):
        for _ in range(reads):
            entry = AccessLogEntry.objects.create(
                association=exempel,
                user=registrar,
                actor="rita",
                address="10.0.0.9",
                action="detail",
                path="/f/x/deltagare/7/",
                record_ids=[7],
            )
            AccessLogEntry.objects.filter(pk=entry.pk).update(
                at=dt.datetime(2025, month, 10, 12, tzinfo=dt.UTC)
            )
    client = Client()
    client.force_login(testing.user("revisorn", (exempel, Role.AUDITOR)))
    page = client.get(f"/f/{exempel.slug}/deltagare/atkomstlogg/antal/").content.decode()
    assert "2025-01" in page and "2025-02" in page and "Deltagarregistrator" in page
    assert re.search(r"2025-01</th><td class=\"num\">3</td>", page)
    assert "rita" not in page and "10.0.0.9" not in page and "/deltagare/7/" not in page
    assert AccessLogEntry.objects.count() == 4  # counting reads no personal data, so logs nothing
