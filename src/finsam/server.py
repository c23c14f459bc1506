"""The web app under gunicorn, run in the `finsam` process (docs/decisions/0018-web-server.md).

Never Django's development server. gunicorn's master forks the worker processes from this one, where Django is
already set up; each worker loads `finsam.wsgi`. SIGTERM stops it gracefully: the master stops accepting,
lets requests in flight finish (GRACEFUL_SECONDS at most) and exits 0.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.config import Config
from gunicorn.glogging import Logger

THREADS = 4  # per worker process: pages wait on the database and on rendering, not on the CPU
TIMEOUT_SECONDS = 60  # a worker whose main loop is silent this long is restarted
GRACEFUL_SECONDS = 30  # what a request in flight has to finish after SIGTERM


class ServerLog(Logger):
    """gunicorn's own messages go through Django's LOGGING (JSON lines in production); no access log, the
    request log of `finsam.core.logs` is the one."""

    def setup(self, cfg: Config) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in list(log.handlers):
                log.removeHandler(handler)
        self.error_log.propagate = True


def options(host: str, port: int, workers: int) -> dict[str, Any]:
    """gunicorn's settings for `finsam serve`."""
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def ready(arbiter: Arbiter) -> None:
        """Said once the socket listens, so that the address printed is one that answers."""
        print(f"finsam körs på http://{address}/  (avsluta med Ctrl+C)", flush=True)

    return {
        "bind": [address],
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS,
        "timeout": TIMEOUT_SECONDS,
        "graceful_timeout": GRACEFUL_SECONDS,
        "keepalive": 5,
        # A worker is replaced after so many requests, gracefully: memory rendering leaves behind goes too.
        # Not much more often: a new worker computes the start page's figures again for its own cache.
        "max_requests": 20000,
        "max_requests_jitter": 2000,
        # Whether a request came over HTTPS is Django's to decide (settings: X-Forwarded-Proto is trusted in
        # production only), never gunicorn's own reading of the proxy's headers.
        "secure_scheme_headers": {},
        "accesslog": None,
        "logger_class": ServerLog,
        "proc_name": "finsam",
        # The control socket would be one per user's home, shared by every server that user runs.
        "control_socket_disable": True,
        "when_ready": ready,
    }


class Server(BaseApplication):
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.settings.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from finsam.wsgi import application

        return application


def run(host: str, port: int, workers: int) -> None:
    """Serve until stopped; the workers are forked from here, so no database connection may stay open."""
    connections.close_all()
    Server(options(host, port, workers)).run()
