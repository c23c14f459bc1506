from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

EXEMPT_PREFIXES = ("/konto/", "/static/", "/katalog/", "/enkat/")


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
    """In production every logged-in user must have confirmed a second factor before seeing anything."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.FINSAM_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            target = "accounts:verify" if user_has_device(user) else "accounts:setup_2fa"
            return redirect(f"{reverse(target)}?next={request.path}")
        return self.get_response(request)
