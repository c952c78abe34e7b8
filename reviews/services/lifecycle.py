"""The review's state changes (domain brief §4.2). Each service: one transaction, the review row locked,
permission checked, the guard checked (refusals are ValidationErrors with the guard's words), the
django-fsm transition called, saved, logged, and the deadlines met or opened through the clock."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import (
    deadline_cancel,
    deadline_extend,
    deadline_meet_for,
    deadline_open,
    deadlines_of,
)
from scr_portal.models.clock import ACTIVE_STATUSES, ExtensionReason
from scr_portal.people import business_unit, lscb_chairs
from scr_portal.transitions import log_transition, state_change

from .. import agency_reports
from ..guards import active_member, latest_version, problems_for
from ..models import (
    Adoption,
    AuthorConfirmation,
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
    ReportKind,
    ReportVersion,
    Review,
    SubmissionItem,
)
from ..permissions import require
from ._common import CANNOT_NOW, locked, notify, now_or

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
PUBLISHED_BEFORE_LETTER = "The date of publication must be on or after the date of Ofsted's letter, {date}."
SUMMARY_ALWAYS_PUBLISHED = "Select the executive summary: it is always published."
WITHHELD_REASON_REQUIRED = "Give the reason the overview report was not published."
SUMMARY_SENT_BEFORE_PUBLICATION = "The date it was sent must be on or after the date of publication, {date}."
NOT_PUBLISHED_YET = "The review has not been published yet."
CLOSE_REASON_REQUIRED = "Record how the action plan was signed off as complete."
ADOPTION_MEETING_REQUIRED = "Enter the LSCB meeting that adopted the review."
DISSEMINATION_REQUIRED = "Describe the dissemination and media arrangements agreed."
NO_COMPLETION_DEADLINE = "This review has no open completion deadline to extend."
EXTENSION_NOT_LATER = "The new date must be after the current due date, {date}."
EXTENSION_REASON_REQUIRED = "Give the reason for the extension."
EXTENSION_CATEGORY_REQUIRED = "Select why more time is needed."
OFSTED_TOLD_REQUIRED = "Enter the date Ofsted was told of the extension."
APPROVED_ON_REQUIRED = "Enter the date the LSCB agreed the extension."
OPEN_PROCESSES_WARNING = (
    "Parallel processes are still open: {processes}. Consider their findings before publication, and "
    "whether adoption should wait for them (Solihull §14.1)."
)


@dataclass(frozen=True)
class Step:
    """A state change with no data of its own beyond an optional note."""

    slug: str
    transition: str
    label: str
    action: str
    done: str
    explanation: str


STEPS = [
    Step(
        "start-scoping",
        "start_scoping",
        "Start scoping",
        "run",
        "The review is now in scoping.",
        "The panel sets the scope, the methodology and the terms of reference over its scoping meetings.",
    ),
    Step(
        "commission-imrs",
        "commission_imrs",
        "Record the IMRs as commissioned",
        "run",
        "The IMRs are recorded as commissioned.",
        "The App 5 letters have gone to every involved agency, with the approved terms of reference.",
    ),
    Step(
        "start-imrs",
        "start_imrs",
        "Record the IMRs as in progress",
        "run",
        "The IMRs are recorded as in progress.",
        "The authors have been briefed and are writing their IMRs.",
    ),
    Step(
        "schedule-presentation",
        "schedule_presentation",
        "Move to presentation scheduled",
        "run",
        "The presentation meeting is scheduled.",
        "Every IMR is accepted or a nil return and the presentation meeting has a date. The IMRs must be "
        "circulated at least 2 weeks before it.",
    ),
    Step(
        "hold-presentation",
        "hold_presentation",
        "Record the presentation as held",
        "run",
        "The presentation meeting is recorded as held.",
        "Each IMR author presented their report to the panel.",
    ),
    Step(
        "start-overview",
        "start_overview",
        "Start drafting the overview report",
        "run",
        "The overview author is now drafting the overview report.",
        "The overview author writes drafts, each marked DRAFT; the panel comments on each.",
    ),
    Step(
        "send-final-draft",
        "send_final_draft",
        "Send the final draft to the IMR authors",
        "run",
        "The final draft has been sent to every IMR author to confirm fair representation.",
        "Every IMR author is asked to confirm that the final draft represents their agency fully and "
        "fairly, or to dispute it with a comment.",
    ),
    Step(
        "start-exec-summary",
        "start_exec_summary",
        "Start drafting the executive summary",
        "run",
        "The overview author is now drafting the executive summary.",
        "Every IMR author has confirmed fair representation, or each dispute is resolved.",
    ),
    Step(
        "start-panel-qa",
        "start_panel_qa",
        "Start the panel's quality assurance",
        "run",
        "The panel is now quality-assuring the full review.",
        "The panel checks the full review against Ofsted's descriptors and agrees the distribution list.",
    ),
    Step(
        "start-monitoring",
        "start_monitoring",
        "Start monitoring the action plan",
        "run",
        "The action plan is now being monitored.",
        "The monitoring group follows the action plan until the LSCB signs it off as complete.",
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
STEPS_BY_TRANSITION = {step.transition: step for step in STEPS}


def _at(day: dt.date, now: dt.datetime) -> dt.datetime:
    """The moment to record for something done on `day`: now if today, else midday that day."""
    return now if day == timezone.localtime(now).date() else at_local(day, 12)


def _begin(review: Review, actor, transition: str, action: str) -> Review:
    review = locked(review)
    require(actor, review, action)
    if not can_proceed(getattr(review, transition)):
        raise ValidationError(CANNOT_NOW)
    problems = problems_for(review, transition)
    if problems:
        raise ValidationError(problems)
    return review


def _move(review: Review, actor, transition: str, reason: str = "", **kwargs) -> str:
    with state_change(review, transition, actor=actor, reason=reason) as change:
        getattr(review, transition)(**kwargs)
    return change.previous


def request_confirmations(review: Review, version: ReportVersion) -> int:
    """Ask every IMR author to confirm the final draft (once per author and agency)."""
    authors = agency_reports.authors(review)
    for author, agency in authors:
        AuthorConfirmation.objects.get_or_create(version=version, author=author, agency=agency)
    notify(
        [author for author, _ in authors],
        review,
        "Please confirm the final draft",
        "The final draft of the overview report is ready. Please confirm that it represents your agency "
        "fully and fairly, or say why not.",
    )
    return len(authors)


@transaction.atomic
def review_advance(*, review: Review, actor, transition: str, reason: str = "", now=None) -> Review:
    """One of the steps in STEPS. The final draft going out also asks every IMR author to confirm it."""
    step = STEPS_BY_TRANSITION[transition]
    review = _begin(review, actor, transition, step.action)
    _move(review, actor, transition, reason)
    if transition == "send_final_draft":
        request_confirmations(review, latest_version(review, ReportKind.OVERVIEW, final_draft=True))
    return review


def review_start_scoping(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="start_scoping", reason=reason, now=now)


def review_commission_imrs(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="commission_imrs", reason=reason, now=now)


def review_start_imrs(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="start_imrs", reason=reason, now=now)


def review_schedule_presentation(*, review, actor, reason="", now=None) -> Review:
    return review_advance(
        review=review, actor=actor, transition="schedule_presentation", reason=reason, now=now
    )


def review_hold_presentation(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="hold_presentation", reason=reason, now=now)


def review_start_overview(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="start_overview", reason=reason, now=now)


def review_send_final_draft(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="send_final_draft", reason=reason, now=now)


def review_start_exec_summary(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="start_exec_summary", reason=reason, now=now)


def review_start_panel_qa(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="start_panel_qa", reason=reason, now=now)


def review_start_monitoring(*, review, actor, reason="", now=None) -> Review:
    return review_advance(review=review, actor=actor, transition="start_monitoring", reason=reason, now=now)


def open_parallel_processes(review: Review) -> list[ParallelProcess]:
    return list(ParallelProcess.objects.filter(review=review, concluded_on__isnull=True))


def open_processes_warning(review: Review) -> str:
    processes = open_parallel_processes(review)
    if not processes:
        return ""
    names = "; ".join(f"{p.get_kind_display().lower()} ({p.lead_body})" for p in processes)
    return OPEN_PROCESSES_WARNING.format(processes=names)


@transaction.atomic
def review_adopt(
    *, review: Review, actor, adopted_on: dt.date, meeting: str, dissemination: str, now=None
) -> tuple[Review, list[str]]:
    """The LSCB adopts the full SCR, recorded by the LSCB Chair. Blocked until fair representation is
    settled and both reports exist; warns (and records the warning) while a parallel process is open.
    The latest version of each report stops being a draft."""
    now = now_or(now)
    review = _begin(review, actor, "adopt", "adopt")
    errors = {}
    if not meeting.strip():
        errors["meeting"] = ADOPTION_MEETING_REQUIRED
    if not dissemination.strip():
        errors["dissemination"] = DISSEMINATION_REQUIRED
    if errors:
        raise ValidationError(errors)
    warning = open_processes_warning(review)
    Adoption.objects.create(
        review=review,
        adopted_on=adopted_on,
        meeting=meeting,
        dissemination=dissemination,
        open_processes_note=warning,
        recorded_by=actor,
        recorded_at=now,
    )
    final = [latest_version(review, kind) for kind in ReportKind.values]
    ReportVersion.objects.filter(pk__in=[v.pk for v in final if v]).update(adopted_at=now)
    _move(review, actor, "adopt", f"Adopted by {meeting} on {adopted_on:%d/%m/%Y}")
    notify(business_unit(review.board), review, "The review has been adopted", "The LSCB adopted the review.")
    return review, [warning] if warning else []


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
    adoption = getattr(review, "adoption", None)
    if adoption and submitted_on < adoption.adopted_on:
        raise ValidationError(
            {"submitted_on": SUBMITTED_BEFORE_ADOPTION.format(date=f"{adoption.adopted_on:%d/%m/%Y}")}
        )
    OfstedSubmission.objects.create(
        review=review,
        submitted_on=submitted_on,
        items=list(items),
        other_items=other_items,
        also_sent_to=list(also_sent_to),
        recorded_by=actor,
        recorded_at=now,
    )
    _move(review, actor, "submit_to_ofsted", f"Sent on {submitted_on:%d/%m/%Y}")
    deadline_meet_for(subject=review, rule_code="review-completion", actor=actor, at=_at(submitted_on, now))
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
    errors = {}
    if submission and letter_date < submission.submitted_on:
        errors["letter_date"] = LETTER_BEFORE_SUBMISSION.format(date=f"{submission.submitted_on:%d/%m/%Y}")
    if not inspector.strip():
        errors["inspector"] = INSPECTOR_REQUIRED
    if overall_grade not in Grade.values:
        errors["overall_grade"] = GRADE_REQUIRED
    if errors:
        raise ValidationError(errors)
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
    deadline_open(
        board=review.board,
        subject=review,
        rule_code="published-summary",
        trigger_at=at_local(letter_date, 9),
        case_reference=review.reference,
        actor=actor,
        responsible_users=business_unit(review.board),
        now=now,
    )
    return review


@transaction.atomic
def review_publish(
    *,
    review: Review,
    actor,
    published_on: dt.date,
    items: list[str],
    where: str = "",
    overview_withheld_reason: str = "",
    summary_sent_on: dt.date | None = None,
    now=None,
) -> Review:
    """The board publishes. The executive summary always is; the overview report is unless withholding it
    protects children, and then the reason is recorded (domain brief §9, PUBLISH_OVERVIEW_REPORT)."""
    now = now_or(now)
    review = _begin(review, actor, "publish", "run")
    evaluation = getattr(review, "ofsted_evaluation", None)
    errors = {}
    if PublishedItem.EXECUTIVE_SUMMARY not in items:
        errors["items"] = SUMMARY_ALWAYS_PUBLISHED
    if PublishedItem.OVERVIEW not in items and not overview_withheld_reason.strip():
        errors["overview_withheld_reason"] = WITHHELD_REASON_REQUIRED
    if evaluation and published_on < evaluation.letter_date:
        errors["published_on"] = PUBLISHED_BEFORE_LETTER.format(date=f"{evaluation.letter_date:%d/%m/%Y}")
    if summary_sent_on and summary_sent_on < published_on:
        errors["summary_sent_on"] = SUMMARY_SENT_BEFORE_PUBLICATION.format(date=f"{published_on:%d/%m/%Y}")
    if errors:
        raise ValidationError(errors)
    Publication.objects.create(
        review=review,
        published_on=published_on,
        items=[item for item in PublishedItem.values if item in items],
        where=where,
        overview_withheld_reason="" if PublishedItem.OVERVIEW in items else overview_withheld_reason.strip(),
        summary_sent_on=summary_sent_on,
        recorded_by=actor,
        recorded_at=now,
    )
    _move(review, actor, "publish", f"Published on {published_on:%d/%m/%Y}")
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
    for deadline in deadlines_of(review).filter(status__in=ACTIVE_STATUSES):
        deadline_cancel(deadline=deadline, actor=actor, reason="The review is closed.", now=now)
    deadline_open(
        board=review.board,
        subject=review,
        rule_code="retention",
        trigger_at=at,
        case_reference=review.reference,
        actor=actor,
        responsible_users=business_unit(review.board),
        now=now,
    )
    return review


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
        .filter(rule__code="review-completion", status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .first()
    )
    if deadline is None:
        raise ValidationError(NO_COMPLETION_DEADLINE)
    errors = {}
    if new_due_date <= deadline.due_date:
        errors["new_due_date"] = EXTENSION_NOT_LATER.format(date=f"{deadline.due_date:%d/%m/%Y}")
    if reason_category not in ExtensionReason.values:
        errors["reason_category"] = EXTENSION_CATEGORY_REQUIRED
    if not reason.strip():
        errors["reason"] = EXTENSION_REASON_REQUIRED
    if approved_on is None:
        errors["approved_on"] = APPROVED_ON_REQUIRED
    if ofsted_told_on is None:
        errors["ofsted_told_on"] = OFSTED_TOLD_REQUIRED
    if errors:
        raise ValidationError(errors)
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
