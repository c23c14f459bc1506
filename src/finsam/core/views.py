from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from finsam.accounts.access import associations_of
from finsam.accounts.models import User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    associations = associations_of(user)
    if len(associations) == 1:
        return redirect(f"/f/{associations[0].slug}/")
    return render(request, "core/home.html", {"associations": associations})
