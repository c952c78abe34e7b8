"""Settings shared by every environment. Values that differ per deployment come from environment variables
(documented in the README); each environment module (dev, test, prod) sets only what differs."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (os.environ.get(name) or default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "guardian",
    "pgtrigger",
    "pghistory",
    "csp",
    "django_fsm",
    "govuk_frontend_django",
    "scr_portal",
    "scr_portal.clock",
    "scr_portal.documents",
    "scr_portal.audit",
    "referrals",
    "reviews",
    "imr",
    "portal_site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "scr_portal.pagecache.PageCacheMiddleware",
    "scr_portal.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "scr_portal.middleware.SecondFactorRequiredMiddleware",
    "scr_portal.middleware.CurrentBoardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "scr_portal.audit.middleware.AccessLogMiddleware",
]

# Triggers (the access log's append-only guard, the change-history triggers on other apps' models) are
# installed by `migrate` rather than written into each tracked app's migrations (docs/adr/0005).
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True

ROOT_URLCONF = "portal_site.urls"
WSGI_APPLICATION = "scr_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "scr_portal.context_processors.portal",
            ],
            # {% table_head %} and the other GOV.UK pieces, on every page without a {% load %}.
            "builtins": ["scr_portal.templatetags.govuk"],
        },
    },
]
FORM_RENDERER = "scr_portal.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / '.cache' / 'db.sqlite3'}"), conn_max_age=60
    )
}
# Two database roles on PostgreSQL (docs/security.md, "Database roles"): DATABASE_URL is the runtime role
# that web, worker and beat connect as (owns nothing, not a superuser); DATABASE_OWNER_URL is the role that
# owns the tables, and only `migrate` (scr_portal/management/commands/migrate.py) and the test suite's
# database set-up connect as it, by swapping the credentials of the same "default" connection
# (scr_portal/db_roles.py). It must name the same database, host and port. Unset (the SQLite demo, a
# single-role development database): one role does everything, as before.
_OWNER = dj_database_url.parse(env("DATABASE_OWNER_URL")) if env("DATABASE_OWNER_URL") else None
DATABASE_OWNER = {"USER": _OWNER["USER"], "PASSWORD": _OWNER.get("PASSWORD", "")} if _OWNER else None
DATABASE_RUNTIME_ROLE = DATABASES["default"].get("USER", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Change history (django-pghistory) and the access log's append-only guard are PostgreSQL triggers. The
# embedded demo on SQLite runs without them (its banner says so): pghistory's middleware asks the
# connection for PostgreSQL's transaction status and would fail every write there.
CHANGE_HISTORY_ENABLED = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if not CHANGE_HISTORY_ENABLED:
    MIDDLEWARE.remove("pghistory.middleware.HistoryMiddleware")

AUTH_USER_MODEL = "scr_portal.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Sign-in: email and password, no self-registration (accounts are created by the business unit).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "scr_portal.adapters.PortalAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
# Lockout after failed sign-ins is django-axes' job (below, per account); allauth's own counter would hide
# its page. allauth's per-address limit on sign-ins stays as a brake on a flood from one address, but high
# enough that a whole office behind one NAT address is never refused (allauth's default, 30 a minute, is
# not): SIGN_IN_LIMIT_PER_ADDRESS sign-ins a minute from one IP address (docs/security.md, "Sign-in limits").
SIGN_IN_LIMIT_PER_ADDRESS = env_int("SIGN_IN_LIMIT_PER_ADDRESS", 300)
ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": f"{SIGN_IN_LIMIT_PER_ADDRESS}/m/ip"}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 15 * 60
ACCOUNT_FORMS = {
    "login": "scr_portal.auth_forms.LoginForm",
    "reset_password": "scr_portal.auth_forms.ResetPasswordForm",
    "reset_password_from_key": "scr_portal.auth_forms.ResetPasswordKeyForm",
    "change_password": "scr_portal.auth_forms.ChangePasswordForm",
}
MFA_FORMS = {
    "authenticate": "scr_portal.auth_forms.AuthenticateForm",
    "reauthenticate": "scr_portal.auth_forms.ReauthenticateForm",
    "activate_totp": "scr_portal.auth_forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Serious Case Review portal"
# Every account must have an authenticator app in production; the demo run may switch this off, and then
# every page says so in a banner.
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
# Benchmark only: the signed-in "floor" page of `make bench` (scr_portal.views.bench_floor).
BENCH_FLOOR_ENABLED = env_bool("BENCH_FLOOR_ENABLED", False)

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
# Lock the account being tried from the address trying it, so one office's shared address cannot lock out
# every colleague.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "scr_portal.lockout.username_from_request"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Idle timeout: the session expires after this many seconds without a request. Its expiry moves at most
# once a minute (scr_portal.middleware.IdleSessionMiddleware), not with a write on every request.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".cache" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".cache" / "media")))
QUARANTINE_ROOT = Path(env("QUARANTINE_ROOT", str(MEDIA_ROOT / "quarantine")))
# ClamAV: clamd's Unix socket, or its host and port. Unset (the demo run) means files are "not scanned".
CLAMAV_SOCKET = env("CLAMAV_SOCKET", "")
CLAMAV_HOST = env("CLAMAV_HOST", "")
CLAMAV_PORT = env_int("CLAMAV_PORT", 3310)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "SCR portal <no-reply@scr-portal.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Folder the dev mailbox page lists (only used with the file-based email backend).
DEV_MAILBOX_DIR = BASE_DIR / ".cache" / "mailbox"
DEV_MAILBOX_ENABLED = False
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# The shared cache (board closure days, allauth's rate limits): Redis when there is one, so every gunicorn
# worker and the Celery worker see the same entries and a change made in one is seen by all.
_CACHE_URL = env("CACHE_URL") or env("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The page cache (scr_portal.pagecache, docs/adr/0010): on only where every process shares the cache, since
# a write in one process must make the pages the others stored stale. In production it has a Redis of its
# own (PAGE_CACHE_URL), which may evict, so pages never fill the broker's, which must not.
_PAGE_CACHE_URL = env("PAGE_CACHE_URL")
if _PAGE_CACHE_URL:
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _PAGE_CACHE_URL}
PAGE_CACHE_ALIAS = "pages" if _PAGE_CACHE_URL else "default"
PAGE_CACHE_ENABLED = env_bool(
    "PAGE_CACHE_ENABLED",
    (_PAGE_CACHE_URL or _CACHE_URL or "").startswith(("redis://", "rediss://", "unix://")),
)
PAGE_CACHE_SECONDS = 300

# Celery: tasks are only sent after the surrounding transaction commits (scr_portal.clock.tasks.
# enqueue_on_commit), and the idempotent sweeps are acknowledged late so a worker that dies mid-run leaves
# them for another.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or env("REDIS_URL") or "redis://127.0.0.1:6379/0"
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    # Redis: a message not acknowledged this many seconds after delivery (its worker was killed) is
    # delivered again. Longer than any task runs, or a slow task would run twice.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Publishing (from a web request, or beat) fails at once when the broker is down instead of retrying
    # for CELERY_BROKER_CONNECTION_TIMEOUT; the caller logs it and the next sweep catches up. Workers
    # reconnect on their own settings (broker_connection_retry), which this does not change.
    "max_retries": 0,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".cache" / "celerybeat-schedule")
# Documents (PDFs) and spreadsheet exports go to a queue of their own, served by a worker at concurrency 1
# with a memory ceiling per child (docker-compose.yml `documents`, `make run`): a 3,000-row chronology
# takes half a minute, and must neither starve the reminder sweep nor run two at once.
DOCUMENTS_QUEUE = "documents"
CELERY_TASK_ROUTES = {
    "scr_portal.documents.tasks.render_document_task": {"queue": DOCUMENTS_QUEUE},
    "imr.tasks.export_chronology_xlsx_task": {"queue": DOCUMENTS_QUEUE},
}
# KiB, for `celery worker --max-memory-per-child` of the documents worker: a child that grew past it is
# replaced after its task (WeasyPrint's memory is not all given back to the system).
DOCUMENTS_WORKER_MAX_MEMORY_KIB = env_int("DOCUMENTS_WORKER_MAX_MEMORY_KIB", 716_800)
# A long table (the integrated chronology) is rendered this many rows at a time and the parts joined into
# one PDF, so a worker's memory is bounded by one part (about 270 MiB for 500 rows), not the whole table.
DOCUMENT_PART_ROWS = env_int("DOCUMENT_PART_ROWS", 500)

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Backups (docs/operations.md "Backups", docs/adr/0008): monitoring is on when the pgBackRest stanza is
# named. The last base backup is read from BACKUP_INFO_FILE (written by the backup service) or from
# pgbackrest itself; the last archived WAL segment from PostgreSQL. Targets for the whole installation.
PGBACKREST_STANZA = env("PGBACKREST_STANZA", "")
BACKUP_INFO_FILE = env("BACKUP_INFO_FILE", "")
BACKUP_MAX_AGE_HOURS = env_int("BACKUP_MAX_AGE_HOURS", 26)
WAL_MAX_AGE_MINUTES = env_int("WAL_MAX_AGE_MINUTES", 5)
