"""Tenancy and permission checks for views under /f/<slug>/.

A user without any role in an association gets 404 there, so another association's pages cannot even be
shown to exist; a user with a role that lacks the permission gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from finsam.accounts.models import User
from finsam.accounts.roles import ROLE_PERMS, Perm
from finsam.organisation.models import Association


class AssociationRequest(HttpRequest):
    user: User
    association: Association
    perms: frozenset[Perm]


View = Callable[..., HttpResponseBase]  # a page, or a file streamed (FileResponse)


def associations_of(user: User) -> list[Association]:
    return list(Association.objects.filter(memberships__user=user).distinct().order_by("name"))


def holds_anywhere(user: User, perm: Perm) -> bool:
    """Whether a role of the user, in any association, gives the permission (the national reader's pages
    belong to the installation, not to one association)."""
    return any(perm in ROLE_PERMS[membership.role] for membership in user.memberships.all())


def association_view(perm: Perm) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            association = get_object_or_404(Association.objects.select_related("office"), slug=slug)
            user = request.user
            assert isinstance(user, User)
            perms = user.perms_in(association.pk)
            if not perms:
                raise Http404
            if perm not in perms:
                raise PermissionDenied
            request.association = association  # type: ignore[attr-defined]
            request.perms = perms  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
