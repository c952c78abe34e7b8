"""Short "something needs your attention" emails (a referral to process, a request to answer). They carry
a case reference and a link, never a name (domain brief §8 item 3). Sent by a Celery task queued after the
transaction commits; if the broker is down the request still succeeds and the loss is logged."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from .queue import enqueue_on_commit

FOOTER = (
    "\n\nSign in to the Serious Case Review portal to see the details:\n{link}\n\n"
    "This email has no case details on purpose. Do not reply to it."
)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notice(recipients: list[str], subject: str, body: str, path: str) -> int:
    link = f"{settings.PORTAL_BASE_URL}{path}"
    return send_mail(subject, body + FOOTER.format(link=link), None, recipients)


def notify_on_commit(users, *, subject: str, body: str, path: str) -> None:
    recipients = sorted({user.email for user in users if user.is_active and user.email})
    if recipients:
        enqueue_on_commit(send_notice, recipients, subject, body, path)
