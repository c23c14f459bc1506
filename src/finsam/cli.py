"""The `finsam` command (see docs/cli.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from finsam.core.audit import Actor
    from finsam.core.imports import ImportResult
    from finsam.organisation.models import Association

IMPORT_KINDS = ("sie", "participants", "budget")
FORMATS = ("json", "xlsx", "docx", "pdf", "html")


class CommandError(Exception):
    """A user error: printed without a traceback, exit code 1."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget datum; förväntade ÅÅÅÅ-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="finsam", description="finsam – uppföljning och rapporter för samordningsförbund"
    )
    parser.add_argument(
        "--data-dir", help="katalog för den inbyggda databasen och skrivna rapporter (FINSAM_DATA_DIR)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="bygger demoförbunden, skriver rapporterna och startar webbappen")
    demo.add_argument("--no-serve", action="store_true", help="starta inte webbappen")
    demo.add_argument("--port", type=int, default=8000)

    serve = commands.add_parser("serve", help="startar webbappen")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")

    commands.add_parser(
        "worker", help="kör jobbkön: importer, rapportfiler, e-post och schemalagd gallring (till SIGTERM)"
    )
    manage = commands.add_parser("manage", help="kör ett Django-kommando (migrate, createsuperuser, check …)")
    manage.add_argument("args", nargs=argparse.REMAINDER)

    setup = commands.add_parser(
        "setup", help="skapar eller uppdaterar ett förbund från en organisationsfil (YAML)"
    )
    setup.add_argument("file", type=Path)

    imports = commands.add_parser("import", help="importerar en fil")
    imports.add_argument("kind", choices=IMPORT_KINDS)
    imports.add_argument("file", type=Path)
    imports.add_argument("--association", required=True, metavar="SLUG")

    report = commands.add_parser("report", help="skriver en rapport")
    report.add_argument("kind", metavar="KIND")
    report.add_argument("--association", required=True, metavar="SLUG")
    report.add_argument("--date", required=True, type=_date, help="periodens sista dag, ÅÅÅÅ-MM-DD")
    report.add_argument("--from", dest="start", type=_date, help="periodens första dag (standard: 1 januari)")
    report.add_argument("--format", default="json", choices=FORMATS)
    report.add_argument(
        "--output", type=Path, help="fil att skriva (json utan --output skrivs till standard ut)"
    )
    backup = commands.add_parser(
        "backup", help="skriver en säkerhetskopia av databasen och datakatalogen (docs/backup.md)"
    )
    backup.add_argument("file", type=Path, metavar="FIL")
    restore = commands.add_parser(
        "restore", help="återställer en säkerhetskopia till en tom datakatalog och en tom databas"
    )
    restore.add_argument("file", type=Path, metavar="FIL")
    return parser


def _django(data_dir: str | None, *, environment: str | None = None) -> None:
    if data_dir:
        os.environ["FINSAM_DATA_DIR"] = data_dir
    if environment:
        os.environ.setdefault("FINSAM_ENV", environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(host: str, port: int) -> None:
    from django.core.management import call_command

    # Static files are served from the data dir, like a deployment after `collectstatic`.
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"finsam körs på http://{host}:{port}/  (avsluta med Ctrl+C)", flush=True)
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, skip_checks=True)


def _association(slug: str) -> Association:
    from finsam.organisation.models import Association

    association = Association.objects.filter(slug=slug).first()
    if association is None:
        known = ", ".join(Association.objects.values_list("slug", flat=True)) or "inga"
        raise CommandError(f"det finns inget förbund med kortnamnet {slug!r} (finns: {known})")
    return association


def _report(args: argparse.Namespace) -> int:
    from finsam.core import documents

    if args.kind not in documents.KINDS:
        known = ", ".join(documents.KINDS)
        raise CommandError(f"okänd rapport {args.kind!r}; förväntade en av {known}")
    _migrate()
    start = args.start or dt.date(args.date.year, 1, 1)
    if start > args.date:
        raise CommandError(f"--from {start} ligger efter --date {args.date}")
    try:
        gathered = documents.gather(
            args.kind, _association(args.association), documents.Period(start, args.date)
        )
    except documents.ReportUnavailable as error:
        raise CommandError(str(error)) from None
    content = documents.render(gathered, args.format)
    if args.output is None:
        if args.format != "json":
            raise CommandError(f"--format {args.format} kräver --output FIL")
        sys.stdout.write(content.decode("utf-8"))
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(content)
        print(f"skrev {args.output}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from finsam.core import uploads
    from finsam.core.audit import Actor
    from finsam.core.imports import ImportRejected

    importer = _importers()[args.kind]
    if not args.file.is_file():
        raise CommandError(f"filen {args.file} finns inte")
    try:
        uploads.check_size(args.file, args.kind)
    except uploads.FileTooLarge as error:
        raise CommandError(f"{args.file}: {error}") from None
    _migrate()
    association = _association(args.association)
    try:
        result = importer(args.file, association, Actor.command(f"import {args.kind}"))
    except ImportRejected as error:
        raise CommandError(str(error)) from None
    print(f"{args.file}: {result.summary()}")
    for line in result.details:
        print(f"  {line}")
    return 0


def _importers() -> dict[str, Callable[[Path, Association, Actor], ImportResult]]:
    """The file importers built so far, by the kind named on the command line."""
    from finsam.finance import budget, sie_import
    from finsam.participants.imports import import_participants

    def sie(path: Path, association: Association, actor: Actor) -> ImportResult:
        return sie_import.import_file(path, association, actor, on_progress=_progress)

    return {"sie": sie, "budget": budget.import_file, "participants": import_participants}


def _progress(done: int, total: int) -> None:
    """Percent read, for files large enough to take a while (at most every whole percent)."""
    if total < 5_000_000:
        return
    print(f"\r  läst {100 * done // total} %", end="\n" if done >= total else "", file=sys.stderr, flush=True)


def _setup(path: Path) -> int:
    from finsam.core.audit import Actor
    from finsam.organisation import orgfile

    _migrate()
    try:
        association = orgfile.setup(path, Actor.command("setup"))
    except orgfile.OrgFileError as error:
        raise CommandError(str(error)) from None
    print(f"{association.name} ({association.slug}) är uppdaterat från {path}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from django.conf import settings

    from finsam.demo import build

    _migrate()
    result = build.load()
    written = build.write_reports(Path(settings.DATA_DIR) / "rapporter")
    print("Demoförbund:", ", ".join(a.name for a in result.associations))
    print("Rapporter:")
    for path in written:
        print(f"  {path}")
    print("Demoinloggningar (lösenord: demo):")
    for username, description in build.LOGINS:
        print(f"  {username:<12} {description}")
    url = f"http://127.0.0.1:{args.port}/"
    print(f"Webbappen: {url}")
    if not args.no_serve:
        _serve("127.0.0.1", args.port)
    return 0


def _backup(args: argparse.Namespace) -> int:
    from finsam.core.backup import BackupError, archive

    try:
        if args.command == "backup":
            print(archive.warning(sealed=archive.passphrase() is not None), file=sys.stderr)
            print(archive.backup(args.file).summary())
        else:
            print(archive.restore(args.file).summary())
    except BackupError as error:
        raise CommandError(str(error)) from None
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        _django(args.data_dir, environment="demo" if args.command == "demo" else None)
        if args.command == "manage":
            from django.core.management import execute_from_command_line

            execute_from_command_line(["finsam manage", *args.args])
            return 0
        if args.command == "serve":
            _migrate()
            _serve(args.host, args.port)
            return 0
        if args.command == "worker":
            from finsam.core import jobs as queue

            queue.run_worker()
            return 0
        if args.command == "setup":
            return _setup(args.file)
        if args.command == "report":
            return _report(args)
        if args.command == "import":
            return _import(args)
        if args.command in ("backup", "restore"):
            return _backup(args)
        return _demo(args)
    except CommandError as error:
        print(f"finsam: {error}", file=sys.stderr)
        return 1
