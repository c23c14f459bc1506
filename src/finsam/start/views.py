"""The start page of every role in an association, and the choice of association after login."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from finsam.accounts import approvals
from finsam.accounts.access import AssociationRequest, association_view, associations_of, holds_anywhere
from finsam.accounts.models import User
from finsam.accounts.roles import Perm
from finsam.accounts.security import shown_events
from finsam.core import clock
from finsam.core.caching import no_store
from finsam.finance.documents.kinds import STATEMENTS
from finsam.participants.models import AccessLogEntry
from finsam.participants.services import ERASE_EXPIRED, log_access
from finsam.start import dashboard


@no_store  # the user's own security events
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    associations = associations_of(user)
    national = holds_anywhere(user, Perm.VIEW_NATIONAL)
    if len(associations) == 1 and not national:
        return redirect(f"/f/{associations[0].slug}/")
    context = {"associations": associations, "national": national, "security_events": shown_events(user)}
    return render(request, "start/home.html", context)


@no_store  # a registrar's participants, the user's own security events
@association_view(Perm.VIEW_ORGANISATION)
def overview(request: AssociationRequest) -> HttpResponse:
    association = request.association
    year = clock.today().year
    perms = request.perms
    figures = dashboard.figures(association)
    registrar = None
    if Perm.VIEW_PERSONAL_DATA in perms:
        registrar = dashboard.registrar(association, request.user, clock.today())
        if registrar.shown:
            log_access(request, association, AccessLogEntry.Action.LIST, registrar.shown)
    context = {
        "members": figures.members,
        "interventions": figures.interventions,
        "active_interventions": [i for i in figures.intervention_list if i.is_active_in(year)],
        "board": figures.board,
        "year": year,
        "money": figures.money if Perm.VIEW_REPORTS in perms else None,
        "attention": dashboard.attention(perms, figures),
        "role_requests": approvals.waiting(request.user, perms, figures.role_requests),
        "changes": figures.changes if Perm.VIEW_AUDIT in perms else [],
        "registrar": registrar,
        "forecasts": figures.forecasts if Perm.VIEW_FINANCE in perms else None,
        "statements": STATEMENTS if Perm.VIEW_FINANCE in perms else None,
        "reports": dashboard.reports(figures, request.user) if Perm.VIEW_REPORTS in perms else None,
        "privacy": dashboard.privacy(association) if Perm.VIEW_ACCESS_LOG in perms else None,
        "erasure": ERASE_EXPIRED,
        "security_events": shown_events(request.user),
        "figures_key": figures.key,  # the money and forecast fragments are drawn once per change
        "cached_for": dashboard.CACHED_FOR,
    }
    return render(request, "start/overview.html", context)
