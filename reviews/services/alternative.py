"""Alternative reviews (domain brief §4.8; Cambridgeshire §11–§13; Solihull App 1 Part 2).

Each service: one transaction, the review row locked (then the record), permission checked through
`reviews.permissions`, the guard checked (refusals are ValidationErrors in words a user can act on, and
nothing changes), the django-fsm transition called, saved and logged.

Who does what:
- The business unit or the LSCB Chair appoints the people who conduct the review ("appoint").
- The business unit records the steps, uploads the output and records its acceptance with the
  recommendations ("run"): acceptance is a decision of the panel chair, the monitoring group or the LSCB
  Chair, minuted by the business unit, as it records agencies' sign-ups to a plan. The recommendations
  go into the review's action plan through `plans.recommendation_add`, so the plan's machinery (actions,
  evidence, monitoring by the group of the type, sign-off) is the same as for a serious case review.

Deadlines: the guidance gives a timescale for one of these only, the single-agency IMR (about a month
from commissioning, Cambridgeshire §8; domain brief §5 #15, rule "imr-completed"), opened when the agency
is commissioned and met when the IMR arrives. For the other types the sources set none: the business unit
records a planned completion date and planned dates per step, shown on the page, with no deadline rule
invented for them.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_meet_for
from scr_portal.models import Membership
from scr_portal.people import agency_contacts, board_people
from scr_portal.transitions import log_transition, state_change
from scr_portal.uploads import DOCUMENT_TYPES, check_upload, store_file

from ..models import (
    ALTERNATIVE_TYPES,
    STEPS_BY_TYPE,
    AcceptedBy,
    AlternativeReview,
    AlternativeState,
    AlternativeStep,
    RecommendationSource,
    Review,
    ReviewType,
)
from ..permissions import monitoring_group_name, monitoring_role, require
from . import plans
from ._common import locked, notify, now_or, open_deadline
from .report_checks import report_check
from .reports import upload_max_bytes

OUTPUT_KIND = "alternative_output"

NOT_ALTERNATIVE = "This review is a serious case review: it has no alternative-review steps."
CANNOT_NOW = "That cannot be done at this stage of the alternative review."
APPOINT_CLOSED = "The output has been accepted: the people who conducted the review can no longer change."
LEAD_AGENCY_REQUIRED = "Select the agency that writes the IMR."
LEAD_AGENCY_OTHER_BOARD = "Select an agency of this board."
LEAD_REQUIRED = "Select a person of the board, or enter the name of someone from outside the board."
LEAD_BOTH = "Select a person of the board or enter an outside person, not both."
LEAD_ORGANISATION_REQUIRED = "Enter the organisation of the person from outside the board."
LEAD_NOT_MEMBER = "Select a person of this board."
PLANNED_BEFORE_DECISION = "The planned date must be on or after the date the review was decided, {date}."
NOT_UNDER_WAY = "Appoint the people who conduct the review before recording its steps."
UNKNOWN_STEP = "This step is not one of this review's steps."
STEP_DONE = "This step has already been recorded as done."
STEP_IS_OUTPUT = "This step is done by uploading the {output}."
EARLIER_STEPS = "Record these steps as done first: {steps}."
DONE_ON_REQUIRED = "Enter the date the step was done."
DONE_IN_FUTURE = "The date the step was done must be today or in the past."
DONE_BEFORE_DECISION = (
    "The date the step was done must be on or after the date the review was decided, {date}."
)
UPLOAD_NOT_NOW = "The output can be uploaded once the review is under way, until it is accepted."
NO_OUTPUT = "Upload the {output} before recording that it was accepted."
ACCEPTED_BY_REQUIRED = "Select who accepted the output."
ACCEPTED_ON_REQUIRED = "Enter the date the output was accepted."
ACCEPTED_BEFORE_OUTPUT = (
    "The date of acceptance must be on or after the date the output was received, {date}."
)
RECOMMENDATION_REQUIRED = "Enter at least one recommendation from the output."


def _locked_alternative(review: Review) -> AlternativeReview:
    alternative = AlternativeReview.objects.select_for_update().filter(review=review).first()
    if alternative is None:
        raise ValidationError(NOT_ALTERNATIVE)
    alternative.review = review
    return alternative


def _begin(alternative: AlternativeReview, actor, action: str) -> AlternativeReview:
    review = locked(alternative.review)
    require(actor, review, action)
    if not review.is_open:
        raise ValidationError(CANNOT_NOW)
    return _locked_alternative(review)


def _move(alternative: AlternativeReview, actor, transition: str, reason: str = "", **kwargs) -> None:
    if not can_proceed(getattr(alternative, transition)):
        raise ValidationError(CANNOT_NOW)
    with state_change(alternative, transition, actor=actor, reason=reason, board=alternative.review.board):
        getattr(alternative, transition)(**kwargs)


def _add_steps(alternative: AlternativeReview) -> None:
    """The steps of the record's current type that it does not have yet (a converted review keeps the
    steps of its earlier type, done or not)."""
    have = set(alternative.steps.values_list("code", flat=True))
    offset = alternative.steps.count()
    AlternativeStep.objects.bulk_create(
        [
            AlternativeStep(
                alternative=alternative,
                review_type=alternative.review_type,
                position=offset + position,
                code=step.code,
                label=step.label,
                is_output=step.output,
            )
            for position, step in enumerate(STEPS_BY_TYPE[alternative.review_type], start=1)
            if step.code not in have
        ]
    )


def alternative_ensure(*, review: Review, actor, now=None) -> AlternativeReview | None:
    """The alternative-review record of a review of a non-SCR type, created with its type's steps, or
    brought to the review's new type after a conversion, keeping everything already recorded. Called
    inside the transaction of whoever created or converted the review (they checked permission)."""
    now = now_or(now)
    if review.review_type not in ALTERNATIVE_TYPES:
        return None
    alternative = AlternativeReview.objects.select_for_update().filter(review=review).first()
    if alternative is None:
        alternative = AlternativeReview.objects.create(
            review=review, review_type=review.review_type, created_at=now
        )
        _add_steps(alternative)
        log_transition(
            alternative, "create", "", actor, review.get_review_type_display(), board=alternative.review.board
        )
    elif alternative.review_type != review.review_type:
        previous_type = alternative.get_review_type_display()
        alternative.review_type = review.review_type
        alternative.save(update_fields=["review_type"])
        _add_steps(alternative)
        log_transition(
            alternative,
            "convert",
            alternative.state,
            actor,
            f"{previous_type} → {alternative.get_review_type_display()}",
            board=alternative.review.board,
        )
    return alternative


# --- Reads ---


def current_steps(alternative: AlternativeReview) -> list[AlternativeStep]:
    return [step for step in alternative.steps.all() if step.review_type == alternative.review_type]


def earlier_steps(alternative: AlternativeReview) -> list[AlternativeStep]:
    """Steps of a type the review had before a conversion, kept on record."""
    return [step for step in alternative.steps.all() if step.review_type != alternative.review_type]


def missing_before(alternative: AlternativeReview, step: AlternativeStep) -> list[AlternativeStep]:
    return [
        other for other in current_steps(alternative) if other.position < step.position and not other.is_done
    ]


def output_problems(alternative: AlternativeReview) -> list[str]:
    """What must be done before the output can be uploaded: every step before it."""
    if alternative.state == AlternativeState.PLANNING:
        return [NOT_UNDER_WAY]
    missing = [step.label for step in current_steps(alternative) if not step.is_output and not step.is_done]
    return [EARLIER_STEPS.format(steps="; ".join(missing))] if missing else []


# --- Appointing the people ---


@transaction.atomic
def alternative_appoint(
    *,
    alternative: AlternativeReview,
    actor,
    lead_user=None,
    lead_name: str = "",
    lead_organisation: str = "",
    lead_independent: bool = False,
    lead_agency=None,
    planned_completion: dt.date | None = None,
    planned_dates: dict[str, dt.date | None] | None = None,
    now=None,
) -> AlternativeReview:
    """Appoint who conducts the review: the facilitator of a learning day (chosen by the panel,
    independent or not), the auditor of an audit (possibly independent), the agency of a single-agency
    IMR, the panel or Q&E lead otherwise — a person of the board or a named outside person with their
    organisation. The first appointment puts the review under way. Planned dates are set here too."""
    now = now_or(now)
    alternative = _begin(alternative, actor, "appoint")
    review = alternative.review
    if alternative.state == AlternativeState.OUTPUT_ACCEPTED:
        raise ValidationError(APPOINT_CLOSED)
    lead_name, lead_organisation = lead_name.strip(), lead_organisation.strip()
    errors: dict[str, str] = {}
    if alternative.review_type == ReviewType.SINGLE_AGENCY:
        if lead_agency is None:
            errors["lead_agency"] = LEAD_AGENCY_REQUIRED
        elif lead_agency.board_id != review.board_id:
            errors["lead_agency"] = LEAD_AGENCY_OTHER_BOARD
        lead_user, lead_name, lead_organisation = None, "", ""
    else:
        lead_agency = None
        if lead_user is None and not lead_name:
            errors["lead_user"] = LEAD_REQUIRED
        elif lead_user is not None and lead_name:
            errors["lead_name"] = LEAD_BOTH
        elif (
            lead_user is not None
            and not Membership.objects.filter(user=lead_user, board=review.board).exists()
        ):
            errors["lead_user"] = LEAD_NOT_MEMBER
        elif lead_name and not lead_organisation:
            errors["lead_organisation"] = LEAD_ORGANISATION_REQUIRED
    dates = {"planned_completion": planned_completion} | {
        f"planned_{code}": day for code, day in (planned_dates or {}).items()
    }
    for field, day in dates.items():
        if day is not None and day < review.decision_date:
            errors[field] = PLANNED_BEFORE_DECISION.format(date=f"{review.decision_date:%d/%m/%Y}")
    if errors:
        raise ValidationError(errors)
    alternative.lead_user, alternative.lead_agency = lead_user, lead_agency
    alternative.lead_name, alternative.lead_organisation = lead_name, lead_organisation
    alternative.lead_independent = bool(lead_independent) and lead_agency is None
    alternative.planned_completion = planned_completion
    steps = {step.code: step for step in current_steps(alternative)}
    for code, day in (planned_dates or {}).items():
        if code in steps and steps[code].planned_on != day:
            steps[code].planned_on = day
            steps[code].save(update_fields=["planned_on"])
    reason = f"{alternative.lead_role_label}: {alternative.lead_display}"
    if alternative.state == AlternativeState.PLANNING:
        _move(alternative, actor, "start", reason, at=now, by=actor)
        if "facilitator_appointed" in steps and not steps["facilitator_appointed"].is_done:
            _mark_done(steps["facilitator_appointed"], actor, now, "Recorded with the appointment.")
    else:
        alternative.save()
        log_transition(
            alternative, "appoint", alternative.state, actor, reason, board=alternative.review.board
        )
    return alternative


# --- Steps ---


def _mark_done(step: AlternativeStep, actor, now: dt.datetime, note: str = "", on=None) -> None:
    step.done_at, step.done_by, step.note = now, actor, note
    step.done_on = on or timezone.localtime(now).date()
    step.save(update_fields=["done_at", "done_by", "done_on", "note"])


@transaction.atomic
def alternative_step_complete(
    *, alternative: AlternativeReview, actor, code: str, done_on: dt.date | None, note: str = "", now=None
) -> AlternativeStep:
    """Record a step as done, who recorded it, when and a note. Steps are done in order; the output's
    own step is done by uploading it."""
    now = now_or(now)
    alternative = _begin(alternative, actor, "run")
    review = alternative.review
    if alternative.state != AlternativeState.UNDER_WAY:
        raise ValidationError(NOT_UNDER_WAY if alternative.state == AlternativeState.PLANNING else CANNOT_NOW)
    step = next((s for s in current_steps(alternative) if s.code == code), None)
    if step is None:
        raise ValidationError(UNKNOWN_STEP)
    if step.is_done:
        raise ValidationError(STEP_DONE)
    if step.is_output:
        raise ValidationError(STEP_IS_OUTPUT.format(output=alternative.output_label))
    missing = missing_before(alternative, step)
    if missing:
        raise ValidationError(EARLIER_STEPS.format(steps="; ".join(s.label for s in missing)))
    if done_on is None:
        raise ValidationError({"done_on": DONE_ON_REQUIRED})
    if done_on > timezone.localtime(now).date():
        raise ValidationError({"done_on": DONE_IN_FUTURE})
    if done_on < review.decision_date:
        raise ValidationError(
            {"done_on": DONE_BEFORE_DECISION.format(date=f"{review.decision_date:%d/%m/%Y}")}
        )
    _mark_done(step, actor, now, note.strip(), on=done_on)
    log_transition(
        alternative, "complete_step", alternative.state, actor, step.label, board=alternative.review.board
    )
    if alternative.review_type == ReviewType.SINGLE_AGENCY and code == "agency_commissioned":
        # Cambridgeshire §8: the IMR is due about a month after commissioning (domain brief §5 #15).
        open_deadline(
            review,
            "imr-completed",
            trigger_at=now if done_on == timezone.localtime(now).date() else _midday(done_on),
            title=f"IMR completed by {alternative.lead_display}",
            actor=actor,
            responsible_users=_agency_contacts(alternative) or None,
            now=now,
        )
    return step


def _midday(day: dt.date) -> dt.datetime:
    from scr_portal.clock.schedule import at_local

    return at_local(day, 12)


def _agency_contacts(alternative: AlternativeReview) -> list:
    """The lead agency's contacts (an agency and its contacts belong to the review's board)."""
    if alternative.lead_agency_id is None:
        return []
    return agency_contacts(alternative.lead_agency_id)


# --- The output document ---


@transaction.atomic
def alternative_output_upload(*, alternative: AlternativeReview, actor, upload, note: str = "", now=None):
    """Upload the output (a PDF, DOCX or ODT, refused by its content otherwise, nothing saved), checked for
    names against the review's key. The first
    upload, once every step before it is done, records the output as received; a later one replaces it
    until it is accepted."""
    now = now_or(now)
    alternative = _begin(alternative, actor, "run")
    review = alternative.review
    if alternative.state not in (AlternativeState.UNDER_WAY, AlternativeState.OUTPUT_RECEIVED):
        planning = alternative.state == AlternativeState.PLANNING
        raise ValidationError(NOT_UNDER_WAY if planning else UPLOAD_NOT_NOW)
    problems = output_problems(alternative)
    if problems:
        raise ValidationError(problems)
    try:
        checked = check_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=upload_max_bytes())
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    stored = store_file(checked=checked, board=review.board, owner=alternative, kind=OUTPUT_KIND, actor=actor)
    # Checked at once against the review's key of people, like the overview report (domain brief §8.1):
    # the page shows what the check found before the output is shared beyond the board.
    report_check(review=review, stored_file=stored, actor=actor, now=now)
    alternative.output_file = stored
    label = f"{alternative.output_label.capitalize()} version {stored.version}"
    if alternative.state == AlternativeState.UNDER_WAY:
        output_step = next(s for s in current_steps(alternative) if s.is_output)
        _mark_done(output_step, actor, now, note.strip())
        _move(alternative, actor, "receive_output", label, at=now)
        deadline_meet_for(subject=review, rule_code="imr-completed", actor=actor, at=now)
    else:
        alternative.save(update_fields=["output_file"])
        log_transition(alternative, "upload", alternative.state, actor, label, board=alternative.review.board)
    return stored


# --- Acceptance and recommendations ---


@transaction.atomic
def alternative_accept(
    *,
    alternative: AlternativeReview,
    actor,
    accepted_by: str,
    accepted_on: dt.date | None,
    note: str = "",
    recommendations: list[dict],
    now=None,
) -> AlternativeReview:
    """Record that the output was accepted (by the panel chair, the monitoring group or the LSCB Chair),
    with its recommendations. Each recommendation goes into the review's action plan (drafted now if
    there is none); the review then enters monitoring, followed by the monitoring group of its type,
    until the plan is signed off as complete and the review closes (Cambridgeshire §12)."""
    now = now_or(now)
    alternative = _begin(alternative, actor, "run")
    review = alternative.review
    if alternative.output_file_id is None:
        raise ValidationError(NO_OUTPUT.format(output=alternative.output_label))
    if not can_proceed(alternative.accept_output):
        raise ValidationError(CANNOT_NOW)
    errors: dict[str, str] = {}
    if accepted_by not in AcceptedBy.values:
        errors["accepted_by"] = ACCEPTED_BY_REQUIRED
    received = timezone.localtime(alternative.output_received_at).date()
    if accepted_on is None:
        errors["accepted_on"] = ACCEPTED_ON_REQUIRED
    elif accepted_on < received:
        errors["accepted_on"] = ACCEPTED_BEFORE_OUTPUT.format(date=f"{received:%d/%m/%Y}")
    recommendations = [r for r in recommendations if (r.get("text") or "").strip() or r.get("addressed_to")]
    if not recommendations:
        errors["text"] = RECOMMENDATION_REQUIRED
    if errors:
        raise ValidationError(errors)
    plan = plans.plan_for(review, actor, now)
    for item in recommendations:
        plans.recommendation_add(
            plan=plan,
            actor=actor,
            source=RecommendationSource.OVERVIEW,
            text=item.get("text") or "",
            addressed_to=item.get("addressed_to") or "",
            agency=item.get("agency"),
            outcome=item.get("outcome") or "",
            now=now,
        )
    _move(
        alternative,
        actor,
        "accept_output",
        f"Accepted by {AcceptedBy(accepted_by).label.lower()} on {accepted_on:%d/%m/%Y}",
        by=accepted_by,
        on=accepted_on,
        note=note.strip(),
        recorded_by=actor,
    )
    if not can_proceed(review.monitor_alternative):
        raise ValidationError(CANNOT_NOW)
    reason = f"{alternative.output_label.capitalize()} accepted"
    with state_change(review, "monitor_alternative", actor=actor, reason=reason):
        review.monitor_alternative()
    notify(
        board_people(review.board, [monitoring_role(review)]),
        review,
        "An action plan to monitor",
        f"The {alternative.output_label} was accepted; its recommendations are in the review's action plan "
        f"for the {monitoring_group_name(review)} to monitor.",
    )
    return alternative
