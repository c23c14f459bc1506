"""Logs as JSON lines (settings LOG_FORMAT; docs/decisions/0018-web-server.md).

`RequestLogMiddleware` writes one record a request to the logger `finsam.requests`: the request id (the
proxy's `X-Request-ID` when it is a sane token, else a new one; returned in the response's header), method,
path, status, duration, the user's id and the association's slug. Never personal data: no query string, no
form data, no user name, no survey link's token. `JsonFormatter` writes every record, gunicorn's and
Django's (exceptions with their traceback) included, as one JSON object a line, with the id of the request
it was logged in.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# nginx's $request_id, a UUID, a load balancer's trace id: letters, digits and a few separators.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}")
# A load balancer asks for these every few seconds: logged only when they fail.
QUIET_PATHS = frozenset({"/halsa/"})
# What a URL carries that is not to be written down: a survey link's token lets its holder answer.
SECRET_URL_KWARGS = ("token",)

logger = logging.getLogger("finsam.requests")

_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_PLAIN = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object a record: time, level, logger, message, the request id and the record's plain extras.

    Extras that are not plain values (Django's `request`, whose text holds the query string) are left out.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Django logs a response's error status after the middleware has returned, naming the request.
        request_id = REQUEST_ID.get() or getattr(getattr(record, "request", None), "request_id", None)
        if request_id is not None:
            entry["request_id"] = request_id
        entry.update(
            (key, value)
            for key, value in vars(record).items()
            if key not in _RECORD_FIELDS and isinstance(value, _PLAIN)
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def request_id(header: str) -> str:
    """The proxy's request id when it is a sane token, else a new one."""
    return header if SANE_REQUEST_ID.fullmatch(header) else uuid.uuid4().hex


def logged_path(request: HttpRequest) -> str:
    """The path without its query string, and with a secret the URL carries replaced."""
    path = request.path
    match = request.resolver_match
    for name in SECRET_URL_KWARGS:
        secret = match.kwargs.get(name) if match is not None else None
        if secret:
            path = path.replace(str(secret), f"<{name}>")
    return path


class RequestLogMiddleware:
    """The first middleware: times the whole request and logs it once, with its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id = rid  # type: ignore[attr-defined]
        token = REQUEST_ID.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            if request.path not in QUIET_PATHS or response.status_code >= 400:
                self._log(request, response, time.perf_counter() - started)
            return response
        finally:
            REQUEST_ID.reset(token)

    @staticmethod
    def _log(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
        user = getattr(request, "user", None)  # absent for what WhiteNoise serves before authentication
        association = getattr(request, "association", None)
        path = logged_path(request)
        duration_ms = round(seconds * 1000, 1)
        logger.info(
            "%s %s %s %s ms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "request_id": REQUEST_ID.get(),
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "association": association.slug if association is not None else None,
            },
        )
