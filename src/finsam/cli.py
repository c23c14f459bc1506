"""The `finsam` command (see docs/cli.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from finsam.argparse_sv import swedish

if TYPE_CHECKING:
    from finsam.core.audit import Actor
    from finsam.core.imports import ImportResult
    from finsam.organisation.models import Association

IMPORT_KINDS = ("sie", "participants", "budget")
FORMATS = ("json", "xlsx", "docx", "pdf", "html")
TEXT_FORMATS = ("json", "html")  # written to standard output; the others to a file
# Every kind of report `finsam report` writes (the registry of finsam.core.documents, filled only once Django
# is set up), with the Swedish name it takes too and what it holds, for --help.
REPORT_KINDS = {
    "contributions": ("medlemsbidrag", "medlemmarnas bidrag för året"),
    "income-statement": ("resultatrakning", "resultaträkning med budget och prognos"),
    "income-statement-annual": (
        "resultatrakning-arsredovisning",
        "resultaträkningen i årsredovisningens form",
    ),
    "balance-sheet": ("balansrakning", "balansräkning"),
    "cash-flow": ("kassaflodesanalys", "kassaflödesanalys"),
    "operating-statement": ("driftredovisning", "driftredovisning"),
    "notes": ("noter", "noter till resultat- och balansräkningen"),
    "key-figures": ("nyckeltal", "flerårsöversikt, balanskrav, kostnadsandelar och bidrag"),
    "shared-costs": ("delade-kostnader", "underlag för fakturor av delade kostnader"),
    "participants": ("deltagare", "deltagartabellerna"),
    "participants-public": ("deltagare-offentlig", "deltagartabellerna med små tal dolda"),
    "outcomes": ("utfall", "utfall för avslutade deltagare, små tal dolda"),
    "goals": ("mal", "måluppfyllelse"),
    "interim-report": ("delarsrapport", "delårsrapporten"),
    "annual-report": ("arsredovisning", "årsredovisningen"),
    "business-plan": ("verksamhetsplan", "verksamhetsplanen"),
    "members": ("medlemmar", "medlemmarna med folkmängd"),
    "board": ("styrelse", "styrelseuppdragen"),
    "interventions": ("insatser", "insatserna"),
    "grants": ("beviljade-belopp", "belopp beviljade till insatserna"),
    "national-export": ("nationell-export", "förbundets siffror utan personuppgifter, signerade (bara json)"),
}
# Kinds the command writes that are not in the registry: making one is a write (ADR 0028).
COMMAND_ONLY_KINDS = frozenset({"national-export"})
NATIONAL_FORMATS = ("json", "xlsx", "pdf", "html")
KIND_BY_NAME = {name: kind for kind, (alias, _) in REPORT_KINDS.items() for name in (kind, alias)}


class CommandError(Exception):
    """A user error: printed without a traceback, exit code 1."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget datum; förväntade ÅÅÅÅ-MM-DD") from None


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} är ingen port; förväntade ett heltal från 1 till 65535")
    return int(text)


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} går inte; förväntade ett antal från 1 till 64")
    return int(text)


def _kinds_help() -> str:
    lines = [f"  {alias}, {kind}\n      {what}" for kind, (alias, what) in REPORT_KINDS.items()]
    return "rapporter (RAPPORT är det svenska namnet eller det engelska):\n" + "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="finsam",
        description="finsam – uppföljning och rapporter för samordningsförbund",
        epilog="Mer i docs/cli.md. Varje kommando har sin egen hjälp: finsam KOMMANDO --help",
    )
    parser.add_argument(
        "--data-dir",
        metavar="KATALOG",
        help="katalog för den inbyggda databasen och skrivna rapporter (FINSAM_DATA_DIR)",
    )
    commands = parser.add_subparsers(dest="command", required=True, title="kommandon", metavar="KOMMANDO")

    demo = commands.add_parser(
        "demo",
        help="bygger demoförbunden, skriver rapporterna och startar webbappen",
        description="Bygger demoförbunden, skriver deras rapporter i datakatalogen och startar webbappen.",
    )
    demo.add_argument("--no-serve", action="store_true", help="starta inte webbappen")
    demo.add_argument(
        "--port", type=_port, default=8000, metavar="PORT", help="porten på 127.0.0.1 (standard: 8000)"
    )

    serve = commands.add_parser(
        "serve",
        help="startar webbappen",
        description="Migrerar databasen och startar webbappen i gunicorn (aldrig Djangos utvecklingsserver).",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", metavar="ADRESS", help="adressen att lyssna på (standard: 127.0.0.1)"
    )
    serve.add_argument("--port", type=_port, default=8000, metavar="PORT", help="porten (standard: 8000)")
    serve.add_argument(
        "--workers",
        type=_workers,
        metavar="ANTAL",
        help="antal arbetsprocesser (standard: FINSAM_WEB_WORKERS, annars 2)",
    )

    commands.add_parser(
        "worker",
        help="kör jobbkön: importer, rapportfiler, e-post och schemalagd gallring (till SIGTERM)",
        description="Kör jobbkön: importer, rapportfiler, e-post och schemalagd gallring, tills SIGTERM.",
    )
    manage = commands.add_parser(
        "manage",
        help="kör ett Django-kommando (migrate, add_user, erase_expired, check …)",
        description="Kör ett av Djangos och finsams förvaltningskommandon, till exempel migrate eller "
        "erase_expired. Kommandona listas med: finsam manage help",
    )
    manage.add_argument(
        "args", nargs=argparse.REMAINDER, metavar="ARGUMENT", help="kommandot och dess argument"
    )

    setup = commands.add_parser(
        "setup",
        help="skapar eller uppdaterar ett förbund från en organisationsfil (YAML)",
        description="Skapar eller uppdaterar ett förbund från en organisationsfil "
        "(docs/organisation-file.md).",
    )
    setup.add_argument("file", type=Path, metavar="FIL", help="organisationsfilen (YAML)")

    imports = commands.add_parser(
        "import",
        help="importerar en fil",
        description="Importerar en fil helt eller inte alls; varje fel namnges med rad och kolumn.",
    )
    imports.add_argument("kind", choices=IMPORT_KINDS, metavar="SLAG", help="sie, participants eller budget")
    imports.add_argument("file", type=Path, metavar="FIL", help="filen att importera")
    imports.add_argument("--association", required=True, metavar="KORTNAMN", help="förbundets kortnamn")

    report = commands.add_parser(
        "report",
        help="skriver en rapport",
        description="Skriver en rapport för perioden --from till --date.\n"
        "json och html skrivs till standard ut; docx, pdf och xlsx till datakatalogens\n"
        "mapp rapporter, och sökvägen skrivs ut. Med --output skrivs rapporten till den filen.",
        epilog=_kinds_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("kind", metavar="RAPPORT", help="rapporten (se listan nedan)")
    report.add_argument("--association", required=True, metavar="KORTNAMN", help="förbundets kortnamn")
    report.add_argument("--date", required=True, type=_date, metavar="ÅÅÅÅ-MM-DD", help="periodens sista dag")
    report.add_argument(
        "--from",
        dest="start",
        type=_date,
        metavar="ÅÅÅÅ-MM-DD",
        help="periodens första dag (standard: 1 januari samma år)",
    )
    report.add_argument("--format", default="json", choices=FORMATS, help="filformatet (standard: json)")
    report.add_argument("--output", type=Path, metavar="FIL", help="filen att skriva")

    backup = commands.add_parser(
        "backup",
        help="skriver en säkerhetskopia av databasen och datakatalogen (docs/backup.md)",
        description="Skriver en säkerhetskopia av databasen och datakatalogens filer (docs/backup.md).",
    )
    backup.add_argument("file", type=Path, metavar="FIL", help="arkivet att skriva")
    restore = commands.add_parser(
        "restore",
        help="återställer en säkerhetskopia till en tom datakatalog och en tom databas",
        description="Återställer en säkerhetskopia till en tom datakatalog och en tom databas.",
    )
    restore.add_argument("file", type=Path, metavar="FIL", help="arkivet att läsa")
    _national_parser(commands)
    return parser


def _national_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    national = commands.add_parser(
        "national",
        help="tar emot förbundens nationella exporter och sammanställer dem (docs/national.md)",
        description="En nationell installation: tar emot förbundens signerade exporter och sammanställer dem "
        "per förbund, län och inriktning (docs/national.md).",
    )
    actions = national.add_subparsers(dest="action", required=True, title="åtgärder", metavar="ÅTGÄRD")
    receive = actions.add_parser(
        "import",
        help="tar emot exporter; ett förbunds första export registrerar dess nyckel",
        description="Tar emot exporter, var fil helt eller inte alls. Ett förbunds första export registrerar "
        "dess publika nyckel (fingeravtrycket skrivs ut: bekräfta det med förbundet). En osignerad eller "
        "ändrad fil, eller en signerad med en annan nyckel än den registrerade, tas inte emot.",
    )
    receive.add_argument("files", nargs="+", type=Path, metavar="FIL", help="exporterna (JSON)")
    report = actions.add_parser(
        "report",
        help="skriver den nationella sammanställningen",
        description="Skriver sammanställningen av exporterna för perioden 1 januari till --date (31 mars, "
        "30 juni eller 31 december): json och html till standard ut, xlsx och pdf till datakatalogens mapp "
        "rapporter, och sökvägen skrivs ut. Med --output skrivs den till den filen.",
    )
    report.add_argument("--date", required=True, type=_date, metavar="ÅÅÅÅ-MM-DD", help="periodens sista dag")
    report.add_argument(
        "--format", default="json", choices=NATIONAL_FORMATS, help="filformatet (standard: json)"
    )
    report.add_argument("--output", type=Path, metavar="FIL", help="filen att skriva")


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


def _serve(host: str, port: int, workers: int | None) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from finsam import server

    # Static files are served from the data dir, like a deployment after `collectstatic`.
    call_command("collectstatic", interactive=False, verbosity=0)
    server.run(host, port, workers or settings.WEB_WORKERS)


def _association(slug: str) -> Association:
    from finsam.organisation.models import Association

    association = Association.objects.filter(slug=slug).first()
    if association is None:
        known = ", ".join(Association.objects.values_list("slug", flat=True)) or "inga"
        raise CommandError(f"det finns inget förbund med kortnamnet {slug!r} (finns: {known})")
    return association


def _report(args: argparse.Namespace) -> int:
    from finsam.core import documents

    kind = KIND_BY_NAME.get(args.kind)
    if kind is None:
        known = ", ".join(f"{name} ({alias})" for name, (alias, _) in REPORT_KINDS.items())
        raise CommandError(f"okänd rapport {args.kind!r}; förväntade en av {known}")
    if kind == "national-export" and args.format != "json":
        raise CommandError("national-export skrivs bara som json: det är den signerade exporten")
    _migrate()
    start = args.start or dt.date(args.date.year, 1, 1)
    if start > args.date:
        raise CommandError(f"--from {start} ligger efter --date {args.date}")
    period = documents.Period(start, args.date)
    try:
        if kind == "national-export":  # signed and logged: a write, never in the registry of GET downloads
            from finsam.core.audit import Actor
            from finsam.national import summary

            gathered = summary.gathered(
                _association(args.association), period, Actor.command(f"report {kind}")
            )
        else:
            gathered = documents.gather(kind, _association(args.association), period)
    except documents.ReportUnavailable as error:
        raise CommandError(str(error)) from None
    _write(documents.render(gathered, args.format), gathered.document.filename, args.format, args.output)
    return 0


def _write(content: bytes, filename: str, fmt: str, output: Path | None) -> None:
    """A report to standard out (json, html), into the data dir's report folder, or to --output."""
    from django.conf import settings

    if output is None and fmt in TEXT_FORMATS:
        sys.stdout.write(content.decode("utf-8"))
    elif output is None:  # a file format: into the data dir's report folder, its path on standard out
        path = Path(settings.REPORTS_DIR) / f"{filename}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(path)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
        print(f"skrev {output}", file=sys.stderr)


def _national(args: argparse.Namespace) -> int:
    from finsam.core import documents
    from finsam.core.audit import Actor
    from finsam.national import rollup, services
    from finsam.national.files import ExportRefused

    _migrate()
    if args.action == "report":
        try:
            gathered = rollup.gathered(args.date)
        except documents.ReportUnavailable as error:
            raise CommandError(str(error)) from None
        _write(documents.render(gathered, args.format), gathered.document.filename, args.format, args.output)
        return 0
    refused = 0
    for path in args.files:
        try:
            received = services.receive(path, Actor.command("national import"))
        except ExportRefused as error:
            print(f"finsam: {path}: tas inte emot: {error}", file=sys.stderr)
            refused += 1
            continue
        print(f"{path}: {received.summary()}")
        if received.outcome == "registered":
            print(f"  nyckelns fingeravtryck: {received.fingerprint}")
            print("  bekräfta fingeravtrycket med förbundet på annat sätt än via filen")
    return 1 if refused else 0


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

    if not path.is_file():
        raise CommandError(f"filen {path} finns inte")
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
    written = build.write_reports(Path(settings.REPORTS_DIR))
    print("Demoförbund:", ", ".join(a.name for a in result.associations))
    print("Rapporter:")
    for path in written:
        print(f"  {path}")
    print("Demoinloggningar (lösenord: demo):")
    for username, description in build.logins():
        print(f"  {username:<12} {description}")
    if args.no_serve:
        print("Webbappen startas med: finsam serve (eller finsam demo utan --no-serve)")
        return 0
    # The demo's imports and report files are jobs: its own worker runs beside the server, and stops with it.
    worker = subprocess.Popen(
        [sys.executable, "-m", "finsam", "--data-dir", str(settings.DATA_DIR), "worker"],
        env={**os.environ, "FINSAM_ENV": settings.FINSAM_ENV},
    )
    try:
        _serve("127.0.0.1", args.port, None)  # the address is printed once the server listens
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
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
    with swedish():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        _django(args.data_dir, environment="demo" if args.command == "demo" else None)
        if args.command == "manage":
            from django.core.management import execute_from_command_line

            execute_from_command_line(["finsam manage", *args.args])
            return 0
        if args.command == "serve":
            _migrate()
            _serve(args.host, args.port, args.workers)
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
        if args.command == "national":
            return _national(args)
        if args.command in ("backup", "restore"):
            return _backup(args)
        return _demo(args)
    except CommandError as error:
        print(f"finsam: {error}", file=sys.stderr)
        return 1
