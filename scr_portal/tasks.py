"""The kernel's own Celery tasks, where Celery's autodiscovery looks (`<app>.tasks`): the short notices and
the scanning of uploads. They are written beside the code they serve."""

from .notify import send_notice
from .scanning import scan_file_task, scan_pending_files

__all__ = ["scan_file_task", "scan_pending_files", "send_notice"]
