"""Helpers every reviews service shares: the clock, the review's row lock and short notices sent after
commit. The transition recipe and the people look-ups are the kernel's (scr_portal.transitions, .people)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from scr_portal.clock.services import deadline_meet_for, deadline_open
from scr_portal.notify import notify_on_commit
from scr_portal.people import business_unit
from scr_portal.transitions import lock

from ..frameworks import review_rules
from ..models import Review
from ..permissions import require

CANNOT_NOW = "That cannot be done at this stage of the review."
COMMENT_REQUIRED = "Enter your comment."
REVIEW_CLOSED = "The review is closed."


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def locked(review: Review) -> Review:
    """The review row, locked for the rest of the transaction: two people acting at once are serialised
    and the second sees the state the first left."""
    return lock(review, "board")


def notify(users, review: Review, subject: str, body: str) -> None:
    """A notice with the review's reference and a link, never a name (domain brief §8 item 3)."""
    notify_on_commit(
        users, subject=f"[{review.reference}] {subject}", body=body, path=f"/reviews/{review.pk}/"
    )


def save_record(model, record, values: dict, **scope):
    """Create a record of `model` with `values` under `scope` (its review, its plan), or lock the one given,
    within `scope`, and set `values` on it: (the record, whether it is new)."""
    if record is None:
        return model.objects.create(**scope, **values), True
    record = model.objects.select_for_update().get(pk=record.pk, **scope)
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    return record, False


def open_deadline(
    review: Review, rule_code: str, *, trigger_at, now, responsible_users=None, subject=None, **more
):
    """Open one of the review's deadlines, filed under its reference: the business unit answers for it
    unless `responsible_users` says who does. `subject` is the review unless a part of it (an action)."""
    return deadline_open(
        board=review.board,
        subject=review if subject is None else subject,
        rule_code=rule_code,
        trigger_at=trigger_at,
        case_reference=review.reference,
        review_framework=review.review_framework,
        responsible_users=business_unit(review.board) if responsible_users is None else responsible_users,
        now=now,
        **more,
    )


def add_comment(comment_model, version, actor, text: str, now, refusal=lambda version: ""):
    """A panel member's comment on a version of the terms of reference or of a report; `refusal(version)`
    says why the version takes no more comments, if it does not."""
    version = type(version).objects.select_related("review__board").get(pk=version.pk)
    require(actor, version.review, "comment")
    if refusal(version):
        raise ValidationError(refusal(version))
    if not text.strip():
        raise ValidationError({"text": COMMENT_REQUIRED})
    return comment_model.objects.create(version=version, author=actor, text=text.strip(), at=now_or(now))


def meet_completion(review: Review, transition: str, *, actor, at) -> None:
    """Meet the review's report deadline where `transition` is what meets it in its framework: the
    submission to Ofsted for a serious case review, the partners' agreement under England 2023."""
    rules = review_rules(review)
    if rules.completion_met_by == transition:
        deadline_meet_for(subject=review, rule_code=rules.completion_rule, actor=actor, at=at)
