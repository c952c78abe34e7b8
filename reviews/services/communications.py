"""The review's communications plan (Solihull §16.1, App 9): the plan itself and what each audience is told.
The business unit keeps it, as it keeps the review's other records; every change is logged on the review.
Dates are checked against publication: inspectorates and the family are briefed before it, press releases go
out on the day, and an embargo lasts until it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from scr_portal.services import blank, refuse_problems
from scr_portal.transitions import log_transition
from scr_portal.viewhelpers import long_date

from ..models import Audience, CommunicationItem, CommunicationsPlan, Review, Timing
from ..permissions import require
from ._common import REVIEW_CLOSED, locked, now_or, save_record

OWNER_REQUIRED = "Enter the name of the person responsible for the plan."
NO_PLAN = "Set up the communications plan first: name the person responsible for it."
AUDIENCE_REQUIRED = "Select the audience."
AUDIENCE_DETAIL_REQUIRED = "Say who the audience is."
MESSAGE_REQUIRED = "Enter what this audience is told."
DELIVERED_BY_REQUIRED = "Enter who tells them."
METHOD_REQUIRED = "Enter how they are told, for example a meeting, a letter or a press release."
TIMING_REQUIRED = "Select when they are told, against publication."
BEFORE_DECISION = "{label} cannot be {day}: that is before the decision to hold the review on {decided}."
EMBARGO_BEFORE_PUBLICATION = (
    "The embargo cannot end on {day}: that is before the review is published on {published}. The press "
    "must not report the review before the board publishes it."
)
NOT_BEFORE_PUBLICATION = (
    "This audience is told before publication, so the date must be before the review is published on "
    "{published}: {day} is not."
)
NOT_ON_PUBLICATION = (
    "This audience is told on the day of publication, so the date must be {published}: {day} is not."
)
NOT_AFTER_PUBLICATION = (
    "This audience is told after publication, so the date must be after the review is published on "
    "{published}: {day} is not."
)
ITEMS_OUT_OF_ORDER = (
    "The review cannot be published on {published}: these audiences are planned on dates that would no "
    "longer fit it: {items}. Change their dates first."
)
DONE_BEFORE_DECISION = (
    "The date they were told cannot be before the decision to hold the review on {decided}."
)

# When a communication must fall against the publication date, and what is said when it does not.
TIMING_RULES = {
    Timing.BEFORE: (lambda day, published: day < published, NOT_BEFORE_PUBLICATION),
    Timing.ON: (lambda day, published: day == published, NOT_ON_PUBLICATION),
    Timing.AFTER: (lambda day, published: day > published, NOT_AFTER_PUBLICATION),
}

PLAN_TEXTS = (
    "owner_name",
    "owner_post",
    "media_lead",
    "press_contact",
    "key_messages",
    "holding_statement",
    "channels",
    "family_support",
    "resources",
    "debriefing",
    "media_training",
)
PLAN_FIELDS = (*PLAN_TEXTS, "planned_publication_on", "embargo_until")
ITEM_TEXTS = ("audience_detail", "message", "delivered_by", "method")
ITEM_FIELDS = ("audience", *ITEM_TEXTS, "timing", "due_on", "done_on")


def _open_for(actor, review: Review) -> Review:
    review = locked(review)
    require(actor, review, "run")
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    return review


def _dated(day: dt.date | None, review: Review, label: str) -> str | None:
    if day and day < review.decision_date:
        return BEFORE_DECISION.format(
            label=label, day=long_date(day), decided=long_date(review.decision_date)
        )
    return None


def timing_problem(timing: str, day: dt.date | None, published: dt.date | None) -> str | None:
    """Why `day` does not fit `timing` against the publication date, if it does not."""
    if day is None or published is None or timing not in TIMING_RULES:
        return None
    fits, message = TIMING_RULES[timing]
    return (
        None if fits(day, published) else message.format(published=long_date(published), day=long_date(day))
    )


def _published_on(review: Review, planned: dt.date | None) -> dt.date | None:
    publication = getattr(review, "publication", None)
    return publication.published_on if publication else planned


@transaction.atomic
def communications_plan_save(*, review: Review, actor, now=None, **fields) -> CommunicationsPlan:
    """Set up or change the plan: its owner, media lead, dates and the App 9 headings. A new publication date
    must still fit every audience already planned against it."""
    now = now_or(now)
    review = _open_for(actor, review)
    data = {name: (fields.get(name) or "").strip() for name in PLAN_TEXTS}
    planned, embargo = fields.get("planned_publication_on"), fields.get("embargo_until")
    published = _published_on(review, planned)
    plan = CommunicationsPlan.objects.select_for_update().filter(review=review).first()
    misfits = [
        item.audience_label
        for item in (plan.items.all() if plan else [])
        if timing_problem(item.timing, item.due_on, published)
    ]
    refuse_problems(
        {
            "owner_name": blank(data["owner_name"], OWNER_REQUIRED),
            "planned_publication_on": _dated(planned, review, "The planned publication date")
            or (
                ITEMS_OUT_OF_ORDER.format(published=long_date(published), items="; ".join(misfits))
                if misfits
                else None
            ),
            "embargo_until": _dated(embargo, review, "The end of the embargo")
            or (
                EMBARGO_BEFORE_PUBLICATION.format(day=long_date(embargo), published=long_date(published))
                if embargo and published and embargo < published
                else None
            ),
        }
    )
    values = {**data, "planned_publication_on": planned, "embargo_until": embargo}
    values |= {"recorded_by": actor, "recorded_at": now}
    plan, new = save_record(CommunicationsPlan, plan, values, review=review)
    what = "set up" if new else "changed"
    log_transition(review, "communications_plan", review.state, actor, f"Communications plan {what}")
    return plan


@transaction.atomic
def communication_item_save(
    *, review: Review, actor, item: CommunicationItem | None = None, now=None, **fields
) -> CommunicationItem:
    """Add or change what one audience is told, by whom, how and when (App 9: audiences and stakeholders,
    channels, roles; §16.1.3: inspectorates briefed before publication)."""
    now = now_or(now)
    review = _open_for(actor, review)
    plan = CommunicationsPlan.objects.filter(review=review).first()
    if plan is None:
        raise ValidationError(NO_PLAN)
    data = {name: (fields.get(name) or "").strip() for name in ITEM_TEXTS}
    audience, timing = fields.get("audience") or "", fields.get("timing") or ""
    due_on, done_on = fields.get("due_on"), fields.get("done_on")
    published = _published_on(review, plan.planned_publication_on)
    refuse_problems(
        {
            "audience": None if audience in Audience.values else AUDIENCE_REQUIRED,
            "audience_detail": blank(data["audience_detail"], AUDIENCE_DETAIL_REQUIRED)
            if audience == Audience.OTHER
            else None,
            "message": blank(data["message"], MESSAGE_REQUIRED),
            "delivered_by": blank(data["delivered_by"], DELIVERED_BY_REQUIRED),
            "method": blank(data["method"], METHOD_REQUIRED),
            "timing": None if timing in Timing.values else TIMING_REQUIRED,
            "due_on": _dated(due_on, review, "The planned date") or timing_problem(timing, due_on, published),
            "done_on": DONE_BEFORE_DECISION.format(decided=long_date(review.decision_date))
            if done_on and done_on < review.decision_date
            else None,
        }
    )
    values = {**data, "audience": audience, "timing": timing, "due_on": due_on, "done_on": done_on}
    values |= {"recorded_by": actor, "recorded_at": now}
    item, new = save_record(CommunicationItem, item, values, plan=plan)
    what = "added" if new else f"told on {long_date(done_on)}" if done_on else "changed"
    log_transition(review, "communications_plan", review.state, actor, f"{item.audience_label}: {what}")
    return item


@transaction.atomic
def communication_item_remove(*, item: CommunicationItem, actor) -> None:
    review = _open_for(actor, item.plan.review)
    item = CommunicationItem.objects.select_for_update().get(pk=item.pk, plan__review=review)
    label = item.audience_label
    item.delete()
    log_transition(review, "communications_plan", review.state, actor, f"{label}: removed from the plan")
