"""Benchmark: the office's start page against a plain page, on the production server, 20 clients at once.

Run on demand (not a test):

    .venv/bin/python bench/start_page.py [--clients 20] [--seconds 10] [--rounds 3] [--workers 2] [--dir DIR]
        [--databases sqlite postgresql]

On each database in turn (SQLite, then PostgreSQL 15 in a throwaway cluster on loopback, started as the test
suite starts one) it builds the demo in a fresh data dir (for SQLite a temporary one unless ``--dir`` names
one that holds it already), starts ``finsam serve`` on a loopback port (as ``finsam demo`` serves it:
debugging off, the demo's today) and logs ``--clients`` clients in as the demo's office administrator
(``kansli``). Then, in ``--rounds`` rounds of ``--seconds`` per page, every client asks for one page after the
other with no pause: the public catalogue (the reference: a plain page of a few queries, the same server, the
same clients), then Finnveden's start page (the ledger's figures to the last booked day against the budget,
the cost chart, what needs attention, the reports, the recent changes). The pages take turns so that other
load on the machine weighs on both alike. It prints each page's requests per second, p50 and p95, and ends
with

    RESULT start_page_rps <requests/s>
    RESULT plain_page_rps <requests/s>
    RESULT start_page_vs_plain <ratio>

and the same three with the suffix ``_postgresql``. The target (issue 17) is a ratio of at least 0.5. The
clients run in this process (threads, one connection per request), so they share the machine's cores with the
server as a browser on the same host would.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from finsam.conftest import free_port  # noqa: E402
from finsam.core.tests.loadclient import Client, Tally, wait_until_up  # noqa: E402
from sie_import import throwaway_postgresql  # noqa: E402

PLAIN = "/katalog/"
START = "/f/finnveden/"


def hammer(clients: list[Client], path: str, seconds: float) -> Tally:
    """Every client asks for the page again and again for the given time; the tally of every request."""
    tally = Tally()
    stop = threading.Event()

    def run(client: Client) -> None:
        while not stop.is_set():
            started = time.monotonic()
            status = client.request(path).status
            tally.add((time.monotonic() - started) * 1000, status != 200)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return tally


def report(name: str, tally: Tally, seconds: float) -> float:
    rate = tally.count() / seconds
    print(
        f"  {name:<28} {rate:7.1f} requests/s   p50 {tally.percentile(50):6.0f} ms   "
        f"p95 {tally.percentile(95):6.0f} ms   errors {tally.errors()}",
        flush=True,
    )
    if tally.errors():
        raise SystemExit(f"{name}: {tally.errors()} requests failed")
    return rate


def measure(env: dict[str, str], args: argparse.Namespace) -> tuple[float, float]:
    """Serve the data dir of ``env`` and hammer the two pages in turns: (plain page's rate, start page's)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "finsam", "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env | {"FINSAM_ENV": "demo"},  # as the demo is served: no debugging, the demo's today
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + PLAIN, 120)
        clients = [Client(base) for _ in range(args.clients)]
        for client in clients:
            client.log_in("kansli", "demo")
        for path in (PLAIN, START):  # each page once before timing: imports, caches, connections
            clients[0].request(path)
        print(
            f"  {args.clients} clients, {args.rounds} rounds of {args.seconds:.0f} s per page, "
            f"{args.workers} server workers:"
        )
        tallies: dict[str, Tally] = {PLAIN: Tally(), START: Tally()}
        for _round in range(args.rounds):
            for path, tally in tallies.items():
                tally.merge(hammer(clients, path, args.seconds))
        seconds = args.seconds * args.rounds
        return (
            report(f"plain page {PLAIN}", tallies[PLAIN], seconds),
            report(f"start page {START}", tallies[START], seconds),
        )
    finally:
        server.terminate()
        server.wait(30)


def build_demo(env: dict[str, str]) -> None:
    print(f"  building the demo in {env['FINSAM_DATA_DIR']} …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "finsam", "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="the server's worker processes")
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--dir", type=Path, help="where the SQLite demo is kept between runs (built once)")
    args = parser.parse_args()

    folder = args.dir or Path(tempfile.mkdtemp(prefix="finsam-start-bench-"))
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FINSAM_ENV")}
    base |= {"PYTHONPATH": str(SRC), "FINSAM_LOG_LEVEL": "WARNING"}
    results: dict[str, tuple[float, float]] = {}
    for database in args.databases:
        print(f"{database}:", flush=True)
        env = base | {"FINSAM_DATA_DIR": str(folder / database)}
        if database == "sqlite":
            if not (folder / database / "finsam.sqlite3").exists():
                build_demo(env)
            results[database] = measure(env, args)
        else:
            with tempfile.TemporaryDirectory(prefix="finsam-start-bench-pg-") as work:
                Path(work).chmod(0o755)  # the cluster runs as the user postgres
                with throwaway_postgresql(Path(work)) as url:
                    env |= {"DATABASE_URL": url}
                    build_demo(env)
                    results[database] = measure(env, args)
    for database, (plain, start) in results.items():
        suffix = "" if database == "sqlite" else f"_{database}"
        print(f"RESULT start_page_rps{suffix} {start:.1f}")
        print(f"RESULT plain_page_rps{suffix} {plain:.1f}")
        print(f"RESULT start_page_vs_plain{suffix} {start / plain:.2f}")


if __name__ == "__main__":
    main()
