"""Pages that no browser, proxy or shared cache may keep (those that show personal data), and figures kept in
the server's own cache until the association's data changes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, ParamSpec, TypeVar, cast

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


# What `kept` gave last in this process, as the objects themselves: a hit costs no unpickling (a start page's
# figures are 25 kB of model instances, a quarter of a millisecond to unpickle on every request). The keys
# hold the data version, so no entry is ever stale; the least recently read go beyond LOCAL_ENTRIES.
LOCAL_ENTRIES = 256
_local: OrderedDict[str, Any] = OrderedDict()
_local_lock = threading.Lock()


def kept(key: str, compute: Callable[[], T]) -> T:
    """What `compute` gives, computed once per `key` (a `data_key`) and kept in the server's cache, and in
    this process as it is. The figures must not depend on who asks (a page filters them by the reader's
    permissions afterwards) and are shared by the requests that read them: read them, never change them."""
    with _local_lock:
        if key in _local:
            _local.move_to_end(key)
            return cast(T, _local[key])
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHED_FOR)
    with _local_lock:
        _local[key] = found
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return found


def forget() -> None:
    """Drop everything kept, in this process and in the server's cache (the tests' reset)."""
    with _local_lock:
        _local.clear()
    cache.clear()


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
