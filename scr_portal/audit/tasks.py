"""The monthly retention sweep: tells each board's business manager how many cases are due for
destruction. It only lists; destruction needs the manager's approval case by case. The email carries a
count and a link, never a name (domain brief §8.3)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from ..models import Board, Membership, Role
from .retention import retention_due


@shared_task(acks_late=True)
def retention_due_task() -> dict[str, int]:
    today = timezone.localdate()
    counts = {}
    for board in Board.objects.order_by("pk"):
        due = [case for case in retention_due(board=board, today=today) if not case.on_hold]
        counts[board.short_name] = len(due)
        if not due:
            continue
        recipients = list(
            Membership.objects.filter(board=board, role=Role.BUSINESS_MANAGER, user__is_active=True)
            .values_list("user__email", flat=True)
            .distinct()
        )
        link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("board_retention", args=[board.pk])
        send_mail(
            f"{board.short_name}: {len(due)} case(s) due for destruction",
            f"{len(due)} case(s) of {board.name} have reached the end of their retention period and await "
            f"your decision.\n\nReview them at {link}",
            None,
            recipients,
        )
    return counts
