"""Where stored files live on disk: private, outside the web root, under a random name. Shared by uploads
(which write them) and scanning (which reads and quarantines them)."""

from pathlib import Path

from django.conf import settings


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "files"


def file_path(stored) -> Path:
    return storage_root() / stored.stored_name[:2] / stored.stored_name
