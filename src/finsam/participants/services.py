"""Every write of participant data: one transaction, one audit entry that never carries personal data.

The audit trail is read by the office, which may not see personal data, so an entry names the episode's id,
its intervention and which fields changed, never their values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps as global_apps
from django.db import connection, models, transaction
from django.db.models import F

from finsam.accounts import notifications
from finsam.accounts.roles import Role
from finsam.core import services as core
from finsam.core.audit import Actor, record
from finsam.participants.models import (
    AccessLogEntry,
    Area,
    Episode,
    ErasedOutcomeTally,
    ErasedRatingTally,
    ErasedReferralTally,
    ErasedSupportTally,
    ErasedTally,
    ParticipantSettings,
    Rating,
    Referral,
    VolumeCount,
)
from finsam.participants.stored import income_pairs, month_start
from finsam.participants.tables import first_and_latest

if TYPE_CHECKING:
    from django.apps.registry import Apps
    from django.http import HttpRequest

    from finsam.organisation.models import Association, Intervention


def _changed(before: dict[str, object] | None, after: dict[str, object]) -> list[str]:
    return sorted(k for k, v in after.items() if before is None or before.get(k) != v)


def _fields_only(code: str) -> core.Trail:
    """The trail of a participant row: its intervention and which fields changed, never their values."""

    def kept(before: core.Plain | None, after: core.Plain) -> tuple[None, core.Plain]:
        return None, {"insats": code, "fält": ", ".join(_changed(before, after))}

    return kept


def save_episode(actor: Actor, episode: Episode) -> Episode:
    episode.association_id = episode.intervention.association_id
    intervention = episode.intervention
    return core.save(
        actor, episode, association=intervention.association, trail=_fields_only(intervention.code)
    )


def save_referral(actor: Actor, referral: Referral) -> Referral:
    referral.association_id = referral.intervention.association_id
    intervention = referral.intervention
    return core.save(
        actor, referral, association=intervention.association, trail=_fields_only(intervention.code)
    )


@transaction.atomic
def enrol(actor: Actor, episode: Episode, referral: Referral | None = None) -> Episode:
    """Enrol a participant, from a referral when there is one (its outcome becomes enrolment)."""
    if referral is not None:
        referral.outcome = Referral.Outcome.ENROLLED
        if not referral.participant_key:
            referral.participant_key = episode.participant_key
        save_referral(actor, referral)
        episode.referral = referral
    save_episode(actor, episode)
    return episode


@transaction.atomic
def exit_episode(
    actor: Actor,
    episode: Episode,
    *,
    exited_on: dt.date,
    reason: str,
    income_after: list[str],
    occupation_after: str,
) -> Episode:
    episode.exited_on = exited_on
    episode.exit_reason = reason
    episode.income_after = "|".join(sorted(income_after))
    episode.occupation_after = occupation_after
    save_episode(actor, episode)
    return episode


@transaction.atomic
def rate(actor: Actor, episode: Episode, *, rated_on: dt.date, rater: str, scores: dict[Area, int]) -> int:
    """Record one rating occasion (every area of the instrument); a repeated occasion replaces its values."""
    changed = 0
    for area, value in scores.items():
        instrument = area.instrument
        if not instrument.scale_min <= value <= instrument.scale_max:
            raise ValueError(f"{value} is outside {instrument.scale_min}–{instrument.scale_max}")
        rating = Rating.objects.filter(episode=episode, area=area, rated_on=rated_on, rater=rater).first()
        if rating is None:
            rating = Rating(episode=episode, area=area, rated_on=rated_on, rater=rater, value=value)
        elif rating.value == value:
            continue
        rating.value = value
        rating.save()
        changed += 1
    if changed:
        record(
            actor,
            "rating.save",
            episode,
            association=episode.intervention.association,
            after={"insats": episode.intervention.code, "datum": rated_on.isoformat(), "skattad av": rater},
        )
    return changed


SHIPPED_AREAS = (
    ("halsa", "Hälsa"),
    ("motivation", "Motivation"),
    ("livssituation", "Livssituation"),
    ("kompetens", "Kompetens"),
    ("arbetsmarknadskunskap", "Arbetsmarknadskunskap"),
)


SHIPPED_CODE = "SKAPA"


def shipped_areas() -> list[Area]:
    """The areas of the instrument finsam ships, in order. Reads only: migration 0002 stores them, and
    restore_shipped_instrument stores them again after a flush."""
    return list(
        Area.objects.filter(instrument__association=None, instrument__code=SHIPPED_CODE)
        .select_related("instrument")
        .order_by("position")
    )


def restore_shipped_instrument(*, using: str, apps: Apps = global_apps, **sent: Any) -> None:
    """On post_migrate: store the shipped instrument and its areas where they are missing, as after a flush
    (which empties every table, as between transactional tests, and then sends post_migrate). Writes nothing
    when they are there. The models are those of the migration state migrate gives (flush gives none: the
    current ones)."""
    try:
        instrument_model = apps.get_model("participants", "Instrument")
        area_model = apps.get_model("participants", "Area")
    except LookupError:  # migrated back to before the instrument existed
        return
    instrument, _ = instrument_model.objects.using(using).get_or_create(
        association=None,
        code=SHIPPED_CODE,
        defaults={"name": "Skattning (SKAPA-områden)", "scale_min": 1, "scale_max": 10},
    )
    for position, (code, name) in enumerate(SHIPPED_AREAS, start=1):
        area_model.objects.using(using).get_or_create(
            instrument=instrument, code=code, defaults={"position": position, "name": name}
        )


@transaction.atomic
def save_volume(
    actor: Actor, intervention: Intervention, start: dt.date, end: dt.date, counts: dict[str, int]
) -> None:
    """Record a structural intervention's head counts for a period by gender; the same period is replaced."""
    for gender, count in counts.items():
        volume = VolumeCount.objects.filter(
            intervention=intervention, start=start, end=end, gender=gender
        ).first()
        volume = volume or VolumeCount(intervention=intervention, start=start, end=end, gender=gender)
        volume.count = count
        core.save(actor, volume, association=intervention.association)


def settings_of(association: Association) -> ParticipantSettings:
    found = ParticipantSettings.objects.filter(association=association).first()
    return found or ParticipantSettings(association=association)


@transaction.atomic
def save_settings(actor: Actor, chosen: ParticipantSettings) -> ParticipantSettings:
    """Save an association's participant settings; when it stops keeping personal numbers, every sealed copy
    goes at once."""
    saved = core.save(actor, chosen, association=chosen.association)
    if not saved.keep_personal_numbers:
        erased = (
            Episode.objects.filter(association=chosen.association)
            .exclude(sealed_number="")
            .update(sealed_number="")
        )
        if erased:
            record(
                actor,
                "participants.erase_numbers",
                chosen,
                association=chosen.association,
                after={"raderade kopior": erased},
            )
    return saved


def log_access(
    request: HttpRequest,
    association: Association,
    action: str,
    ids: list[int],
    *,
    record_type: str = "episode",
) -> AccessLogEntry:
    """Log a read of personal data: who, when, from which address, which page and which records."""
    actor = Actor.of(request)
    return AccessLogEntry.objects.create(
        association=association,
        user=actor.user,
        actor=actor.label,
        address=request.META.get("REMOTE_ADDR", ""),
        action=action,
        path=request.path[:300],
        record_type=record_type,
        record_ids=sorted(ids),
    )


def _add_to(tally: type[models.Model], added: dict[str, int | Decimal], **identity: Any) -> None:
    """Add to the counts of the tally row with this identity, creating it at zero first."""
    row, _ = tally._default_manager.get_or_create(**identity)
    tally._default_manager.filter(pk=row.pk).update(**{name: F(name) + n for name, n in added.items()})


def _tally_episode(episode: Episode) -> None:
    where = {"association_id": episode.association_id, "intervention_id": episode.intervention_id}
    enrolled_month = month_start(episode.enrolled_on)
    exited_month = month_start(episode.exited_on) if episode.exited_on else None
    added: dict[str, int | Decimal] = {"count": 1}
    if episode.years_on_support is not None:
        added |= {"years_on_support_sum": episode.years_on_support, "years_on_support_count": 1}
    _add_to(
        ErasedTally,
        added,
        **where,
        gender=episode.gender,
        municipality=episode.municipality,
        enrolled_month=enrolled_month,
        exited_month=exited_month,
        exit_reason=episode.exit_reason,
    )
    exited_on = episode.exited_on
    if exited_on is None or episode.is_void:
        return
    exited_month = month_start(exited_on)
    before, after = Counter(episode.income_before_codes()), Counter(episode.income_after_codes())
    for code in before.keys() | after.keys():
        _add_to(
            ErasedSupportTally,
            {"before": before[code], "after": after[code]},
            **where,
            exited_month=exited_month,
            code=code,
        )
    outcome = {**where, "exited_month": exited_month, "gender": episode.gender}
    for income_before, income_after in income_pairs(episode.income_before, episode.income_after):
        _add_to(
            ErasedOutcomeTally,
            {"count": 1},
            **outcome,
            measure=ErasedOutcomeTally.Measure.INCOME,
            before=income_before,
            after=income_after,
        )
    _add_to(
        ErasedOutcomeTally,
        {"count": 1},
        **outcome,
        measure=ErasedOutcomeTally.Measure.OCCUPATION,
        before=episode.occupation_before,
        after=episode.occupation_after,
    )
    _add_to(
        ErasedOutcomeTally,
        {"count": 1},
        **outcome,
        measure=ErasedOutcomeTally.Measure.DAYS,
        days=(exited_on - episode.enrolled_on).days,
    )
    series: dict[tuple[int, str], list[tuple[dt.date, int]]] = defaultdict(list)
    for area_id, rater, rated_on, value in episode.ratings.values_list(
        "area_id", "rater", "rated_on", "value"
    ):
        series[(area_id, rater)].append((rated_on, value))
    for (area_id, rater), points in series.items():
        pair = first_and_latest(points)
        if pair is not None:
            _add_to(
                ErasedRatingTally,
                {"people": 1, "first_sum": pair[0], "latest_sum": pair[1]},
                **where,
                enrolled_month=enrolled_month,
                exited_month=exited_month,
                area_id=area_id,
                rater=rater,
            )


def _tally_referral(referral: Referral) -> None:
    _add_to(
        ErasedReferralTally,
        {"count": 1},
        association_id=referral.association_id,
        intervention_id=referral.intervention_id,
        received_month=month_start(referral.received_on),
        source=referral.source,
        outcome=referral.outcome,
    )


def expiry_cutoff(association: Association, today: dt.date) -> dt.date:
    """Episodes that exited before this day have expired (retention years after exit)."""
    years = settings_of(association).retention_years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


ERASE_EXPIRED = "participants.erase_expired"  # the audit action of an erasure run
ERASED = "erasure_run"  # the notification to the data protection officer (apps.py registers it)


@transaction.atomic
def erase_expired(actor: Actor, association: Association, today: dt.date) -> tuple[int, int]:
    """Delete the episodes (with their ratings) and referrals whose retention has run out.

    Each leaves a month-level count without any key, so the tables stay right. A run that erased anything
    tells the data protection officer how much (counts only). Returns (episodes, referrals).
    """
    cutoff = expiry_cutoff(association, today)
    episodes = list(Episode.objects.filter(association=association, exited_on__lt=cutoff))
    for episode in episodes:
        _tally_episode(episode)
    episode_ids = [e.pk for e in episodes]
    # A referral goes with its episode; one that never led to an enrolment goes after the same time.
    referrals = list(
        Referral.objects.filter(association=association).filter(
            models.Q(episode__pk__in=episode_ids) | models.Q(episode__isnull=True, received_on__lt=cutoff)
        )
    )
    for referral in referrals:
        _tally_referral(referral)
    Rating.objects.filter(episode__pk__in=episode_ids).delete()
    Episode.objects.filter(pk__in=episode_ids).delete()
    Referral.objects.filter(pk__in=[r.pk for r in referrals]).delete()
    if episodes or referrals:
        record(
            actor,
            ERASE_EXPIRED,
            settings_of(association) if settings_of(association).pk else association,
            association=association,
            after={
                "gallrat före": cutoff.isoformat(),
                "episoder": len(episodes),
                "remisser": len(referrals),
            },
        )
        notifications.notify(
            actor,
            ERASED,
            notifications.members(association, Role.DATA_PROTECTION_OFFICER),
            association,
            link=f"/f/{association.slug}/",
            values={"episodes": len(episodes), "referrals": len(referrals), "cutoff": cutoff.isoformat()},
        )
    return len(episodes), len(referrals)


def scrub_erased_rows() -> bool:
    """Leave nothing of deleted participant rows readable in the database's files. False when SQLite's
    write-ahead log could not be emptied because another connection was reading it: run again.

    Run after the erasure has committed, outside any transaction. SQLite overwrites a deleted row in the
    database file itself (`secure_delete`, set on every connection in the settings), but its write-ahead log
    still holds the pages as they were written before: the log is checkpointed and truncated. PostgreSQL keeps
    deleted rows as dead tuples, and a plain VACUUM only marks their space free without overwriting it, so the
    erased tables and their indexes are rewritten into new files (VACUUM FULL, which cannot run in a
    transaction and locks each table for the moment it takes). Not promised: the server's own write-ahead
    log and backups keep what they hold until they expire (docs/participants.md).
    """
    if connection.in_atomic_block:
        raise RuntimeError("scrub_erased_rows must run after the erasure's transaction, outside any other")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log, _done = cursor.fetchone()
            return not busy
        if connection.vendor == "postgresql":
            for model in (Rating, Episode, Referral):
                cursor.execute(f"VACUUM FULL {connection.ops.quote_name(model._meta.db_table)}")
    return True
