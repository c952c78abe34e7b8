"""The embedded demo run (`make run`): SQLite, a broker on the file system (no server), email written to a
local mailbox folder that /dev/mailbox/ lists."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env, env_bool

DEBUG = env_bool("DEBUG", True)
MFA_REQUIRED = env_bool("MFA_REQUIRED", False)

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(BASE_DIR / ".cache" / "mailbox")
DEV_MAILBOX_DIR = BASE_DIR / ".cache" / "mailbox"
DEV_MAILBOX_ENABLED = True

_broker_dir = BASE_DIR / ".cache" / "broker"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(_broker_dir / "queue"),
    "data_folder_out": str(_broker_dir / "queue"),
    "control_folder": str(_broker_dir / "control"),
    "store_processed": False,
}
for _folder in ("queue", "control"):
    (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
# `make run`: no Redis, but the web server and the Celery worker share a cache in files.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(BASE_DIR / ".cache" / "django-cache"),
    }
}
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
