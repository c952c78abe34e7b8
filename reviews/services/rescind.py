"""The reviews side of the LSCB Chair rescinding a decision (registered with referrals.decisions in
reviews/apps.py): whether the review the decision set off still allows it, and its removal."""

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from scr_portal.clock.services import deadline_cancel, deadlines_of
from scr_portal.models import AccessLog
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.models.tracking import event_models
from scr_portal.transitions import log_transition

from .. import agency_reports
from ..models import Review, ReviewState

IMRS_COMMISSIONED = "IMRs have been commissioned for {reference}, so the decision can no longer be rescinded."
PLAN_STARTED = "The action plan of {reference} has been started, so the decision can no longer be rescinded."


def review_rescind_blocker(referral) -> str:
    """Why the review set off by the decision on `referral` stops the decision being rescinded, or ""."""
    review = Review.objects.filter(referral=referral).first()
    if review is None:
        return ""
    if review.reached(ReviewState.IMRS_COMMISSIONED) or list(agency_reports.agency_ids(review)):
        return IMRS_COMMISSIONED.format(reference=review.reference)
    if hasattr(review, "action_plan"):
        return PLAN_STARTED.format(reference=review.reference)
    return ""


@transaction.atomic
def review_undo_decision(*, referral, actor, reason: str, now) -> None:
    """Remove the review the rescinded decision set off, on the record: its open deadlines are cancelled
    with the rescinding as reason, a last log row says it was removed, and the rows keyed to it (or to
    its records) by content type — deadlines, transition logs, documents, files — move to the referral,
    so the case keeps them; its change history records the deletion. The referral then has no review, and
    a fresh decision sets one off again."""
    review = Review.objects.select_for_update().filter(referral=referral).first()
    if review is None:
        return
    for deadline in deadlines_of(review).filter(status__in=ACTIVE_STATUSES):
        deadline_cancel(deadline=deadline, actor=actor, reason=reason, now=now)
    log_transition(review, "remove", review.state, actor, reason, to_state="removed")
    _move_keyed_rows(review, to=referral)
    review.delete()


def _move_keyed_rows(review: Review, *, to: models.Model) -> None:
    collector = NestedObjects(using="default")
    collector.collect([review])
    target = ContentType.objects.get_for_model(to)
    # The access log and the change history are append-only: they keep naming the review.
    append_only = {AccessLog, *event_models().values()}
    keyed = [model for model in _content_type_keyed() if model not in append_only]
    for model, objects in collector.data.items():
        content_type = ContentType.objects.get_for_model(model)
        pks = [obj.pk for obj in objects]
        for generic in keyed:
            generic.objects.filter(content_type=content_type, object_id__in=pks).update(
                content_type=target, object_id=to.pk
            )


def _content_type_keyed() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if {"content_type", "object_id"} <= {field.name for field in model._meta.concrete_fields}
        and model._meta.app_label != "admin"
    ]
