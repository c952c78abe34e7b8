"""Celery tasks of the document engine, queued with `scr_portal.queue.enqueue_on_commit` after the request
that records the version commits.

Acknowledged late (with the settings' reject-on-worker-lost and prefetch 1): a worker killed halfway
leaves the message for another worker, and `document_render` does nothing to a version already ready,
so a second delivery is harmless."""

import logging

from celery import shared_task

from .rendering import document_render

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def render_document_task(document_id: int) -> str:
    document = document_render(document_id=document_id)
    logger.info("Document %s: %s", document_id, document.status)
    return document.status
