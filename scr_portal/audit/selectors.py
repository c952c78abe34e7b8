import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from ..models import Board
from .models import AccessLog


def case_access_log(*, obj) -> QuerySet[AccessLog]:
    """Who opened this record: its own pages, and for a referral or review, the pages of its checks, IMRs,
    deadlines and documents are logged against those records (see cases.py), listed here by reference."""
    return AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("user")


def board_access_log(*, board: Board, start: dt.date, end: dt.date) -> QuerySet[AccessLog]:
    return (
        AccessLog.objects.filter(board=board, at__date__gte=start, at__date__lte=end)
        .select_related("content_type")
        .order_by("at", "pk")
    )
