from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

# Pages that need no login, and those of the account a session reaches before its second factor is proved.
PUBLIC_PREFIXES = ("/static/", "/katalog/", "/enkat/")
EXEMPT_PREFIXES = ("/konto/", *PUBLIC_PREFIXES)
BEFORE_VERIFICATION = ("accounts:verify", "accounts:login", "accounts:logout")


class RequirePasswordChangeMiddleware:
    """An account created with a one-time password must choose its own before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "password_change_required", False)
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect("accounts:change_password")
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """In production every logged-in user must prove a second factor before anything else.

    Until she has, a session reaches only the public pages, the verification page, logging in and out,
    and, when she has no confirmed device yet, the enrolment of her first authenticator. Every other page
    of the account (new recovery codes, a new device, a new password) waits for the verification too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.FINSAM_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and not request.path.startswith(PUBLIC_PREFIXES)
        ):
            has_device = user_has_device(user)
            allowed = {reverse(name) for name in BEFORE_VERIFICATION}
            if not has_device:
                allowed.add(reverse("accounts:setup_2fa"))
            if request.path not in allowed:
                target = "accounts:verify" if has_device else "accounts:setup_2fa"
                return redirect(f"{reverse(target)}?next={quote(request.path, safe='/')}")
        return self.get_response(request)
