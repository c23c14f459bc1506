"""Recent verification of the second factor ("sudo mode") and the security events a user is shown.

A session proves its second factor at login; new recovery codes, a new authenticator and a new password
need that proof to be recent (settings.FINSAM_RECENT_VERIFICATION_SECONDS), so a stolen password or an
unattended open session cannot take the account over. A user without a confirmed device has nothing to
prove and is let through (in production the middleware sends her to enrol first).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device

from finsam.accounts.models import User
from finsam.core.models import AuditEntry, describe

VERIFIED_AT = "finsam_verified_at"  # session key: when the second factor was last proved (Unix time)

# What a user is shown of her own account: nothing here carries a code or a secret.
SECURITY_ACTIONS = ("2fa.enable", "2fa.recovery_codes", "password.change")

View = TypeVar("View", bound=Callable[..., HttpResponse])


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The session has just proved the second factor with this device."""
    otp_login(request, device)
    request.session[VERIFIED_AT] = int(time.time())


def recently_verified(request: HttpRequest) -> bool:
    """Whether the session may make a sensitive change to its account now."""
    user = request.user
    if not user_has_device(user):
        return True
    if not user.is_verified():  # type: ignore[union-attr]  # added by OTPMiddleware
        return False
    at = request.session.get(VERIFIED_AT)
    return isinstance(at, int) and time.time() - at <= settings.FINSAM_RECENT_VERIFICATION_SECONDS


def recent_verification_required(view: View) -> View:
    """Send a session whose second factor is not recently proved to prove it, then back.

    A POST is not replayed: the user comes back to her account page and asks again.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if recently_verified(request):
            return view(request, *args, **kwargs)
        messages.info(request, _("Bekräfta att det är du med en kod från din autentiseringsapp."))
        back = request.get_full_path() if request.method == "GET" else reverse("accounts:profile")
        return redirect(f"{reverse('accounts:verify')}?next={quote(back, safe='/')}")

    return guarded  # type: ignore[return-value]


@dataclass(frozen=True)
class SecurityEvent:
    at: dt.datetime
    description: str
    source: str  # "webb 192.0.2.1", "finsam setup" …: where the change came from


SHOWN_FOR = dt.timedelta(days=30)  # how far back the start page and the account page show the events


def shown_events(user: User) -> list[SecurityEvent]:
    """The events the user's own pages show: those of the last 30 days."""
    return recent_events(user, timezone.now() - SHOWN_FOR)


def recent_events(user: User, since: dt.datetime) -> list[SecurityEvent]:
    """Changes to the user's second factor and password since the given time, newest first."""
    entries = AuditEntry.objects.filter(
        object_type=User._meta.label_lower,
        object_id=str(user.pk),
        action__in=SECURITY_ACTIONS,
        at__gte=since,
    ).order_by("-at", "-id")
    return [SecurityEvent(e.at, describe(e.action), e.source) for e in entries]
