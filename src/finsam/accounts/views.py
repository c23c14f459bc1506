from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import match_token, user_has_device

from finsam.accounts import approvals, notifications, services
from finsam.accounts.access import AssociationRequest, association_view, associations_of
from finsam.accounts.forms import CodeForm, DecisionForm, GrantRoleForm, NotificationForm
from finsam.accounts.models import Membership, RoleRequest, User
from finsam.accounts.roles import Perm, Role
from finsam.accounts.security import mark_verified, recent_verification_required, shown_events
from finsam.core.audit import Actor

DECIDED_SHOWN = 20  # decided requests on the requests page; all of them are in the audit trail


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
            mark_verified(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("Koden stämmer inte. Försök igen med en ny kod."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@login_required
@recent_verification_required
def setup_2fa(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: the first one freely, a replacement only after a recent verification."""
    user = request.user
    assert isinstance(user, User)
    device = services.start_totp_setup(Actor.of(request), user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.confirm_totp(Actor.of(request), user, device)
            mark_verified(request, device)
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
@recent_verification_required
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
        {
            "memberships": memberships,
            "has_2fa": user_has_device(user),
            "associations": associations_of(user),
            "security_events": shown_events(user),
        },
    )


@login_required
def notification_choices(request: HttpRequest) -> HttpResponse:
    """The page "E-postaviseringar": a checkbox per kind of notification her roles may get."""
    user = request.user
    assert isinstance(user, User)
    kinds = notifications.kinds_for(user)
    form = NotificationForm(request.POST or None, kinds=kinds, chosen=notifications.choices_of(user))
    if request.method == "POST" and form.is_valid():
        services.save_notification_choices(Actor.of(request), user, form.cleaned_data)
        messages.success(request, _("Dina val är sparade."))
        return redirect("accounts:notifications")
    context = {"form": form, "mail_on": settings.FINSAM_MAIL}
    return render(request, "accounts/notifications.html", context)


@association_view(Perm.MANAGE_USERS)
def users(request: AssociationRequest) -> HttpResponse:
    association = request.association
    form = GrantRoleForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invited = services.invite(
                Actor.of(request),
                association,
                username=data["username"],
                role=Role(data["role"]),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                interventions=list(data["interventions"]) or None,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _invited(request, invited)
    memberships = (
        Membership.objects.filter(association=association)
        .select_related("user")
        .prefetch_related("interventions", "user__totpdevice_set")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    context = {"memberships": memberships, "form": form, "pending": approvals.pending(association).count()}
    return render(request, "accounts/users.html", context)


def _invited(request: AssociationRequest, invited: services.Invitation) -> HttpResponse:
    user = invited.user
    if invited.password:
        context = {"new_user": user, "password": invited.password, "role_request": invited.request}
        return render(request, "accounts/new_user.html", context)
    name = user.get_full_name() or user.get_username()
    if invited.request is not None:
        messages.success(
            request,
            _(
                "Rollen %(role)s för %(user)s väntar nu på beslut av dataskyddsombudet eller en annan "
                "kansliadministratör."
            )
            % {"role": invited.request.get_role_display(), "user": name},
        )
    else:
        messages.success(request, _("Rollen är tilldelad %(user)s.") % {"user": name})
    return redirect("users:list", slug=request.association.slug)


@association_view(Perm.DECIDE_ACCESS)
def role_requests(request: AssociationRequest) -> HttpResponse:
    """The requests for roles that need approval: the pending ones, each with its decision for those who may
    take it, and the latest decided."""
    association = request.association
    waiting = [(r, approvals.may_decide(request.user, r)) for r in approvals.pending(association)]
    decided = (
        RoleRequest.objects.filter(association=association)
        .exclude(status=RoleRequest.Status.PENDING)
        .select_related("user", "requested_by", "decided_by")
        .prefetch_related("interventions")
        .order_by("-decided_at", "-id")[:DECIDED_SHOWN]
    )
    return render(request, "accounts/role_requests.html", {"waiting": waiting, "decided": decided})


@association_view(Perm.DECIDE_ACCESS)
@require_POST
@recent_verification_required
def decide(request: AssociationRequest, pk: int) -> HttpResponse:
    """Approve or refuse one request; 403 for the one who asked and the one it is for."""
    role_request = get_object_or_404(RoleRequest, pk=pk, association=request.association)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj Godkänn eller Avslå."))
        return redirect("users:requests", slug=request.association.slug)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide_role_request(
            Actor.of(request), role_request, approve=approve, comment=form.cleaned_data["comment"]
        )
    except services.AlreadyDecided:
        messages.error(request, _("Begäran är redan beslutad."))
    else:
        done = _("Rollen är godkänd och tilldelad.") if approve else _("Begäran är avslagen.")
        messages.success(request, done)
    return redirect("users:requests", slug=request.association.slug)


@association_view(Perm.MANAGE_USERS)
@require_POST
def revoke(request: AssociationRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk, association=request.association)
    if membership.user_id == request.user.pk and membership.role == Role.OFFICE_ADMIN:
        messages.error(request, _("Du kan inte ta bort din egen roll som kansliadministratör."))
    else:
        services.revoke_role(Actor.of(request), membership)
        messages.success(request, _("Rollen är borttagen."))
    return redirect("users:list", slug=request.association.slug)


@login_required
@recent_verification_required
def change_password(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(Actor.of(request), user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Ditt lösenord är bytt."))
        return redirect("home")
    return render(request, "accounts/change_password.html", {"form": form})
