"""`finsam manage add_user`: an account with a role in an association, from the host's shell — the first
administrator of a new installation, or the data protection officer (docs/deploy.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from finsam.accounts import services
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.core.audit import Actor
from finsam.organisation.models import Association

# The roles by the Swedish names an operator types, and by their codes.
ROLES = {
    "kansliadministrator": Role.OFFICE_ADMIN,
    "ekonom": Role.ECONOMIST,
    "styrelseledamot": Role.BOARD_MEMBER,
    "dataskyddsombud": Role.DATA_PROTECTION_OFFICER,
    "rapportlasare": Role.REPORTING,
    "revisor": Role.AUDITOR,
    "nationell": Role.NATIONAL,
    **{role.value: role for role in Role if role is not Role.REGISTRAR},
}


class Command(BaseCommand):
    help = (
        "Skapar ett konto (eller tar ett befintligt) och ger det en roll i ett förbund. Ett nytt konto får "
        "ett engångslösenord som skrivs ut en gång och måste bytas vid första inloggningen. "
        "Deltagarregistratorer ges roll i webbappen, för sina insatser, med dataskyddsombudets godkännande."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", metavar="ANVÄNDARNAMN")
        parser.add_argument("--association", metavar="KORTNAMN", required=True, help="förbundets kortnamn")
        parser.add_argument("--role", metavar="ROLL", required=True, choices=sorted(ROLES), help="rollen")
        parser.add_argument("--email", default="", help="e-postadress (för aviseringar)")
        parser.add_argument("--first-name", default="", metavar="FÖRNAMN")
        parser.add_argument("--last-name", default="", metavar="EFTERNAMN")

    def handle(self, *args: Any, **options: Any) -> None:
        association = Association.objects.filter(slug=options["association"]).first()
        if association is None:
            raise CommandError(f"det finns inget förbund med kortnamnet {options['association']!r}")
        actor = Actor.command("manage add_user")
        role = ROLES[options["role"]]
        with transaction.atomic():
            user = User.objects.filter(username=options["username"]).first()
            password = None
            if user is None:
                user, password = services.create_user(
                    actor, options["username"], options["first_name"], options["last_name"], options["email"]
                )
            services.grant_role(actor, user, association, role)
        if password is not None:
            self.stdout.write(
                f"Kontot {user.username} är skapat. Engångslösenord (visas bara nu): {password}"
            )
        self.stdout.write(f"{user.username} är {role.label.lower()} i {association.name}.")
