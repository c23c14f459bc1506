from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from finsam.accounts import services
from finsam.accounts.access import associations_of
from finsam.accounts.forms import CodeForm
from finsam.accounts.models import User
from finsam.core.audit import Actor


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        if user_has_device(form.get_user()):
            return redirect(f"{reverse('accounts:verify')}?next={self.get_success_url()}")
        return response


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("Koden stämmer inte. Försök igen med en ny kod."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@login_required
def setup_2fa(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    device = services.pending_totp_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.confirm_totp(Actor.of(request), user, device)
            otp_login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error(
            "code", _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen.")
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/setup_2fa.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, title=_("QR-kod för autentiseringsappen")),
            "secret": services.totp_secret_base32(device),
            "next": _next_url(request),
        },
    )


@login_required
@require_POST
def regenerate_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not user_has_device(user):
        messages.error(request, _("Aktivera tvåstegsinloggning först."))
        return redirect("accounts:profile")
    codes = services.regenerate_recovery_codes(Actor.of(request), user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/konto/"})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    memberships = user.memberships.select_related("association").prefetch_related("interventions")
    return render(
        request,
        "accounts/profile.html",
        {"memberships": memberships, "has_2fa": user_has_device(user), "associations": associations_of(user)},
    )
