"""One settings module, read from the environment; bad values stop the start with a clear message.

Environment:
  FINSAM_ENV        production | demo | dev (default dev)
  FINSAM_DATA_DIR   where the embedded SQLite database, keys and written reports live (default ./finsam-data)
  DATABASE_URL      postgres://… to use PostgreSQL instead of the embedded SQLite database
  SECRET_KEY        required in production; generated once into the data dir otherwise
  FINSAM_ALLOWED_HOSTS  comma-separated host names (required in production)
  FINSAM_MAX_UPLOAD_<KIND>_MB  the largest file taken of a kind (SIE, BUDGET, PARTICIPANTS, TEMPLATE,
                    ORGANISATION), in whole MB (docs/decisions/0013-upload-limits.md)
  FINSAM_SMTP_HOST, FINSAM_SMTP_PORT, FINSAM_SMTP_USER, FINSAM_SMTP_PASSWORD_FILE, FINSAM_SMTP_TLS,
  FINSAM_MAIL_FROM, FINSAM_SITE_URL  e-mail notifications (docs/mail.md)
  FINSAM_WEB_WORKERS  worker processes of `finsam serve` (default 2; docs/decisions/0018-web-server.md)
  FINSAM_LOG_FORMAT json | text (default json in production, text otherwise)
  FINSAM_HEALTH_MIN_FREE_MB  free space under which /halsa/ reports the data dir's disk as failing (1024)
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

ENVIRONMENTS = ("production", "demo", "dev")
MEGABYTE = 1024 * 1024


def _env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not valid; expected one of {', '.join(choices)}")
    return value


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not valid; expected a whole number") from None


def _env_bounded(name: str, default: int, low: int, high: int, unit: str = "") -> int:
    """A whole number from the environment, low to high."""
    value = _env_int(name, default)
    if not low <= value <= high:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not valid; expected a whole number{unit} from {low} to {high}"
        )
    return value


def _env_megabytes(name: str, default: int) -> int:
    """A size in whole MB from the environment, as bytes; 1 to 1024 MB."""
    return _env_bounded(name, default, 1, 1024, " of MB") * MEGABYTE


def _secret_file(path: Path) -> str:
    """Read a secret kept in the data dir, creating it (readable by the owner only) on first use."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    value = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value


def _password_file(name: str) -> str:
    """A password read from the file the variable names (never from the variable's own value), or ""."""
    path = os.environ.get(name, "").strip()
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")  # the line end an editor adds
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"{name}={path!r} cannot be read ({type(error).__name__})") from None


def _private_dir(path: Path) -> None:
    """Create the directory readable by its owner only, and tighten it if an older finsam left it open."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = path.stat()
    if status.st_uid == os.getuid() and status.st_mode & 0o077:
        path.chmod(0o700)


# Everything finsam writes (the database and its WAL, keys, spooled uploads, reports, templates) is private to
# the user it runs as, whatever umask it was started with. Set here, because every process of finsam (the
# command, a WSGI server, `django-admin`, the tests) reads these settings before it writes anything.
os.umask(0o077)

FINSAM_ENV = _env_choice("FINSAM_ENV", ENVIRONMENTS, "dev")
PRODUCTION = FINSAM_ENV == "production"
DEMO = FINSAM_ENV == "demo"
# The demo's own today (finsam.core.clock): the day after its data ends, so that its pages read as on that day
# whatever the real date (docs/decisions/0022-the-demos-today.md); the demo's tests check it against its data.
DEMO_TODAY = dt.date(2024, 1, 1)
DEBUG = FINSAM_ENV == "dev" and os.environ.get("FINSAM_DEBUG", "1") == "1"

DATA_DIR = Path(os.environ.get("FINSAM_DATA_DIR") or "finsam-data").resolve()
if DATA_DIR.exists() and not DATA_DIR.is_dir():
    raise ImproperlyConfigured(f"FINSAM_DATA_DIR={DATA_DIR} is a file; expected a directory")
_private_dir(DATA_DIR)  # 0700: what an older finsam wrote inside with looser modes is out of reach too
# Reports written by `finsam demo`, and by `finsam report` in a file format when no --output is given.
REPORTS_DIR = DATA_DIR / "rapporter"

BASE_DIR = Path(__file__).resolve().parent

# Participant data: the secret key of the personnummer pseudonyms lives outside the database (back it up apart
# from it), and counts below the threshold are hidden in outputs that leave an association.
PSEUDONYM_KEY_FILE = Path(os.environ.get("FINSAM_PSEUDONYM_KEY_FILE") or DATA_DIR / "pseudonym-key").resolve()
IDENTITY_KEY_FILE = Path(os.environ.get("FINSAM_IDENTITY_KEY_FILE") or DATA_DIR / "identity-key").resolve()
SUPPRESSION_THRESHOLD = _env_int("FINSAM_SUPPRESSION_THRESHOLD", 5)
# A statement row deviating from its budget by both (kronor, per cent) gets a drafted comment (ADR 0026).
DEVIATION_THRESHOLD_KRONOR = _env_int("FINSAM_DEVIATION_THRESHOLD_KRONOR", 25_000)
DEVIATION_THRESHOLD_PERCENT = _env_int("FINSAM_DEVIATION_THRESHOLD_PERCENT", 10)
# Each association's Ed25519 key that signs its national exports, one file per association (ADR 0028).
NATIONAL_KEY_DIR = Path(os.environ.get("FINSAM_NATIONAL_KEY_DIR") or DATA_DIR / "signeringsnycklar").resolve()
# The largest file taken of each kind, on the web (enforced while the upload streams) and on the command line:
# far above any real association's file, far below what would strain the server (ADR 0013).
UPLOAD_LIMITS = {
    "sie": _env_megabytes("FINSAM_MAX_UPLOAD_SIE_MB", 50),
    "budget": _env_megabytes("FINSAM_MAX_UPLOAD_BUDGET_MB", 2),
    "participants": _env_megabytes("FINSAM_MAX_UPLOAD_PARTICIPANTS_MB", 10),
    "template": _env_megabytes("FINSAM_MAX_UPLOAD_TEMPLATE_MB", 10),
    "organisation": _env_megabytes("FINSAM_MAX_UPLOAD_ORGANISATION_MB", 1),
    "national": _env_megabytes("FINSAM_MAX_UPLOAD_NATIONAL_MB", 2),
}
# Uploads pass a handler that drops what goes beyond the view's limit before Django keeps it anywhere.
FILE_UPLOAD_HANDLERS = [
    "finsam.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# No request body larger than the largest upload and room for the form around it reaches a view
# (core.uploads.RequestBodyLimitMiddleware; gunicorn itself sets no such limit).
MAX_REQUEST_BODY = max(UPLOAD_LIMITS.values()) + MEGABYTE
# Jobs (imports started on the web, report files, e-mail, scheduled erasure) go on a queue in the database
# that `finsam worker` serves (finsam.core.jobs, ADR 0015). The tests run each job at once instead.
JOBS_INLINE = False
Q_CLUSTER = {
    "name": "finsam",
    "orm": "default",  # the queue is a table of the installation's own database, SQLite or PostgreSQL
    "workers": int(os.environ.get("FINSAM_JOB_WORKERS", "1")),
    "timeout": 1800,  # seconds a job may run: a 1 000 000-row SIE file stores in a few minutes
    "retry": 1860,  # a job taken by a worker that died is delivered again after this (or at the next start)
    "max_attempts": 1,  # a job that raised is not run again: it has said why where its users look
    "ack_failures": True,
    "catch_up": False,  # a schedule missed while no worker ran is run once, not once per missed time
    "poll": 1,  # seconds between looks at an empty queue
    "save_limit": 500,
    "recycle": 50,  # a task process is replaced after this many jobs: memory a job leaves behind goes
    "label": "Jobb",
}

# E-mail notifications (docs/mail.md), sent by jobs of the queue (finsam.accounts.notifications). Without an
# SMTP host no mail is sent, except that `dev` prints them on the console.
SMTP_SECURITY = ("starttls", "tls", "none")
SMTP_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
EMAIL_HOST = os.environ.get("FINSAM_SMTP_HOST", "").strip()
_smtp_security = _env_choice("FINSAM_SMTP_TLS", SMTP_SECURITY, "starttls")
EMAIL_PORT = _env_int("FINSAM_SMTP_PORT", SMTP_DEFAULT_PORTS[_smtp_security])
EMAIL_USE_TLS = _smtp_security == "starttls"
EMAIL_USE_SSL = _smtp_security == "tls"
EMAIL_HOST_USER = os.environ.get("FINSAM_SMTP_USER", "").strip()
EMAIL_HOST_PASSWORD = _password_file("FINSAM_SMTP_PASSWORD_FILE")
EMAIL_TIMEOUT = 30  # seconds: a job waits no longer for a silent mail server
if os.environ.get("FINSAM_SMTP_PASSWORD"):
    raise ImproperlyConfigured(
        "FINSAM_SMTP_PASSWORD is not read: put the password in a file and name the file in "
        "FINSAM_SMTP_PASSWORD_FILE"
    )
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif FINSAM_ENV == "dev":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
FINSAM_MAIL = bool(EMAIL_HOST) or FINSAM_ENV == "dev"  # whether notifications are sent at all
DEFAULT_FROM_EMAIL = os.environ.get("FINSAM_MAIL_FROM", "").strip() or "finsam@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = (os.environ.get("FINSAM_SITE_URL", "").strip() or "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"FINSAM_SITE_URL={SITE_URL!r} is not valid; expected https://host[/path]")
if PRODUCTION and EMAIL_HOST:
    for _name in ("FINSAM_MAIL_FROM", "FINSAM_SITE_URL"):
        if not os.environ.get(_name, "").strip():
            raise ImproperlyConfigured(
                f"{_name} must be set when FINSAM_SMTP_HOST is (FINSAM_ENV=production)"
            )

if os.environ.get("SECRET_KEY"):
    SECRET_KEY = os.environ["SECRET_KEY"]
    if PRODUCTION and len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("SECRET_KEY is too short for production; expected at least 40 characters")
elif PRODUCTION:
    raise ImproperlyConfigured("SECRET_KEY must be set when FINSAM_ENV=production")
else:
    SECRET_KEY = _secret_file(DATA_DIR / "secret-key")

_hosts = os.environ.get("FINSAM_ALLOWED_HOSTS", "")
if PRODUCTION and not _hosts:
    raise ImproperlyConfigured("FINSAM_ALLOWED_HOSTS must be set when FINSAM_ENV=production")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith("[")]

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL={_database_url.split('@')[-1]!r} is not valid; expected postgres://…"
        )
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "finsam.sqlite3"),
            # secure_delete: deleted rows are overwritten, not left in free pages (participants' erasure);
            # a 32 MB page cache keeps the ledger's index in memory while an import inserts (ADR 0029).
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA secure_delete=ON; PRAGMA cache_size=-32768;"
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "django_q",
    "finsam.core",
    "finsam.accounts",
    "finsam.organisation",
    "finsam.participants",
    "finsam.finance",
    "finsam.reports",
    "finsam.catalogue",
    "finsam.goals",
    "finsam.start",
    "finsam.national",
]

MIDDLEWARE = [
    "finsam.core.logs.RequestLogMiddleware",
    "finsam.core.uploads.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "finsam.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "finsam.accounts.middleware.RequireTwoFactorMiddleware",
    "finsam.accounts.middleware.RequirePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "finsam.urls"
WSGI_APPLICATION = "finsam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "finsam.core.context_processors.finsam",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): after five failures for a user name from one address, wait an hour.
AXES_FAILURE_LIMIT = _env_int("FINSAM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
# A second count per address alone, whatever the user names tried, locks at FINSAM_ADDRESS_FAILURE_LIMIT
# (higher: an office behind one address shares it); accounts.throttling keeps the two limits apart.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "finsam.accounts.throttling.LoginThrottle"
FINSAM_ADDRESS_FAILURE_LIMIT = 4 * AXES_FAILURE_LIMIT
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor login: required for every user in production, offered (not required) elsewhere.
FINSAM_REQUIRE_2FA = PRODUCTION or os.environ.get("FINSAM_REQUIRE_2FA") == "1"
OTP_TOTP_ISSUER = "finsam"
# New recovery codes, a new authenticator or a new password need the second factor proved this recently
# (accounts.security), as GitHub's "sudo mode" does.
FINSAM_RECENT_VERIFICATION_SECONDS = 10 * 60

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # names under finsam's own host name only, never its parent's
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]  # a load balancer asks the server itself, over plain HTTP
    # The preload list takes a registrable domain (kommun.se), never the host name finsam is served on.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# No inline script and no eval (core.csp); htmx is told not to need them (base.html's htmx-config).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Stockholm"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The web server (`finsam serve`, ADR 0018): its worker processes and the health page's disk threshold.
WEB_WORKERS = _env_bounded("FINSAM_WEB_WORKERS", 2, 1, 64)
HEALTH_MIN_FREE_BYTES = _env_bounded("FINSAM_HEALTH_MIN_FREE_MB", 1024, 0, 1024 * 1024, " of MB") * MEGABYTE

# Logs go to standard error: JSON lines in production (one a request, core.logs), plain text elsewhere.
LOG_FORMAT = _env_choice("FINSAM_LOG_FORMAT", ("json", "text"), "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "finsam.core.logs.JsonFormatter"}, "text": {"format": "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "finsam.requests": {"level": "INFO"},
        # The job worker: its start, each job taken and done (by its function's name; never its arguments).
        "django-q": {"level": "INFO"},
        "finsam.core.jobs": {"level": "INFO"},
        # Without Django's own handlers (its console in debug, mail to admins): one line a record, as above.
        "django": {"handlers": [], "level": "WARNING"},
        # django-axes names the user name tried in its warnings; its lockouts are kept in its tables.
        "axes": {"level": "ERROR"},
        # WeasyPrint warns about font subsetting on every document where Debian lacks libharfbuzz-subset.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
