"""Celery tasks of the IMR app: the integrated chronology's spreadsheet, on the documents queue
(CELERY_TASK_ROUTES). Acknowledged late; a second delivery of a finished job does nothing."""

from celery import shared_task

from . import exports


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def export_chronology_xlsx_task(review_pk: int, token: str) -> str:
    job = exports.load(review_pk, token)
    if job is None:
        return "missing"
    return exports.build(job).status
