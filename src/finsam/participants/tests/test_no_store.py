"""No page or download of participant data is kept by a browser or a proxy: every participants URL (read from
the urlconf, so that a new one is walked too) and the start page that lists a registrar's participants answer
with `Cache-Control: no-store` and `Pragma: no-cache`, to a GET and to a POST."""

from __future__ import annotations

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from finsam import testing
from finsam.accounts.roles import Role
from finsam.participants.tests.factories import episode, referral

pytestmark = pytest.mark.django_db


def _participant_routes() -> dict[str, str]:
    """Every participants URL's name and route."""
    _prefix, resolver = get_resolver().namespace_dict["participants"]
    routes: dict[str, str] = {}
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern) and pattern.name, f"walk {pattern} too"
        routes[pattern.name] = str(pattern.pattern)
    return routes


def _uncached(response: HttpResponseBase) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives and "private" in directives and response.get("Pragma") == "no-cache"


def test_every_participant_page_and_export_is_never_cached() -> None:
    assoc = testing.association("hemma")
    steg = testing.intervention(assoc, "STEG")
    made = episode(steg, "19121212-1212")
    ref = referral(steg, "region", made.enrolled_on)
    roles = (Role.REGISTRAR, Role.OFFICE_ADMIN, Role.DATA_PROTECTION_OFFICER)
    client = Client()
    client.force_login(testing.user("alla", *[(assoc, role) for role in roles], interventions=[steg]))
    routes = _participant_routes()
    assert {"list", "export", "episode", "referral", "tables_download"} <= routes.keys()
    for name, route in routes.items():
        kwargs: dict[str, object] = {"slug": assoc.slug}
        if "<int:pk>" in route:
            kwargs["pk"] = ref.pk if name == "referral" else made.pk
        if "<str:fmt>" in route:
            kwargs["fmt"] = "xlsx"
        url = reverse(f"participants:{name}", kwargs=kwargs)
        got = client.get(url)
        assert got.status_code in (200, 302), (url, got.status_code)
        assert _uncached(got), (url, dict(got.headers))
        posted = client.post(url, {})
        assert _uncached(posted), (url, posted.status_code, dict(posted.headers))
    # A search by personnummer, and the registrar's start page, which lists her participants.
    assert _uncached(client.post("/f/hemma/deltagare/lista/", {"q": "19121212-1212"}))
    start = client.get("/f/hemma/")
    assert start.status_code == 200 and "#" + made.participant_key[:8] in start.content.decode()
    assert _uncached(start)
