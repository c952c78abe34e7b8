import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def heartbeat() -> str:
    """Proves the worker and beat run: records when the last beat was handled."""
    now = timezone.now().isoformat()
    cache.set("celery-heartbeat", now, timeout=None)
    logger.info("celery heartbeat")
    return now
