"""Writes of report versions: start, texts, footnotes, approvals with two-factor confirmation, locking."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice
from docx import Document as WordDocument

from finsam.accounts import notifications
from finsam.accounts.models import Membership, User
from finsam.accounts.roles import Role
from finsam.core import archives, clock, documents, jobs
from finsam.core.audit import Actor, record
from finsam.core.documents import Document, Gathered
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association
from finsam.reports import package
from finsam.reports.board import common as board
from finsam.reports.board.kinds import BUILDERS
from finsam.reports.models import Approval, ReportFile, ReportVersion, RowNote, SectionText

APPROVAL_ASKED = "report_approval"  # the notification to the board (apps.py registers it)
ASKED = "report.approval_requested"  # the audit action of asking the board


class ReportLocked(Exception):
    """A locked version never changes; start a new one."""


class ApprovalRefused(Exception):
    pass


class FilesMissing(Exception):
    """A locked version whose files could not be made (yet): its approvals and lock stand; render_files
    makes them."""


@transaction.atomic
def start_version(actor: Actor, association: Association, kind: str, period_end: dt.date) -> ReportVersion:
    """A new draft; it starts from the texts and footnotes of the latest version of the same report."""
    previous = (
        ReportVersion.objects.filter(association=association, kind=kind, period_end=period_end)
        .order_by("-number")
        .first()
    )
    number = (previous.number + 1) if previous else 1
    version = ReportVersion.objects.create(
        association=association,
        kind=kind,
        period_end=period_end,
        number=number,
        created_by=actor.label,
        place=previous.place if previous else association.seat,
    )
    if previous:
        SectionText.objects.bulk_create(
            SectionText(version=version, key=t.key, markdown=t.markdown) for t in previous.texts.all()
        )
        RowNote.objects.bulk_create(
            RowNote(version=version, row_code=n.row_code, text=n.text) for n in previous.row_notes.all()
        )
    record(actor, "report.start", version, association=association, after={"kind": kind, "number": number})
    return version


def _editable(version: ReportVersion) -> None:
    if version.locked:
        raise ReportLocked


def _content_changed(actor: Actor, version: ReportVersion) -> None:
    """Approvals given to the earlier wording no longer hold."""
    withdrawn = list(version.approvals.values_list("name", flat=True))
    if withdrawn:
        version.approvals.all().delete()
        record(
            actor,
            "report.approvals_withdrawn",
            version,
            association=version.association,
            before={"approvals": withdrawn},
        )


@transaction.atomic
def save_text(actor: Actor, version: ReportVersion, key: str, markdown: str) -> None:
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    _editable(version)
    existing = version.texts.filter(key=key).first()
    before = existing.markdown if existing else None
    if before == markdown:
        return
    SectionText.objects.update_or_create(version=version, key=key, defaults={"markdown": markdown})
    _content_changed(actor, version)
    record(
        actor,
        "report.text",
        version,
        association=version.association,
        before={key: before},
        after={key: markdown},
    )


@transaction.atomic
def save_row_note(actor: Actor, version: ReportVersion, row_code: str, text: str) -> None:
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    _editable(version)
    existing = version.row_notes.filter(row_code=row_code).first()
    if (existing.text if existing else "") == text:
        return
    if text:
        RowNote.objects.update_or_create(version=version, row_code=row_code, defaults={"text": text})
    elif existing:
        existing.delete()
    _content_changed(actor, version)
    record(
        actor,
        "report.footnote",
        version,
        association=version.association,
        before={row_code: existing.text if existing else None},
        after={row_code: text or None},
    )


@transaction.atomic
def save_reference(
    actor: Actor, version: ReportVersion, diary_number: str, adopted_on: dt.date | None
) -> None:
    """The version's diary number (Dnr, at any time) and the date the board adopted it (fastställd: until
    the version is locked, raises ReportLocked after). Neither withdraws an approval: they say where the
    document is filed and when it was decided, not what it says. A locked version's files keep what they
    had when they were made."""
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if adopted_on != version.adopted_on:
        _editable(version)
    before = {"diary_number": version.diary_number, "adopted_on": version.adopted_on}
    after = {"diary_number": diary_number, "adopted_on": adopted_on}
    changed = [key for key in before if before[key] != after[key]]
    if not changed:
        return
    version.diary_number, version.adopted_on = diary_number, adopted_on
    version.save(update_fields=changed)
    record(
        actor,
        "report.reference",
        version,
        association=version.association,
        before={k: _iso(before[k]) for k in changed},
        after={k: _iso(after[k]) for k in changed},
    )


def _iso(value: dt.date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def board_users(association: Association) -> list[User]:
    return list(
        User.objects.filter(
            memberships__association=association, memberships__role=Role.BOARD_MEMBER
        ).distinct()
    )


@transaction.atomic
def ask_for_approval(actor: Actor, version: ReportVersion) -> int:
    """The office says that a draft is ready: each board member who has not approved it is told by e-mail
    that it waits for her approval. Returns how many were asked.

    Starting a version (a draft still being written) and withdrawing approvals (the texts are being changed)
    tell nobody; when the office asks again, those whose approvals were withdrawn are among those asked.
    """
    version = ReportVersion.objects.select_for_update().select_related("association").get(pk=version.pk)
    _editable(version)
    association = version.association
    approved = set(version.approvals.values_list("user_id", flat=True))
    waiting = [member for member in board_users(association) if member.pk not in approved]
    record(actor, ASKED, version, association=association, after={"ombedda": len(waiting)})
    notifications.notify(
        actor,
        APPROVAL_ASKED,
        waiting,
        association,
        link=f"/f/{association.slug}/rapporter/versioner/{version.pk}/#godkannande",
        values={"report": str(version)},
    )
    return len(waiting)


def approval_asked(version: ReportVersion) -> dt.datetime | None:
    """When the office last asked the board to approve the version, if it has."""
    return (
        AuditEntry.objects.filter(
            object_type=version._meta.label_lower, object_id=str(version.pk), action=ASKED
        )
        .order_by("-pk")
        .values_list("at", flat=True)
        .first()
    )


def approve(actor: Actor, version: ReportVersion, user: User, code: str, role: str) -> Approval:
    """A board member approves with a code from her authenticator (no recovery code); the last one locks.

    The approval and the lock are committed in a short transaction; the files of a version the approval
    locked are made by a job of the queue after that (request_files), so neither the version's row nor the
    board member's request waits while they are made. Should rendering fail, the approval and the lock stand,
    the failure is in the trail, and the version's page offers to try again.
    """
    approval, locked = _record_approval(actor, version, user, code, role)
    if locked:
        request_files(actor, version)
    return approval


def request_files(actor: Actor, version: ReportVersion) -> None:
    """Queue the making of a locked version's files (finsam.reports.jobs.render, which calls render_files);
    the request is in the trail. Called outside a transaction (as approve and the view do), the job is queued
    at once; inside one, when it commits."""
    with transaction.atomic():
        record(actor, "report.render_queued", version, association=version.association)
    jobs.enqueue("finsam.reports.jobs.render", version.pk, actor.as_job_argument(), group="report")


def files_failed(version: ReportVersion) -> bool:
    """Whether the last attempt to make a locked version's files failed (else they are made or coming)."""
    last = (
        AuditEntry.objects.filter(
            object_type=version._meta.label_lower,
            object_id=str(version.pk),
            action__in=("report.render_queued", "report.render_failed"),
        )
        .order_by("-pk")
        .values_list("action", flat=True)
        .first()
    )
    return last == "report.render_failed"


@transaction.atomic
def _record_approval(
    actor: Actor, version: ReportVersion, user: User, code: str, role: str
) -> tuple[Approval, bool]:
    """The approval and its entry; the lock too when every board member has approved. Returns (approval,
    whether this approval locked the version)."""
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    _editable(version)
    if not Membership.objects.filter(
        user=user, association=version.association, role=Role.BOARD_MEMBER
    ).exists():
        raise ApprovalRefused("only a board member of the association approves its reports")
    device = match_token(user, code)
    if device is None or isinstance(device, StaticDevice):
        raise ApprovalRefused("the code does not match the user's authenticator")
    approval, _created = Approval.objects.get_or_create(
        version=version,
        user=user,
        defaults={"name": user.get_full_name() or user.get_username(), "role": role},
    )
    record(actor, "report.approve", version, association=version.association, after={"by": approval.name})
    if not {u.pk for u in board_users(version.association)} <= set(
        version.approvals.values_list("user_id", flat=True)
    ):
        return approval, False
    version.status = ReportVersion.Status.LOCKED
    version.locked_at = timezone.now()
    version.signed_on = version.signed_on or clock.today()
    version.save(update_fields=["status", "locked_at", "signed_on"])
    record(
        actor,
        "report.lock",
        version,
        association=version.association,
        after={"locked_at": version.locked_at.isoformat()},
    )
    return approval, True


def render_files(actor: Actor, version: ReportVersion) -> None:
    """Render every format of a locked version once and keep the bytes: what the board approved is what is
    shown from now on. A version that has its files keeps them; nothing is rendered again.

    Rendering runs outside any transaction of its own (it takes seconds); the files are stored in one short
    transaction. The texts and approvals are those locked; the figures are the data's when the files are made
    (right after the lock, or when a failed render is retried). A failure leaves an entry in the trail and
    raises FilesMissing; calling again retries.
    """
    version = ReportVersion.objects.select_related("association").get(pk=version.pk)
    if not version.locked:
        raise ValueError("only a locked version has files")
    if version.files.exists():
        return
    try:
        gathered = gather(version)
        files = {fmt: documents.render(gathered, fmt) for fmt in documents.FORMATS}
    except Exception as error:  # whatever fails, the board must see that the files are missing
        record(
            actor,
            "report.render_failed",
            version,
            association=version.association,
            after={"error": f"{type(error).__name__}: {error}"[:500]},
        )
        raise FilesMissing(str(version)) from error
    _keep_files(actor, version, gathered.data, files)


@transaction.atomic
def _keep_files(actor: Actor, version: ReportVersion, data: dict[str, Any], files: dict[str, bytes]) -> None:
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if version.files.exists():  # made meanwhile by another request: those stand
        return
    ReportFile.objects.bulk_create(
        ReportFile(version=version, format=fmt, content=content) for fmt, content in files.items()
    )
    version.snapshot = data
    version.save(update_fields=["snapshot"])
    record(actor, "report.files", version, association=version.association, after={"formats": sorted(files)})


def gather(version: ReportVersion) -> Gathered:
    document = BUILDERS[version.kind](version.association, version.period_end, version)
    # Where the document is filed and when the board adopted it: its title page prints them.
    document.diary_number, document.adopted_on = version.diary_number, version.adopted_on
    return Gathered(documents.document_json(document), document)


def audit_package(actor: Actor, version: ReportVersion) -> tuple[IO[bytes], str]:
    """The version's auditor's package (reports.package) as a temporary file, and its file name; the download
    is in the trail. Raises FilesMissing for a locked version whose files are not made yet."""
    pdf = documents.render(gather_for_download(version), "pdf")
    content = package.build(version, pdf, actor.label)
    name = package.filename(version)
    with transaction.atomic():
        record(actor, "report.audit_package", version, association=version.association, after={"fil": name})
    return content, name


def latest(association: Association, kind: str, period_end: dt.date) -> ReportVersion | None:
    top = ReportVersion.objects.filter(association=association, kind=kind, period_end=period_end).aggregate(
        n=Max("number")
    )["n"]
    if top is None:
        return None
    return ReportVersion.objects.get(association=association, kind=kind, period_end=period_end, number=top)


def gather_for_download(version: ReportVersion) -> Gathered:
    """A locked version's files as approved (FilesMissing until they are made); a draft rendered from today's
    data with its texts."""
    if version.locked:
        files = {f.format: bytes(f.content) for f in version.files.all()}
        if not files:
            raise FilesMissing(str(version))
        name = board.filename(version.kind, version.association, version.period_end)
        document = Document(str(version), version.association.name, str(version.period_end), [], name)
        return Gathered(version.snapshot or {}, document, frozen=files)
    gathered = gather(version)
    return Gathered(gathered.data, gathered.document, template=word_template(version.association))


def _word_template_path(association: Association) -> Path:
    return Path(settings.DATA_DIR) / "mallar" / f"{association.slug}.docx"


def word_template(association: Association) -> Path | None:
    """The association's own Word template, if the office has put one in the data dir."""
    path = _word_template_path(association)
    return path if path.is_file() else None


@transaction.atomic
def set_word_template(actor: Actor, association: Association, content: bytes) -> Path:
    """Keep the association's own Word template in the data dir (checked to open as a Word document, its
    archive first: raises archives.UnsafeArchive before python-docx inflates anything, and for a file
    python-docx cannot open)."""
    archives.check_docx(content)
    try:
        WordDocument(io.BytesIO(content))
    except Exception:  # python-docx raises many kinds (zip, XML, a missing part) for a file it cannot open
        raise archives.not_openable(archives.DOCX) from None
    path = _word_template_path(association)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    record(actor, "report.template", association, association=association, after={"bytes": len(content)})
    return path
