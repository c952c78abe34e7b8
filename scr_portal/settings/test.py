"""Test settings: PostgreSQL and Redis from the throwaway servers `make test` starts."""

from .base import *  # noqa: F403
from .base import env, env_int

DEBUG = False
MFA_REQUIRED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# pytest-django swaps in locmem for the test process anyway; the Celery worker that the integration tests
# start reads EMAIL_BACKEND (with EMAIL_HOST and EMAIL_PORT, from base) to send to their SMTP server.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
CELERY_BROKER_URL = env("REDIS_URL", "redis://127.0.0.1:56379/0")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Scanning is off for most tests (files are "not scanned" and released); the scanning tests switch it on
# with the clamd socket the test services export as CLAMAV_SOCKET.
CLAMAV_SOCKET = ""
CLAMAV_HOST = ""
# The browser tests sign in dozens of times a minute from one address; allauth's own rate limits (a cache
# counter per process) would start refusing them. Lockout after failed sign-ins is django-axes' and stays on.
ACCOUNT_RATE_LIMITS = False
# The test process keeps its cache in memory, emptied before each test (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache must be shared with the Celery workers and web servers the integration tests start (a write
# there makes the pages here stale), so it lives in the test Redis; its keys carry the database's name.
if (env("REDIS_URL") or "").startswith(("redis://", "rediss://", "unix://")):
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
    PAGE_CACHE_ALIAS = "pages"
    PAGE_CACHE_ENABLED = True
else:
    PAGE_CACHE_ENABLED = False

# The moved-clock pass of `make test` (.ci/test.sh): "today" is TEST_CLOCK_SHIFT_DAYS ahead in every Python
# process that loads these settings — the test process with its live server, and the web servers and
# Celery workers the integration tests start — so no test can lean on the day it was written. Time goes on
# ticking from there; a test's own time_machine.travel() nests inside it.
TEST_CLOCK_SHIFT_DAYS = env_int("TEST_CLOCK_SHIFT_DAYS", 0)
if TEST_CLOCK_SHIFT_DAYS:
    import datetime as _dt

    import time_machine

    time_machine.travel(
        _dt.datetime.now(_dt.UTC) + _dt.timedelta(days=TEST_CLOCK_SHIFT_DAYS), tick=True
    ).start()
