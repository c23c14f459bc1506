"""Pages that no browser, proxy or shared cache may keep (those that show personal data), and figures kept in
the server's own cache until the association's data changes."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.cache import cache
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

from finsam.core import audit, clock

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)
T = TypeVar("T")
CACHED_FOR = 24 * 3600  # seconds figures are kept unread


def data_key(name: str, association_id: int, *parts: Hashable) -> str:
    """A cache key for figures of the association's data as it stands: it changes with the data (its data
    version, renewed in every audited change's transaction), with the day of `clock.today()` and with the
    language. `parts` are whatever else the figures depend on (a period, a threshold)."""
    version = audit.data_version(association_id)
    return ":".join(map(str, (name, association_id, version, clock.today(), get_language(), *parts)))


def kept(key: str, compute: Callable[[], T]) -> T:
    """What `compute` gives, computed once per `key` (a `data_key`) and kept in the server's cache. The
    figures must not depend on who asks: a page filters them by the reader's permissions afterwards."""
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHED_FOR)
    return found


def no_store(view: Callable[P, R]) -> Callable[P, R]:
    """Every response of the view, whatever its status or method, says it must not be stored anywhere.

    `Cache-Control: no-store` (with Django's other never-cache directives and an `Expires` in the past) and,
    for HTTP/1.0 caches, `Pragma: no-cache`: a page or an export with personal data is then not kept in the
    browser's cache or history to be read later by the next user of the computer, nor by a proxy."""

    @wraps(view)
    def private_view(*args: P.args, **kwargs: P.kwargs) -> R:
        response = view(*args, **kwargs)
        add_never_cache_headers(response)
        response["Pragma"] = "no-cache"
        return response

    return private_view
