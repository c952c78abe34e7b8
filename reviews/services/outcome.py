"""After adoption (domain brief §4.2, §4.7): the submission to Ofsted and its evaluation, publication, the
executive summary sent, closure, and extending the six-month completion."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scr_portal import frameworks
from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import (
    deadline_cancel,
    deadline_extend,
    deadline_meet_for,
    deadlines_of,
)
from scr_portal.models.clock import ACTIVE_STATUSES, ExtensionReason
from scr_portal.people import business_unit, lscb_chairs
from scr_portal.services import blank, refuse_problems
from scr_portal.transitions import log_transition

from .. import agency_reports
from ..access_end import end_review_access
from ..frameworks import earliest_publication, review_rules
from ..guards import active_member
from ..models import (
    MACHINE,
    ElementGrade,
    FamilyPrompt,
    Grade,
    OfstedElement,
    OfstedEvaluation,
    OfstedSubmission,
    PanelRole,
    ParallelProcess,
    Publication,
    PublishedItem,
    Review,
    SubmissionItem,
)
from ..permissions import REFUSALS, require, review_access
from ._common import CANNOT_NOW, locked, meet_completion, notify, now_or, open_deadline
from .drafts import DRAFTS_RULE, drafts_left
from .lifecycle import _at, _begin, _move

SUBMISSION_ITEMS_REQUIRED = "Select what was sent to Ofsted."
SUBMITTED_BEFORE_ADOPTION = (
    "The date it was sent must be on or after the date the LSCB adopted the review, {date}."
)
LETTER_BEFORE_SUBMISSION = (
    "The date of the letter must be on or after the date the review was sent to Ofsted, {date}."
)
INSPECTOR_REQUIRED = "Enter the name of the inspector."
GRADE_REQUIRED = "Select the overall grade."
UNKNOWN_ELEMENT = "Grades can only be given for the elements Ofsted grades."
PUBLISHED_BEFORE_COPY_TIME = (
    "The date of publication must be at least 7 working days after the copy was sent to {body}: on or "
    "after {date}."
)
PUBLISHED_BEFORE_LETTER = "The date of publication must be on or after the date of Ofsted's letter, {date}."
SUMMARY_ALWAYS_PUBLISHED = "Select the executive summary: it is always published."
WITHHELD_REASON_REQUIRED = "Give the reason the overview report was not published."
EVALUATION_OVERRIDE_REQUIRED = (
    "The board publishes after Ofsted's evaluation. Give the reason for publishing before it."
)
PROCESS_OVERRIDE_REQUIRED = (
    "Publication is held while {processes} is open. Give the reason for publishing before it concludes."
)
OFSTED_SILENT = "Ofsted had not replied by {date}, the time the board allows for its evaluation."
SUMMARY_SENT_BEFORE_PUBLICATION = "The date it was sent must be on or after the date of publication, {date}."
NOT_PUBLISHED_YET = "The review has not been published yet."
CLOSE_REASON_REQUIRED = "Record how the action plan was signed off as complete."
NO_COMPLETION_DEADLINE = "This review has no open completion deadline to extend."
EXTENSION_NOT_LATER = "The new date must be after the current due date, {date}."
EXTENSION_REASON_REQUIRED = "Give the reason for the extension."
EXTENSION_CATEGORY_REQUIRED = "Select why more time is needed."
OFSTED_TOLD_REQUIRED = "Enter the date Ofsted was told of the extension."
APPROVED_ON_REQUIRED = "Enter the date the LSCB agreed the extension."
# The board's time for Ofsted's evaluation letter, from the submission (migration 0010).
OFSTED_REPLY_RULE = "ofsted-evaluation"


@transaction.atomic
def review_submit_to_ofsted(
    *,
    review: Review,
    actor,
    submitted_on: dt.date,
    items: list[str],
    other_items: str = "",
    also_sent_to: list[str] = (),
    now=None,
) -> Review:
    """The full SCR goes to Ofsted (and the SHA and DfE). This is the six-month target: the completion
    deadline is met (domain brief §9, COMPLETION_EVENT)."""
    now = now_or(now)
    review = _begin(review, actor, "submit_to_ofsted", "run")
    if not items or not set(items) <= set(SubmissionItem.values):
        raise ValidationError({"items": SUBMISSION_ITEMS_REQUIRED})
    if SubmissionItem.IMRS in items and (problems := agency_reports.release_problems(review)):
        raise ValidationError({"items": problems})
    adoption = getattr(review, "adoption", None)
    if adoption and submitted_on < adoption.adopted_on:
        raise ValidationError(
            {"submitted_on": SUBMITTED_BEFORE_ADOPTION.format(date=f"{adoption.adopted_on:%d/%m/%Y}")}
        )
    submission = OfstedSubmission.objects.create(
        review=review,
        submitted_on=submitted_on,
        items=list(items),
        other_items=other_items,
        also_sent_to=list(also_sent_to),
        recorded_by=actor,
        recorded_at=now,
    )
    review.ofsted_submission = submission
    _move(review, actor, "submit_to_ofsted", f"Sent on {submitted_on:%d/%m/%Y}")
    at = _at(submitted_on, now)
    meet_completion(review, "submit_to_ofsted", actor=actor, at=at)
    if copy_rule := review_rules(review).copy_rule:
        deadline_meet_for(subject=review, rule_code=copy_rule, actor=actor, at=at)
    if frameworks.uses_transition(review.review_framework, MACHINE, "record_evaluation"):
        open_deadline(review, OFSTED_REPLY_RULE, trigger_at=at_local(submitted_on, 9), actor=actor, now=now)
    return review


@transaction.atomic
def review_record_evaluation(
    *,
    review: Review,
    actor,
    letter_date: dt.date,
    inspector: str,
    overall_grade: str,
    element_grades: dict[str, str],
    regional_manager: str = "",
    now=None,
) -> Review:
    """Ofsted's letter: inspector, overall grade and a grade per element (§6.10). The one-month clock
    for sending Ofsted the published summary starts from the letter (Solihull §13.3.7)."""
    now = now_or(now)
    review = _begin(review, actor, "record_evaluation", "run")
    submission = getattr(review, "ofsted_submission", None)
    before_submission = submission and letter_date < submission.submitted_on
    refuse_problems(
        {
            "letter_date": LETTER_BEFORE_SUBMISSION.format(date=f"{submission.submitted_on:%d/%m/%Y}")
            if before_submission
            else None,
            "inspector": blank(inspector, INSPECTOR_REQUIRED),
            "overall_grade": GRADE_REQUIRED if overall_grade not in Grade.values else None,
        }
    )
    elements = {e.code: e for e in OfstedElement.objects.filter(code__in=list(element_grades))}
    graded = {code: grade for code, grade in element_grades.items() if grade}
    if set(graded) - set(elements) or set(graded.values()) - set(Grade.values):
        raise ValidationError(UNKNOWN_ELEMENT)
    evaluation = OfstedEvaluation.objects.create(
        review=review,
        letter_date=letter_date,
        inspector=inspector,
        regional_manager=regional_manager,
        overall_grade=overall_grade,
        recorded_by=actor,
        recorded_at=now,
    )
    ElementGrade.objects.bulk_create(
        [ElementGrade(evaluation=evaluation, element=elements[code], grade=g) for code, g in graded.items()]
    )
    _move(
        review, actor, "record_evaluation", f"Letter of {letter_date:%d/%m/%Y}: {Grade(overall_grade).label}"
    )
    deadline_meet_for(subject=review, rule_code=OFSTED_REPLY_RULE, actor=actor, at=_at(letter_date, now))
    open_deadline(review, "published-summary", trigger_at=at_local(letter_date, 9), actor=actor, now=now)
    return review


def ofsted_silent_since(review: Review, today: dt.date) -> dt.date | None:
    """The day the board's time for Ofsted's evaluation ran out, if it has and no letter came: the review
    may then be published, and so closed, without it (issue 16; the `ofsted-evaluation` rule)."""
    if hasattr(review, "ofsted_evaluation"):
        return None
    deadline = deadlines_of(review).filter(rule__code=OFSTED_REPLY_RULE).order_by("-pk").first()
    return deadline.due_date if deadline and deadline.due_date < today else None


def blocking_processes(review: Review) -> list[ParallelProcess]:
    """Open parallel processes the panel marked as holding publication (Solihull §13.3.6)."""
    return list(
        ParallelProcess.objects.filter(review=review, blocks_publication=True, concluded_on__isnull=True)
    )


def publication_holds(review: Review, today: dt.date) -> dict[str, str]:
    """What holds publication, by the form field whose reason (the LSCB Chair's) would override it."""
    holds = {}
    if (
        review.board.publish_requires_evaluation
        and frameworks.uses_transition(review.review_framework, MACHINE, "record_evaluation")
        and not hasattr(review, "ofsted_evaluation")
        and ofsted_silent_since(review, today) is None
    ):
        holds["evaluation_override_reason"] = EVALUATION_OVERRIDE_REQUIRED
    processes = blocking_processes(review)
    if processes:
        names = "; ".join(f"the {p.get_kind_display().lower()} ({p.lead_body})" for p in processes)
        holds["process_override_reason"] = PROCESS_OVERRIDE_REQUIRED.format(processes=names)
    return holds


@transaction.atomic
def review_publish(
    *,
    review: Review,
    actor,
    published_on: dt.date,
    items: list[str],
    where: str = "",
    overview_withheld_reason: str = "",
    evaluation_override_reason: str = "",
    process_override_reason: str = "",
    summary_sent_on: dt.date | None = None,
    now=None,
) -> Review:
    """The board publishes. The executive summary always is. Where the board publishes the overview report
    (domain brief §9, PUBLISH_OVERVIEW_REPORT) withholding it needs the reason. Publication is held where
    the board waits for Ofsted's evaluation (PUBLISH_REQUIRES_EVALUATION, Solihull §8.1.9) until the letter
    comes or the board's time for it runs out, and while a parallel process marked as blocking is open
    (Solihull §13.3.6); only the LSCB Chair overrides a hold, with a reason. The staff debrief comes first
    (the guard)."""
    now = now_or(now)
    review = _begin(review, actor, "publish", "publish")
    evaluation = getattr(review, "ofsted_evaluation", None)
    board = review.board
    reasons = {
        "evaluation_override_reason": evaluation_override_reason.strip(),
        "process_override_reason": process_override_reason.strip(),
    }
    holds = publication_holds(review, timezone.localtime(now).date())
    errors = {field: message for field, message in holds.items() if not reasons[field]}
    if PublishedItem.EXECUTIVE_SUMMARY not in items:
        errors["items"] = SUMMARY_ALWAYS_PUBLISHED
    withheld = PublishedItem.OVERVIEW not in items
    if withheld and board.publish_overview_report and not overview_withheld_reason.strip():
        errors["overview_withheld_reason"] = WITHHELD_REASON_REQUIRED
    if evaluation and published_on < evaluation.letter_date:
        errors["published_on"] = PUBLISHED_BEFORE_LETTER.format(date=f"{evaluation.letter_date:%d/%m/%Y}")
    earliest = earliest_publication(review) if review_rules(review).copy_rule else None
    if earliest and published_on < earliest:
        errors["published_on"] = PUBLISHED_BEFORE_COPY_TIME.format(
            body=review.words["national_body"], date=f"{earliest:%d/%m/%Y}"
        )
    if summary_sent_on and summary_sent_on < published_on:
        errors["summary_sent_on"] = SUMMARY_SENT_BEFORE_PUBLICATION.format(date=f"{published_on:%d/%m/%Y}")
    if holds and not review_access(actor, review).may("override_publication"):
        errors.update({field: REFUSALS["override_publication"] for field in holds if reasons[field]})
    if errors:
        raise ValidationError(errors)
    overrides = {field: reasons[field] if field in holds else "" for field in reasons}
    silent = None if evaluation else ofsted_silent_since(review, timezone.localtime(now).date())
    if silent and not overrides["evaluation_override_reason"]:
        overrides["evaluation_override_reason"] = OFSTED_SILENT.format(date=f"{silent:%d/%m/%Y}")
    Publication.objects.create(
        review=review,
        published_on=published_on,
        items=[item for item in PublishedItem.values if item in items],
        where=where,
        overview_withheld_reason="" if PublishedItem.OVERVIEW in items else overview_withheld_reason.strip(),
        overridden_by=actor if holds else None,
        summary_sent_on=summary_sent_on,
        recorded_by=actor,
        recorded_at=now,
        **overrides,
    )
    notes = [f"Published on {published_on:%d/%m/%Y}"]
    if overrides["evaluation_override_reason"]:
        notes.append(f"before Ofsted's evaluation: {overrides['evaluation_override_reason']}")
    if overrides["process_override_reason"]:
        notes.append(f"while a blocking process was open: {overrides['process_override_reason']}")
    if holds:
        notes.append(f"overridden by the LSCB Chair, {actor.full_name}")
    _move(review, actor, "publish", "; ".join(notes))
    if summary_sent_on:
        deadline_meet_for(
            subject=review, rule_code="published-summary", actor=actor, at=_at(summary_sent_on, now)
        )
    return review


@transaction.atomic
def review_record_summary_sent(*, review: Review, actor, sent_on: dt.date, now=None) -> Publication:
    """The published summary went to Ofsted (due within a month of its letter)."""
    now = now_or(now)
    review = locked(review)
    require(actor, review, "run")
    publication = Publication.objects.select_for_update().filter(review=review).first()
    if publication is None:
        raise ValidationError(NOT_PUBLISHED_YET)
    if sent_on < publication.published_on:
        raise ValidationError(
            {"sent_on": SUMMARY_SENT_BEFORE_PUBLICATION.format(date=f"{publication.published_on:%d/%m/%Y}")}
        )
    publication.summary_sent_on = sent_on
    publication.save(update_fields=["summary_sent_on"])
    deadline_meet_for(subject=review, rule_code="published-summary", actor=actor, at=_at(sent_on, now))
    log_transition(
        review, "summary_sent", review.state, actor, f"Published summary sent to Ofsted on {sent_on:%d/%m/%Y}"
    )
    return publication


@transaction.atomic
def review_close(*, review: Review, actor, closed_on: dt.date, reason: str, now=None) -> Review:
    """The LSCB signs off the action plan as complete (Solihull §17.1.2). Anything still due is
    cancelled, and the seven-year retention clock starts (domain brief, decisions on retention)."""
    now = now_or(now)
    review = _begin(review, actor, "close", "close")
    if not reason.strip():
        raise ValidationError({"reason": CLOSE_REASON_REQUIRED})
    at = _at(closed_on, now)
    _move(review, actor, "close", reason, at=at)
    end_review(review, actor=actor, at=at, why="The review is closed.", now=now)
    return review


def end_review(review: Review, *, actor, at, why: str, now) -> None:
    """What follows a review's closing or standing down: anything still due is cancelled and the retention
    clock starts (domain brief, decisions on retention); the panel's and IMR authors' access ends."""
    active = deadlines_of(review).filter(status__in=ACTIVE_STATUSES)
    if drafts_left(review).exists():
        active = active.exclude(rule__code=DRAFTS_RULE)  # drafts left are still destroyed after closure
    for deadline in active:
        deadline_cancel(deadline=deadline, actor=actor, reason=why, now=now)
    open_deadline(review, "retention", trigger_at=at, actor=actor, now=now)
    end_review_access(review)


@transaction.atomic
def review_extend(
    *,
    review: Review,
    actor,
    new_due_date: dt.date,
    reason_category: str,
    reason: str,
    approved_on: dt.date,
    ofsted_told_on: dt.date | None,
    approved_by: str = "The LSCB",
    now=None,
):
    """Move the six-month completion date, as agreed by the LSCB with Ofsted told (domain brief §4.2
    EXTENDED overlay; Solihull §7.2.1). The deadline keeps its original date and every extension; the
    family's contact is prompted to explain the delay to the family (Solihull App 3)."""
    now = now_or(now)
    review = locked(review)
    require(actor, review, "extend")
    if not review.is_open:
        raise ValidationError(CANNOT_NOW)
    deadline = (
        deadlines_of(review)
        .filter(rule__code=review_rules(review).completion_rule, status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .first()
    )
    if deadline is None:
        raise ValidationError(NO_COMPLETION_DEADLINE)
    refuse_problems(
        {
            "new_due_date": EXTENSION_NOT_LATER.format(date=f"{deadline.due_date:%d/%m/%Y}")
            if new_due_date <= deadline.due_date
            else None,
            "reason_category": EXTENSION_CATEGORY_REQUIRED
            if reason_category not in ExtensionReason.values
            else None,
            "reason": blank(reason, EXTENSION_REASON_REQUIRED),
            "approved_on": APPROVED_ON_REQUIRED if approved_on is None else None,
            "ofsted_told_on": OFSTED_TOLD_REQUIRED if ofsted_told_on is None else None,
        }
    )
    extended = deadline_extend(
        deadline=deadline,
        actor=actor,
        new_due_date=new_due_date,
        reason_category=reason_category,
        reason=reason,
        approved_by=approved_by,
        approved_on=approved_on,
        ofsted_told_on=ofsted_told_on,
        now=now,
    )
    extension = extended.extensions.order_by("-pk").first()
    FamilyPrompt.objects.create(
        review=review,
        text=f"Explain to the family why the review will now finish by {new_due_date:%-d %B %Y}: "
        f"{ExtensionReason(reason_category).label.lower()}. {reason}",
        extension=extension,
        created_at=now,
        created_by=actor,
    )
    log_transition(
        review,
        "extend",
        review.state,
        actor,
        f"Completion due {extension.previous_due_date:%d/%m/%Y} → {new_due_date:%d/%m/%Y}: {reason}",
    )
    chair = active_member(review, PanelRole.INDEPENDENT_CHAIR)
    notify(
        [chair.user] if chair else business_unit(review.board),
        review,
        "Explain the extension to the family",
        "The review's completion date has been extended. As the family's contact, please explain the "
        "delay and its reason to the family.",
    )
    notify(lscb_chairs(review.board), review, "Completion date extended", "The completion date has moved.")
    return extended
