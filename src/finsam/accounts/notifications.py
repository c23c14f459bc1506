"""E-mail notifications: who is told what, composed from templates and sent by a job of the queue (ADR 0016).

Each app that has something to tell registers its kind of notification from its AppConfig.ready() (`register`)
and calls `notify` from its own service functions with the users to tell, the association, a link and plain
values for the templates: counts, report names, the association's name, never personal data. `notify` queues
one job per recipient (`send`); the job, when it runs, sends only to a user who still holds one of the kind's
roles in the association, has an e-mail address and has not turned the kind off on her page
"E-postaviseringar" (every kind is on until she does). What was sent to whom, by kind and never by content,
is in the audit trail.

A kind named `key` has its subject in the template `mail/<key>.subject.txt` and its body (plain text) in
`mail/<key>.body.txt`, which extends `mail/base.body.txt`: the footer that says why she got it and where to
turn it off.

Without an SMTP host (settings.FINSAM_MAIL false) nothing is queued; that is logged once per process.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_stubs_ext import StrOrPromise

from finsam.accounts.models import Membership, NotificationSetting, User
from finsam.core import jobs
from finsam.core.audit import Actor, record
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association

logger = logging.getLogger(__name__)

SENT = "notification.sent"
FAILED = "notification.failed"
SEND = "finsam.accounts.notifications.send"
ATTEMPTS = 5  # a notification the mail server refuses is tried this many times in all


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its key (and templates), its name and description on the settings page, and
    the roles in an association that get it."""

    key: str
    label: StrOrPromise
    description: StrOrPromise
    roles: frozenset[str]


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.key] = kind


def kinds_for(user: User) -> list[Kind]:
    """The kinds a user may get: those of the roles she holds in any association, in the order registered."""
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return [kind for kind in KINDS.values() if kind.roles & held]


def choices_of(user: User) -> dict[str, bool]:
    """Whether she gets each kind she may get (True unless she has turned it off)."""
    off = set(NotificationSetting.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
    return {kind.key: kind.key not in off for kind in kinds_for(user)}


def members(association: Association, *roles: str) -> QuerySet[User]:
    """The users holding any of the roles in the association."""
    return User.objects.filter(memberships__association=association, memberships__role__in=roles).distinct()


_off_logged = {"logged": False}


def notify(
    actor: Actor,
    key: str,
    users: Iterable[User],
    association: Association,
    *,
    link: str,
    values: dict[str, Any] | None = None,
) -> int:
    """Queue a notification of the kind to each user (one job each; `send` decides whether it goes): the link
    is a path of the site, the values plain ones for the templates. Returns how many were queued. Inside a
    transaction, the jobs are queued when it commits."""
    if key not in KINDS:
        raise KeyError(f"no kind of notification is registered as {key!r}")
    if not settings.FINSAM_MAIL:
        if not _off_logged["logged"]:
            _off_logged["logged"] = True
            logger.warning("e-mail notifications are off: FINSAM_SMTP_HOST is not set")
        return 0
    queued = 0
    for user in users:
        notification = uuid.uuid4().hex  # the job may run twice: it sends this notification once
        arguments = (key, user.pk, association.pk, link, values or {}, actor.as_job_argument(), notification)
        jobs.enqueue(SEND, *arguments, group="mail")
        queued += 1
    return queued


def send(
    key: str,
    user_id: int,
    association_id: int,
    link: str,
    values: dict[str, Any],
    actor: dict[str, Any],
    notification: str,
    attempt: int = 1,
) -> bool:
    """The job: send one notification if its recipient still wants it and may have it; True if sent.

    A failure of the mail server is recorded in the trail and the notification tried again later: after 2,
    4, 8 and 16 minutes (ATTEMPTS in all, half an hour). After the last the failure is raised, so that the
    queue keeps the failed job for the operator.
    """
    kind = KINDS.get(key)
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    association = Association.objects.filter(pk=association_id).first()
    if kind is None or user is None or association is None:
        return False
    holds = Membership.objects.filter(user=user, association=association, role__in=kind.roles).exists()
    if not holds or not choices_of(user).get(key, False) or _sent(user, notification):
        return False
    message = compose(kind, user, association, link, values)
    who = Actor.from_job_argument(actor)
    trail = {"kind": key, "notification": notification}
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        failed = {**trail, "error": type(error).__name__, "attempt": attempt}
        with transaction.atomic():
            record(who, FAILED, user, association=association, after=failed)
        logger.warning("notification %s (%s) to user %s not sent: %s", notification, key, user.pk, error)
        if attempt >= ATTEMPTS:
            raise
        arguments = (key, user_id, association_id, link, values, actor, notification, attempt + 1)
        delay = dt.timedelta(minutes=2**attempt)
        jobs.enqueue_later(SEND, *arguments, after=delay, name=f"e-post {notification} försök {attempt + 1}")
        return False
    with transaction.atomic():
        record(who, SENT, user, association=association, after=trail)
    return True


def _sent(user: User, notification: str) -> bool:
    return AuditEntry.objects.filter(
        action=SENT,
        object_type=user._meta.label_lower,
        object_id=str(user.pk),
        after__notification=notification,
    ).exists()


def compose(
    kind: Kind, user: User, association: Association, link: str, values: dict[str, Any]
) -> EmailMessage:
    """The message in Swedish: subject and body from the kind's templates, the links absolute
    (settings.SITE_URL)."""
    context = {
        **values,
        "association": association.name,
        "link": settings.SITE_URL + link,
        "site_url": settings.SITE_URL,
        "settings_link": settings.SITE_URL + reverse("accounts:notifications"),
        "kind": kind,
    }
    with translation.override("sv"):
        subject = " ".join(render_to_string(f"mail/{kind.key}.subject.txt", context).split())
        body = render_to_string(f"mail/{kind.key}.body.txt", context).strip() + "\n"
    return EmailMessage(subject, body, to=[user.email])
