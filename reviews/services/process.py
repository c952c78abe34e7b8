"""What runs alongside the stages: the methodology, meetings and their attendance, the IMRs' circulation
before the presentation meeting, parallel processes, and the family's and victims' involvement (domain
brief §4.2, §4.7, §5 #12, #18)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import deadline_cancel, deadline_meet_for, deadlines_of
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.services import blank, refuse_problems
from scr_portal.transitions import log_transition

from ..frameworks import without_agency_reports
from ..models import (
    CRIMINAL_KINDS,
    AttendanceStatus,
    FamilyInvolvement,
    FamilyPrompt,
    Meeting,
    MeetingAttendance,
    MeetingKind,
    Methodology,
    ParallelProcess,
    ParallelProcessKind,
    Review,
    ReviewState,
)
from ..permissions import require
from ..scr_clock import FAMILY_NOTIFIED
from ._common import REVIEW_CLOSED, locked, now_or, open_deadline, save_record
from .date_order import check_circulation, check_meeting_date

METHODOLOGY_REQUIRED = "Select the methodology."
METHODOLOGY_DETAIL_REQUIRED = "Describe the methodology used."
PRESENTATION_ALREADY_HELD = "The presentation meeting has already been held."
MEETING_ALREADY_RECORDED = "This meeting has already been recorded as held."
NOT_ON_PANEL = "Attendance can only be recorded for members of this review's panel."
NOT_PRESENTATION = "IMRs are circulated before the presentation meeting only."
CIRCULATION_LATE = (
    "The IMRs must be circulated at least 2 weeks before the presentation meeting, by {date}: that date has "
    "passed."
)
CIRCULATED_LATE = "The IMRs went out less than 2 weeks before the presentation meeting."
DESCRIPTION_REQUIRED = "Say which process it is."
LEAD_BODY_REQUIRED = "Enter the body that leads it."
OUTCOME_REQUIRED = "Enter the outcome of the concluded process."
CONCLUDED_BEFORE_START = "The date it concluded must be on or after the date it started."
WHO_REQUIRED = "Enter who this is, by their relationship to the child."
REASON_FOR_NO_INVOLVEMENT = "Record why they could not be, or were not, involved."
POLICE_REQUIRED = (
    "Decide the method and timing with the police: a criminal investigation or trial is running "
    "(Cambridgeshire §9)."
)
FEEDBACK_TOO_EARLY = "Feedback is given once the review's reports are completed and adopted."
DECISION_DATE_REQUIRED = "Enter the date the method and timing were decided."
PROMPT_DONE = "This has already been recorded as done."


def _open(review: Review) -> Review:
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    return review


def _at(day: dt.date, now: dt.datetime) -> dt.datetime:
    return now if day == timezone.localtime(now).date() else at_local(day, 12)


@transaction.atomic
def review_record_methodology(
    *, review: Review, actor, methodology: str, detail: str = "", now=None
) -> Review:
    """Which methodology the review follows (Cambridgeshire §5–§6), decided at scoping."""
    review = _open(locked(review))
    require(actor, review, "run")
    if methodology not in Methodology.values:
        raise ValidationError({"methodology": METHODOLOGY_REQUIRED})
    if methodology == Methodology.OTHER and not detail.strip():
        raise ValidationError({"detail": METHODOLOGY_DETAIL_REQUIRED})
    review.methodology = methodology
    review.methodology_detail = detail.strip()
    review.save(update_fields=["methodology", "methodology_detail"])
    log_transition(review, "methodology", review.state, actor, Methodology(methodology).label)
    return review


def _circulation_deadline(review: Review, meeting: Meeting, actor, now):
    return open_deadline(
        review, "imr-circulation", trigger_at=at_local(meeting.meeting_date, 9), actor=actor, now=now
    )


@transaction.atomic
def meeting_schedule(
    *, review: Review, actor, kind: str, meeting_date: dt.date, venue: str = "", now=None
) -> tuple[Meeting, list[str]]:
    """Set a meeting. Setting (or moving) the presentation meeting opens the deadline for circulating the
    IMRs at least 2 weeks before it (Solihull §12.1.1); a review has one presentation meeting."""
    now = now_or(now)
    review = _open(locked(review))
    require(actor, review, "run")
    kind = MeetingKind(kind)
    warnings: list[str] = []
    meeting = None
    if kind == MeetingKind.PRESENTATION:
        meeting = Meeting.objects.filter(review=review, kind=kind).first()
        if meeting and meeting.held_on:
            raise ValidationError(PRESENTATION_ALREADY_HELD)
    check_meeting_date(review, meeting, kind, meeting_date, "meeting_date")
    if meeting:
        previous = meeting.meeting_date
        meeting.meeting_date, meeting.venue = meeting_date, venue
        meeting.save(update_fields=["meeting_date", "venue"])
        for deadline in deadlines_of(review).filter(rule__code="imr-circulation", status__in=ACTIVE_STATUSES):
            deadline_cancel(
                deadline=deadline,
                actor=actor,
                reason=f"The presentation meeting moved from {previous:%d/%m/%Y}.",
                now=now,
            )
        reason = f"{kind.label} moved to {meeting_date:%d/%m/%Y}"
    else:
        meeting = Meeting.objects.create(
            review=review,
            kind=kind,
            meeting_date=meeting_date,
            venue=venue,
            scheduled_by=actor,
            scheduled_at=now,
        )
        reason = f"{kind.label} on {meeting_date:%d/%m/%Y}"
    # A review without agency reports (its framework commissions them only on request) has none to circulate.
    if (
        kind == MeetingKind.PRESENTATION
        and meeting.imrs_circulated_on is None
        and not without_agency_reports(review)
    ):
        deadline = _circulation_deadline(review, meeting, actor, now)
        if deadline.due_date < timezone.localtime(now).date():
            warnings.append(CIRCULATION_LATE.format(date=f"{deadline.due_date:%-d %B %Y}"))
    log_transition(review, "meeting", review.state, actor, reason)
    return meeting, warnings


@transaction.atomic
def meeting_record_held(
    *,
    meeting: Meeting,
    actor,
    held_on: dt.date,
    attendance: dict[int, str],
    other_attendees: str = "",
    notes: str = "",
    now=None,
) -> Meeting:
    """Record that a meeting took place and who attended. The authors' briefing meets its deadline (one
    week after the decision, Cambridgeshire §8)."""
    now = now_or(now)
    review = _open(locked(meeting.review))
    require(actor, review, "run")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.held_on:
        raise ValidationError(MEETING_ALREADY_RECORDED)
    members = set(review.panel.values_list("pk", flat=True))
    if not set(attendance) <= members or not set(attendance.values()) <= set(AttendanceStatus.values):
        raise ValidationError(NOT_ON_PANEL)
    check_meeting_date(review, meeting, meeting.kind, held_on, "held_on")
    meeting.held_on = held_on
    meeting.other_attendees = other_attendees.strip()
    meeting.notes = notes.strip()
    meeting.recorded_by = actor
    meeting.save(update_fields=["held_on", "other_attendees", "notes", "recorded_by"])
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, membership_id=pk, status=s) for pk, s in attendance.items()]
    )
    if meeting.kind == MeetingKind.AUTHORS_BRIEFING:
        deadline_meet_for(subject=review, rule_code="authors-briefing", actor=actor, at=_at(held_on, now))
    present = sum(1 for status in attendance.values() if status != AttendanceStatus.APOLOGIES)
    log_transition(
        review,
        "meeting_held",
        review.state,
        actor,
        f"{meeting.get_kind_display()} held on {held_on:%d/%m/%Y}; "
        f"{present} panel member{'s' if present != 1 else ''} present",
    )
    return meeting


@transaction.atomic
def meeting_record_circulation(
    *, meeting: Meeting, actor, circulated_on: dt.date, now=None
) -> tuple[Meeting, list[str]]:
    """The IMRs went to the panel, the chair and the overview author (Solihull §12.1.1)."""
    now = now_or(now)
    review = _open(locked(meeting.review))
    require(actor, review, "run")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.kind != MeetingKind.PRESENTATION:
        raise ValidationError(NOT_PRESENTATION)
    check_circulation(review, meeting, circulated_on)
    meeting.imrs_circulated_on = circulated_on
    meeting.save(update_fields=["imrs_circulated_on"])
    met = deadline_meet_for(
        subject=review, rule_code="imr-circulation", actor=actor, at=_at(circulated_on, now)
    )
    log_transition(
        review, "imrs_circulated", review.state, actor, f"IMRs circulated on {circulated_on:%d/%m/%Y}"
    )
    late = (meeting.meeting_date - circulated_on).days < 14 or (met is not None and met.status == "met_late")
    return meeting, [CIRCULATED_LATE] if late else []


@transaction.atomic
def parallel_process_save(
    *,
    review: Review,
    actor,
    process: ParallelProcess | None = None,
    kind: str,
    lead_body: str,
    description: str = "",
    started_on: dt.date | None = None,
    key_dates: str = "",
    next_key_date: dt.date | None = None,
    outcome: str = "",
    concluded_on: dt.date | None = None,
    blocks_publication: bool = False,
    now=None,
) -> ParallelProcess:
    """Record or update a parallel process (Solihull §1.7, §2.1.1): type, lead body, key dates, outcome."""
    now = now_or(now)
    review = _open(locked(review))
    require(actor, review, "run")
    refuse_problems(
        {
            "description": blank(description, DESCRIPTION_REQUIRED)
            if kind == ParallelProcessKind.OTHER
            else None,
            "lead_body": blank(lead_body, LEAD_BODY_REQUIRED),
            "outcome": blank(outcome, OUTCOME_REQUIRED) if concluded_on else None,
            "concluded_on": CONCLUDED_BEFORE_START
            if concluded_on and started_on and concluded_on < started_on
            else None,
        }
    )
    values = {
        "kind": kind,
        "lead_body": lead_body.strip(),
        "description": description.strip(),
        "started_on": started_on,
        "key_dates": key_dates.strip(),
        "next_key_date": next_key_date,
        "outcome": outcome.strip(),
        "concluded_on": concluded_on,
        "blocks_publication": blocks_publication,
        "recorded_by": actor,
        "recorded_at": now,
    }
    process, new = save_record(ParallelProcess, process, values, review=review)
    what = "added" if new else "concluded" if concluded_on else "updated"
    log_transition(
        review,
        "parallel_process",
        review.state,
        actor,
        f"{process.get_kind_display()} ({process.lead_body}) {what}",
    )
    return process


FAMILY_FIELDS = (
    "who",
    "is_victim",
    "method",
    "timing",
    "police_consulted",
    "decided_on",
    "notified_on",
    "notification_route",
    "invited_on",
    "contributed_on",
    "contribution",
    "declined",
    "no_involvement_reason",
    "feedback_on",
    "feedback_note",
)


@transaction.atomic
def family_involvement_save(
    *, review: Review, actor, involvement: FamilyInvolvement | None = None, now=None, **fields
) -> FamilyInvolvement:
    """The family's or a victim's involvement (domain brief §4.7): the method and timing decided with the
    police where criminal proceedings run, notification, invitation, contribution or the reasons for no
    involvement, and feedback once the reports are complete."""
    now = now_or(now)
    review = _open(locked(review))
    require(actor, review, "family")
    data = {name: fields.get(name) for name in FAMILY_FIELDS}
    for text in (
        "who",
        "method",
        "timing",
        "notification_route",
        "contribution",
        "no_involvement_reason",
        "feedback_note",
    ):
        data[text] = (data[text] or "").strip()
    data["is_victim"] = bool(data["is_victim"])
    data["declined"] = bool(data["declined"])
    errors = {}
    if not data["who"]:
        errors["who"] = WHO_REQUIRED
    if data["declined"] and not data["no_involvement_reason"]:
        errors["no_involvement_reason"] = REASON_FOR_NO_INVOLVEMENT
    if data["method"] and not data["decided_on"]:
        errors["decided_on"] = DECISION_DATE_REQUIRED
    criminal = review.parallel_processes.filter(kind__in=CRIMINAL_KINDS, concluded_on__isnull=True).exists()
    if data["method"] and criminal and data["police_consulted"] is not True:
        errors["police_consulted"] = POLICE_REQUIRED
    if data["feedback_on"] and not review.reached(ReviewState.ADOPTED):
        errors["feedback_on"] = FEEDBACK_TOO_EARLY
    if errors:
        raise ValidationError(errors)
    involvement, _ = save_record(
        FamilyInvolvement, involvement, {**data, "recorded_by": actor, "updated_at": now}, review=review
    )
    log_transition(review, "family", review.state, actor, f"{involvement.who}: {involvement.stage.lower()}")
    if involvement.notified_on:
        deadline_meet_for(
            subject=review,
            rule_code="tor-and-imr-letters",
            title=FAMILY_NOTIFIED,
            actor=actor,
            at=_at(involvement.notified_on, now),
        )
    return involvement


@transaction.atomic
def family_prompt_done(
    *, prompt: FamilyPrompt, actor, done_on: dt.date, note: str = "", now=None
) -> FamilyPrompt:
    review = locked(prompt.review)
    require(actor, review, "family")
    prompt = FamilyPrompt.objects.select_for_update().get(pk=prompt.pk)
    if prompt.done_on:
        raise ValidationError(PROMPT_DONE)
    prompt.done_on, prompt.done_by, prompt.note = done_on, actor, note.strip()
    prompt.save(update_fields=["done_on", "done_by", "note"])
    log_transition(review, "family_told", review.state, actor, note.strip() or prompt.text[:200])
    return prompt
