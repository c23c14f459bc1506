"""`finsam manage erase_expired`: delete participant data whose retention has run out (gallring)."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from finsam.core import clock
from finsam.core.audit import Actor
from finsam.finance import jobs
from finsam.organisation.models import Association
from finsam.participants import imports, services


class Command(BaseCommand):
    help = (
        "Gallrar deltagarepisoder och remisser vars bevarandetid (år efter avslut, per förbund) har gått ut. "
        "Raderna tas bort på riktigt; antalen i tabellerna finns kvar utan personuppgifter. "
        "Tar också bort uppladdade importfiler som inte bekräftats inom en timme och filerna från "
        "ekonomiimporter vars process har avbrutits, och skriver över det raderade i databasens filer."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--association", metavar="SLUG", help="bara detta förbund (standard: alla)")
        parser.add_argument(
            "--date", metavar="ÅÅÅÅ-MM-DD", help="räkna som om det vore denna dag (standard: i dag)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"{options['date']!r} är inget datum; förväntade ÅÅÅÅ-MM-DD") from None
        associations = Association.objects.order_by("slug")
        if options["association"]:
            associations = associations.filter(slug=options["association"])
            if not associations.exists():
                raise CommandError(f"det finns inget förbund med kortnamnet {options['association']!r}")
        actor = Actor.command("manage erase_expired")
        for association in associations:
            cutoff = services.expiry_cutoff(association, today)
            episodes, referrals = services.erase_expired(actor, association, today)
            self.stdout.write(
                f"{association.slug}: gallrade {episodes} episoder och {referrals} remisser "
                f"(avslutade före {cutoff.isoformat()})"
            )
        # Uploaded import files that were never confirmed hold personnummer in clear; they belong to no
        # association's retention, so they go on every run (by their age on disk, not by --date).
        uploads = imports.erase_stale_uploads()
        self.stdout.write(f"tog bort {uploads} obekräftade importfiler")
        # A finance import whose process died leaves its job running and its file behind.
        ended, left = jobs.sweep()
        self.stdout.write(f"avslutade {ended} avbrutna ekonomiimporter och tog bort {left} kvarlämnade filer")
        # What the deletions freed is overwritten once they have committed (at once when the command runs on
        # its own, outside any transaction), on every run, so that a run that found the database's log busy is
        # made good by the next one.
        transaction.on_commit(self._scrub)

    def _scrub(self) -> None:
        if not services.scrub_erased_rows():
            raise CommandError(
                "gallringen är klar, men databasens logg (WAL) lästes av en annan process och kunde inte "
                "tömmas; kör kommandot igen"
            )
