"""Benchmark: the five demo roles on their main pages at national scale, on the production server.

Run on demand (not a test):

    .venv/bin/python bench/web_load.py [--dir DIR] [--episodes 600000] [--rows 4000000] [--users 20]
                                       [--think 1.0] [--seconds 30] [--rounds 3] [--workers 2]

It builds, once, in ``--dir`` (a temporary folder unless named; a second run with the same folder starts at
once): the demo (``finsam demo --no-serve``), then ``bench/national_data.py``'s national-scale dataset around
it: ``--episodes`` participant episodes over 80 associations (Finnveden and Södra Vätterbygden, where the demo
users hold their roles, the two largest; 78 generated ones), and ``--rows`` ledger rows over the same 80 and
the ten years 2014–2023, each year an SIE 4 file imported through the import service. The demo's own years are
imported again with vouchers added in pairs that cancel, so that its figures stay the seeds'.

Then it starts ``finsam serve`` (gunicorn, ``--workers`` processes, demo mode: the demo's today) and logs in
``--users`` users, the five demo roles in turn (``kansli``, ``ekonom``, ``registrator``, ``styrelse``,
``dataskydd``, password ``demo``). Each reads her main pages (her start page and the pages it links to) one
after the other with ``--think`` seconds between pages. The reference is the same users reading the public
catalogue (a plain page of a few queries) with the same think time on the same server; the two loads take
turns in ``--rounds`` rounds of ``--seconds`` each, so that other work on the machine weighs on both alike.
It prints p50 and p95 per role and the slowest pages, and ends with

    RESULT web_p95_ms <ms>           the main pages' 95th percentile
    RESULT web_p50_ms <ms>
    RESULT web_plain_p95_ms <ms>     the plain page's, under the same load
    RESULT web_requests <count>
    RESULT web_errors <count>        answers of 500 or above, or none

The target (issue 17) is a p95 under 150 ms with no errors. The server's request log goes to DIR/server.log.
With ``DATABASE_URL=postgres://…`` the dataset goes into that database instead (it must be empty the first
time: the demo migrates it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

import national_data  # noqa: E402
from finsam.conftest import free_port  # noqa: E402
from finsam.core.tests.loadclient import FAILED, LINK, Client, Tally, wait_until_up  # noqa: E402

ROLES = ("kansli", "ekonom", "registrator", "styrelse", "dataskydd")
PLAIN = "/katalog/"
HOME = "/f/finnveden/"  # every role's start page in the largest association, where all five hold a role
YEARS = range(2014, 2024)  # ten years to the demo's today, 1 January 2024
DEMO_LEDGERS = SRC / "finsam" / "demo" / "data" / "sie"
BUILT = "web_load.json"  # in the data dir once the dataset is built: its sizes


def build(folder: Path, env: dict[str, str], episodes: int, rows: int) -> None:
    """The demo, then the national dataset around it, in `folder` (or DATABASE_URL's database)."""
    started = time.perf_counter()
    print(f"building the demo in {folder} …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "finsam", "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    import django

    django.setup()
    from finsam.organisation.models import Association

    demo = [Association.objects.get(slug="finnveden"), Association.objects.get(slug="sodra-vatterbygden")]
    associations = national_data.build_episodes(episodes, YEARS, first=demo)

    def own_files(association: Association) -> dict[int, Path]:
        return {int(p.stem.rsplit("-", 1)[1]): p for p in DEMO_LEDGERS.glob(f"{association.slug}-*.se")}

    ledger_rows = national_data.build_ledgers(rows, associations, YEARS, folder / "bench-sie", own_files)
    seconds = round(time.perf_counter() - started)
    (folder / BUILT).write_text(
        json.dumps({"episodes": episodes, "ledger_rows": ledger_rows, "build_seconds": seconds}),
        encoding="utf-8",
    )
    print(f"built in {seconds} s", flush=True)


class Load:
    """Every request's duration by role and by page, from many threads."""

    def __init__(self) -> None:
        self.all = Tally()
        self.by_role: dict[str, Tally] = defaultdict(Tally)
        self.by_page: dict[str, Tally] = defaultdict(Tally)
        self.failed: list[str] = []

    def add(self, role: str, path: str, milliseconds: float, status: int) -> None:
        failed = status >= 500
        self.all.add(milliseconds, failed)
        self.by_role[role].add(milliseconds, failed)
        self.by_page[f"{role} {path}"].add(milliseconds, failed)
        if failed:
            self.failed.append(f"{role} {path} {status}")


def run(users: list[tuple[str, Client]], plain: bool, seconds: float, think: float, load: Load) -> None:
    """Every user reads her pages (or the plain page) in turn, `think` seconds apart, for `seconds`."""
    stop = threading.Event()

    def browse(role: str, client: Client, offset: int) -> None:
        turn = offset
        while not stop.is_set():
            path = PLAIN if plain else client.pages[turn % len(client.pages)]
            turn += 1
            started = time.monotonic()
            try:
                status = client.request(path).status
            except FAILED:
                status = 599
            load.add(role, path, (time.monotonic() - started) * 1000, status)
            stop.wait(think)

    threads = [
        threading.Thread(target=browse, args=(role, client, index))
        for index, (role, client) in enumerate(users)
    ]
    for thread in threads:
        thread.start()
        time.sleep(think / len(threads))  # the users arrive spread over one think time
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()


def main_pages(client: Client) -> list[str]:
    """The user's main pages: the page after login and her start page in the largest association, and the
    pages they link to."""
    links = set(LINK.findall(client.request("/").body)) | set(LINK.findall(client.request(HOME).body))
    return ["/", *sorted(links - {"/konto/logga-ut/"})]


def line(name: str, tally: Tally) -> str:
    return (
        f"  {name:<48} {tally.count():6d} requests   p50 {tally.percentile(50):6.0f} ms   "
        f"p95 {tally.percentile(95):6.0f} ms   errors {tally.errors()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dir", type=Path, help="a data dir that holds the dataset already, or where to build it"
    )
    parser.add_argument("--episodes", type=int, default=600_000)
    parser.add_argument("--rows", type=int, default=4_000_000, help="ledger rows")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between one user's pages")
    parser.add_argument("--seconds", type=float, default=30.0, help="per load and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="the server's worker processes")
    parser.add_argument("--slowest", type=int, default=12, help="pages to list, slowest p95 first")
    args = parser.parse_args()

    folder = args.dir or Path(tempfile.mkdtemp(prefix="finsam-web-load-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "FINSAM_ENV"}
    env |= {"FINSAM_DATA_DIR": str(folder), "PYTHONPATH": str(SRC), "FINSAM_LOG_LEVEL": "WARNING"}
    if not (folder / BUILT).exists():
        build(folder, env, args.episodes, args.rows)
    built = json.loads((folder / BUILT).read_text(encoding="utf-8"))
    print(
        f"dataset: {built['episodes']:,} episodes, {built['ledger_rows']:,} ledger rows, 80 associations "
        f"(built in {built['build_seconds']} s)".replace(",", " "),
        flush=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "finsam", "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env | {"FINSAM_ENV": "demo"},
        stdout=subprocess.DEVNULL,
        stderr=os.open(folder / "server.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + PLAIN, 120)
        users = [(ROLES[i % len(ROLES)], Client(base)) for i in range(args.users)]
        for role, client in users:
            client.log_in(role, "demo")
            client.pages = main_pages(client)
        for _role, client in users[: len(ROLES)]:  # each page once first: imports, caches, connections
            for path in client.pages:
                client.request(path)
        print(
            f"{args.users} users, {args.think:g} s between pages, {args.rounds} rounds of {args.seconds:g} s "
            f"per load, {args.workers} server workers:",
            flush=True,
        )
        read, plain = Load(), Load()
        for _round in range(args.rounds):
            run(users, False, args.seconds, args.think, read)
            run(users, True, args.seconds, args.think, plain)
    finally:
        server.terminate()
        server.wait(60)
    for role in ROLES:
        print(line(f"{role}: her main pages", read.by_role[role]))
    print(line("all main pages", read.all))
    print(line(f"reference: the plain page {PLAIN}", plain.all))
    print("slowest pages (p95):")
    slowest = sorted(read.by_page.items(), key=lambda item: -item[1].percentile(95))
    for name, tally in slowest[: args.slowest]:
        print(line(name, tally))
    for failure in sorted(set(read.failed + plain.failed)):
        print(f"  failed: {failure}")
    print(f"Data dir: {folder}")
    print(f"RESULT web_p95_ms {read.all.percentile(95):.0f}")
    print(f"RESULT web_p50_ms {read.all.percentile(50):.0f}")
    print(f"RESULT web_plain_p95_ms {plain.all.percentile(95):.0f}")
    print(f"RESULT web_requests {read.all.count()}")
    print(f"RESULT web_errors {read.all.errors() + plain.all.errors()}")


if __name__ == "__main__":
    main()
