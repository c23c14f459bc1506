"""`finsam manage rebuild_balances`: compute the period balances again from the ledger rows (ADR 0029)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from finsam.core.audit import Actor
from finsam.finance import balances
from finsam.organisation.models import Association


class Command(BaseCommand):
    help = (
        "Räknar om periodsaldona (belopp per konto, objekt och månad) från de bokförda raderna i de "
        "importer som gäller. Importen håller dem aktuella; kommandot behövs bara om de har kommit ur takt."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--association", metavar="SLUG", help="bara detta förbund (standard: alla)")

    def handle(self, *args: Any, **options: Any) -> None:
        associations = Association.objects.order_by("slug")
        if options["association"]:
            associations = associations.filter(slug=options["association"])
            if not associations.exists():
                raise CommandError(f"det finns inget förbund med kortnamnet {options['association']!r}")
        actor = Actor.command("manage rebuild_balances")
        for association in associations:
            written = balances.rebuild(actor, association)
            self.stdout.write(f"{association.slug}: {written} periodsaldon")
