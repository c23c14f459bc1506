"""Pages that no browser, proxy or shared cache may keep: those that show personal data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


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
