"""Every write to a referral. Each state change: lock the row, check the permission and the guard, call the
django-fsm transition, save, write the transition log and open or meet deadlines through the clock — all
in one transaction; emails go after commit. Domain errors are ValidationError/PermissionDenied with the
messages below, which the pages show as they are."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import (
    deadline_cancel,
    deadline_meet,
    deadline_meet_for,
    deadline_open,
    deadlines_of,
)
from scr_portal.models import Agency, Board, Role, User
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.notify import notify_on_commit
from scr_portal.people import agency_contacts, board_people, business_unit, lscb_chairs
from scr_portal.transitions import lock, log_transition, state_change

from .criteria import compute_advice, current_framework
from .decisions import decision_followers
from .models import (
    Advice,
    AgencyCheck,
    AgencyCheckState,
    Decision,
    ExternalNotification,
    Recommendation,
    Referral,
    ReferralState,
    ScreeningMeeting,
)
from .permissions import user_agency_ids, user_may

NOT_A_DRAFT = "This referral has been submitted and can no longer be changed here."
ALREADY_DECIDED = "This referral has already been decided. Your decision was not saved."
ONLY_CHAIR_DECIDES = "Only the LSCB Chair can decide whether a review is held."
NOT_READY_TO_DECIDE = "The referral needs a screening recommendation before the Chair decides."
REASONS_REQUIRED_NFA = "Give the reasons for deciding that no review is held."
REASONS_REQUIRED_DEPART = "Give the reasons for a decision that departs from the advice."
ALTERNATIVE_TYPE_REQUIRED = "Select which alternative review is held."
CHECK_CLOSED = "This request has already been answered or is closed."
CHECK_AFTER_DECISION = "The Chair has decided on this referral, so the request can no longer be answered."
NO_AGENCIES = "Select at least one agency to write to."
AGENCY_OF_OTHER_BOARD = "That agency does not belong to this board."
CANNOT_NOW = "That cannot be done at this stage of the referral."
DUPLICATE_OF_ITSELF = "A referral cannot be a duplicate of itself."
DUPLICATE_OTHER_BOARD = "The original referral must belong to the same board."
DUPLICATE_OF_CLOSED = "The original must be a referral that is not itself closed as a duplicate."
REASON_REQUIRED = "Give the reason."
NOT_SUBCOMMITTEE = "Members present must be members of the board's SCR sub-committee."
NO_DECISION_YET = "There is no decision to notify yet."
LEAD_BOARD_REQUIRED = "Enter the name of the board that will lead."

POST_DECISION_TASKS = (
    "Tell Ofsted of the decision",
    "Tell the DfE of the decision",
    "Tell the National Panel of the decision",
    "Send letters to chief officers, copied to the panel",
    "Agencies confirm their records are secured",
)
REVIEW_TYPE_FOR = {Recommendation.SCR: "scr"}


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _require(actor, referral: Referral, action: str) -> None:
    if not user_may(actor, referral, action):
        raise PermissionDenied(
            ONLY_CHAIR_DECIDES if action == "decide" else "You cannot do that on this referral."
        )


def _next_reference(board: Board, year: int) -> str:
    Board.objects.select_for_update().filter(pk=board.pk).first()  # serialises numbering per board
    prefix = f"{board.short_name}-{year}-"
    last = (
        Referral.objects.filter(board=board, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


# --- Drafts -------------------------------------------------------------------------------------------


@transaction.atomic
def referral_create_draft(*, board: Board, actor, on_behalf: bool = False, now=None) -> Referral:
    now = _now(now)
    referral = Referral.objects.create(
        board=board,
        reference=_next_reference(board, timezone.localtime(now).year),
        created_by=actor,
        entered_on_behalf=on_behalf,
        framework=current_framework(),
    )
    if not on_behalf:
        agency_ids = user_agency_ids(actor, board)
        referral.referrer_name = actor.full_name
        referral.referrer_email = actor.email
        referral.referrer_job_title = actor.job_title
        referral.referrer_agency_id = agency_ids[0] if agency_ids else None
        referral.save(
            update_fields=["referrer_name", "referrer_email", "referrer_job_title", "referrer_agency"]
        )
    log_transition(referral, "create", "", actor)
    return referral


@transaction.atomic
def referral_update(*, referral: Referral, actor, **fields) -> Referral:
    """Save answers of one section of the draft ("save and come back later")."""
    locked = lock(referral, "board")
    _require(actor, locked, "edit_draft")
    if locked.state != ReferralState.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    return locked


@transaction.atomic
def referral_replace_rows(*, referral: Referral, actor, relation: str, rows: list[dict]) -> None:
    """Replace the repeatable rows of a section (family, agencies, key dates) with what the form holds."""
    locked = lock(referral, "board")
    _require(actor, locked, "edit_draft")
    if locked.state != ReferralState.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    manager = getattr(locked, relation)
    manager.all().delete()
    model = manager.model
    has_order = any(field.name == "order" for field in model._meta.fields)
    model.objects.bulk_create(
        [
            model(referral=locked, **row, **({"order": index} if has_order else {}))
            for index, row in enumerate(rows)
        ]
    )


def part1_problems(referral: Referral, *, today: dt.date) -> list[tuple[str, str]]:
    """What stops Part 1 being complete, as (section, message) pairs. Cambridgeshire requires section 1
    "fully completed"; the referrer confirms consulting their designated professional and referring to
    children's social care (Cambridgeshire §2)."""
    problems: list[tuple[str, str]] = []

    def need(section: str, ok, message: str) -> None:
        if not ok:
            problems.append((section, message))

    need("referrer", referral.referrer_name, "Enter the referrer's name")
    need("referrer", referral.referrer_agency_id, "Select the referrer's agency")
    need("referrer", referral.referrer_email, "Enter the referrer's email address")
    need("child", referral.child_name, "Enter the child's name")
    need("child", referral.child_date_of_birth, "Enter the child's date of birth")
    need("child", referral.incident_date, "Enter the date of the critical incident")
    need("child", referral.child_cp_plan, "Select whether the child has been on a child protection plan")
    dob, death, incident = referral.child_date_of_birth, referral.child_date_of_death, referral.incident_date
    if dob and dob > today:
        problems.append(("child", "Date of birth must be in the past"))
    if dob and death and death < dob:
        problems.append(("child", "Date of death must be the same as or after the date of birth"))
    if dob and incident and incident < dob:
        problems.append(("child", "Date of the incident must be the same as or after the date of birth"))
    if incident and incident > today:
        problems.append(("child", "Date of the incident must be today or in the past"))
    if death and death > today:
        problems.append(("child", "Date of death must be today or in the past"))
    if incident and referral.entered_on_behalf and referral.received_on and incident > referral.received_on:
        problems.append(
            ("child", "Date of the incident must be on or before the date the referral was received")
        )
    need("circumstances", referral.brief_account, "Enter a brief account of the facts")
    need("circumstances", referral.triggers, "Select at least one triggering circumstance")
    need("circumstances", referral.trigger_account, "Describe the triggering circumstances")
    need("circumstances", referral.other_children_at_risk, "Say whether other children may be at risk")
    need(
        "circumstances",
        referral.designated_professional_consulted,
        "Confirm that the designated professional or your agency's Board member was consulted",
    )
    need(
        "circumstances",
        referral.csc_referral_made,
        "Confirm that a referral to children's social care was made",
    )
    need("circumstances", referral.lead_board_is_this_board is not None, "Say which board should lead")
    questions = referral.framework.questions.values_list("code", flat=True) if referral.framework else []
    missing = [code for code in questions if code not in referral.criteria_answers]
    need("criteria", not missing, "Answer every question of the checklist")
    if referral.entered_on_behalf:
        need("referrer", referral.received_on, "Enter the date the referral was received")
    return problems


@transaction.atomic
def referral_submit(*, referral: Referral, actor, now=None) -> Referral:
    now = _now(now)
    locked = lock(referral, "board")
    _require(actor, locked, "submit")
    if not can_proceed(locked.submit):
        raise ValidationError(NOT_A_DRAFT)
    today = timezone.localtime(now).date()
    problems = part1_problems(locked, today=today)
    if problems:
        raise ValidationError([message for _, message in problems])
    advice = compute_advice(locked.criteria_answers)
    locked.advice, locked.advice_reasons = advice.advice, advice.reasons
    received_at = now
    if locked.entered_on_behalf and locked.received_on and locked.received_on < today:
        received_at = at_local(locked.received_on, 9)
    with state_change(locked, "submit", actor=actor, reason=f"Advice: {locked.get_advice_display()}"):
        locked.submit(at=now, received_at=received_at)
    board, reference = locked.board, locked.reference
    bu, chairs = business_unit(board), lscb_chairs(board)
    # 72 hours from the incident for Part 1 is a warning only: met now, late if the incident was longer ago.
    part1 = deadline_open(
        board=board,
        subject=locked,
        rule_code="referral-part1",
        case_reference=reference,
        trigger_at=at_local(locked.incident_date, 0),
        actor=actor,
        now=now,
    )
    deadline_meet(deadline=part1, actor=actor, at=now)
    for rule_code, responsible in [
        ("agency-letters", bu),
        ("incident-notice", bu),
        ("screening", bu),
        ("decision", chairs),
    ]:
        deadline_open(
            board=board,
            subject=locked,
            rule_code=rule_code,
            case_reference=reference,
            trigger_at=received_at,
            actor=actor,
            responsible_users=responsible,
            now=now,
        )
    notify_on_commit(
        bu,
        subject=f"[{reference}] New referral to process",
        body=f"Referral {reference} has been submitted. Agency letters are due within one working day.",
        path=f"/referrals/{locked.pk}/",
    )
    return locked


# --- Agency checks ------------------------------------------------------------------------------------


@transaction.atomic
def referral_send_agency_checks(
    *, referral: Referral, actor, agencies: Iterable[Agency], now=None
) -> Referral:
    """Write to each agency that may be involved (App 2), one check each, replies due in 3 working days."""
    now = _now(now)
    locked = lock(referral, "board")
    _require(actor, locked, "send_checks")
    if not can_proceed(locked.send_agency_checks):
        raise ValidationError(CANNOT_NOW)
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": NO_AGENCIES})
    if any(agency.board_id != locked.board_id for agency in agencies):
        raise ValidationError({"agencies": AGENCY_OF_OTHER_BOARD})
    names = ", ".join(agency.name for agency in agencies)
    with state_change(locked, "send_agency_checks", actor=actor, reason=names) as change:
        locked.send_agency_checks()
        change.save()
        for agency in agencies:
            check = AgencyCheck.objects.create(referral=locked, agency=agency, sent_at=now, sent_by=actor)
            contacts = agency_contacts(agency)
            deadline_open(
                board=locked.board,
                subject=check,
                rule_code="agency-reply",
                case_reference=locked.reference,
                trigger_at=now,
                actor=actor,
                responsible_users=contacts,
                now=now,
                title=f"{agency.name}: confirm involvement or send a nil return",
            )
            notify_on_commit(
                contacts,
                subject=f"[{locked.reference}] Request for information",
                body="Your agency has been asked whether it was involved with a child whose case has been "
                "referred for a serious case review. Please reply within 3 working days and make "
                "sure your records are secured.",
                path=f"/checks/{check.pk}/",
            )
        deadline_meet_for(subject=locked, rule_code="agency-letters", actor=actor, at=now)
    return locked


@transaction.atomic
def agency_check_answer(
    *,
    check: AgencyCheck,
    actor,
    involved: bool,
    records_secured_on=None,
    open_file_copied=None,
    outline: str = "",
    staff_told=None,
    respondent_name: str = "",
    now=None,
) -> AgencyCheck:
    now = _now(now)
    locked = lock(check, "referral__board", "agency")
    referral = locked.referral
    by_business_unit = locked.agency_id not in user_agency_ids(actor, referral.board)
    if by_business_unit and not user_may(actor, referral, "record_check_reply"):
        raise PermissionDenied("Only the agency's contact or the business unit can answer this request.")
    if referral.state not in (
        ReferralState.AGENCY_CHECKS,
        ReferralState.SCREENING_SCHEDULED,
        ReferralState.RECOMMENDED,
    ):
        raise ValidationError(
            CHECK_AFTER_DECISION if referral.state == ReferralState.DECIDED else CHECK_CLOSED
        )
    transition = locked.answer_involved if involved else locked.answer_nil_return
    if not can_proceed(transition):
        raise ValidationError(CHECK_CLOSED)
    if involved:
        if not records_secured_on:
            raise ValidationError({"records_secured_on": "Enter the date the records were secured"})
        if not outline.strip():
            raise ValidationError({"outline": "Outline what your agency knew of the child and family"})
    reason = "Recorded by the business unit" if by_business_unit else ""
    # Only a pending check can be answered, so the log reads from "pending" as it always has.
    with state_change(locked, "answer", actor=actor, reason=reason, board=referral.board):
        if involved:
            locked.answer_involved(
                at=now,
                records_secured_on=records_secured_on,
                open_file_copied=open_file_copied,
                outline=outline,
                staff_told=staff_told,
            )
        else:
            locked.answer_nil_return(at=now)
        locked.respondent = actor
        locked.respondent_name = respondent_name or actor.full_name
        locked.recorded_by_business_unit = by_business_unit
    deadline_meet_for(subject=locked, rule_code="agency-reply", actor=actor, at=now)
    return locked


# --- Screening and recommendation ---------------------------------------------------------------------


@transaction.atomic
def referral_schedule_screening(*, referral: Referral, actor, meeting_date: dt.date, now=None) -> list[str]:
    """Set (or move) the sub-committee meeting. Returns warnings: the meeting should be within 3 weeks."""
    now = _now(now)
    locked = lock(referral, "board")
    _require(actor, locked, "schedule_screening")
    if not can_proceed(locked.schedule_screening):
        raise ValidationError(CANNOT_NOW)
    with state_change(
        locked, "schedule_screening", actor=actor, reason=f"Meeting on {meeting_date:%d/%m/%Y}"
    ) as change:
        locked.schedule_screening()
        change.save()
        ScreeningMeeting.objects.update_or_create(
            referral=locked, defaults={"meeting_date": meeting_date, "scheduled_by": actor}
        )
    warnings = []
    screening = deadlines_of(locked).filter(rule__code="screening").first()
    if screening and meeting_date > screening.due_date:
        warnings.append(
            f"The meeting is after {screening.due_date:%A %-d %B %Y}, three weeks from the referral "
            "(Cambridgeshire §2)."
        )
    return warnings


@transaction.atomic
def referral_record_recommendation(
    *,
    referral: Referral,
    actor,
    members_present: Iterable[User],
    deputies: str = "",
    written_reports: str = "",
    recommendation: str,
    alternative_type: str = "",
    reasons: str,
    draft_tor_notes: str = "",
    suggested_author: str = "",
    now=None,
) -> Referral:
    now = _now(now)
    locked = lock(referral, "board")
    _require(actor, locked, "recommend")
    if not can_proceed(locked.recommend):
        raise ValidationError(CANNOT_NOW)
    if recommendation == Recommendation.ALTERNATIVE and not alternative_type:
        raise ValidationError({"alternative_type": ALTERNATIVE_TYPE_REQUIRED})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the recommendation"})
    members_present = list(members_present)
    subcommittee = {user.pk for user in board_people(locked.board, [Role.SUBCOMMITTEE_MEMBER])}
    if any(user.pk not in subcommittee for user in members_present):
        raise ValidationError({"members_present": NOT_SUBCOMMITTEE})
    meeting = locked.screening
    meeting.recommendation, meeting.alternative_type = recommendation, alternative_type
    meeting.reasons, meeting.deputies, meeting.written_reports = reasons, deputies, written_reports
    meeting.draft_tor_notes, meeting.suggested_author = draft_tor_notes, suggested_author
    meeting.recommended_at, meeting.recommended_by = now, actor
    meeting.save()
    meeting.members_present.set(members_present)
    with state_change(locked, "recommend", actor=actor, reason=meeting.get_recommendation_display()):
        locked.recommend()
    deadline_meet_for(
        subject=locked, rule_code="screening", actor=actor, at=min(now, at_local(meeting.meeting_date, 17))
    )
    notify_on_commit(
        lscb_chairs(locked.board),
        subject=f"[{locked.reference}] Decision awaiting",
        body=f"The sub-committee has made its recommendation on referral {locked.reference}. "
        "Your decision is due within one month of the referral.",
        path=f"/referrals/{locked.pk}/",
    )
    return locked


# --- The Chair's decision -----------------------------------------------------------------------------


def departs_from_advice(advice: str, outcome: str) -> bool:
    if advice in (Advice.MUST_REVIEW, Advice.MUST_REVIEW_CUSTODY):
        return outcome != Recommendation.SCR
    if advice == Advice.BELOW_THRESHOLD:
        return outcome == Recommendation.SCR
    return False


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    actor,
    outcome: str,
    reasons: str,
    members_consulted: str,
    legal_advice_sought: bool,
    alternative_type: str = "",
    suggested_author: str = "",
    now=None,
):
    """Part 2: the LSCB Chair decides. What follows in the layers above (the review, for an SCR its
    three-working-day tasks and six-month completion clock) is theirs: they register in
    referrals.decisions."""
    now = _now(now)
    locked = lock(referral, "board")
    _require(actor, locked, "decide")
    if locked.state == ReferralState.DECIDED:
        raise ValidationError(ALREADY_DECIDED)
    if not can_proceed(locked.decide):
        raise ValidationError(NOT_READY_TO_DECIDE)
    departs = departs_from_advice(locked.advice, outcome)
    if outcome == Recommendation.NFA and not reasons.strip():
        raise ValidationError({"reasons": REASONS_REQUIRED_NFA})
    if departs and not reasons.strip():
        raise ValidationError({"reasons": REASONS_REQUIRED_DEPART})
    if outcome == Recommendation.ALTERNATIVE and not alternative_type:
        raise ValidationError({"alternative_type": ALTERNATIVE_TYPE_REQUIRED})
    if not members_consulted.strip():
        raise ValidationError({"members_consulted": "Enter the LSCB members consulted"})
    with state_change(locked, "decide", actor=actor) as change:
        locked.decide(at=now)
        change.save()
        decision = Decision.objects.create(
            referral=locked,
            outcome=outcome,
            alternative_type=alternative_type if outcome == "alternative" else "",
            reasons=reasons,
            departs_from_advice=departs,
            members_consulted=members_consulted,
            legal_advice_sought=legal_advice_sought,
            suggested_author=suggested_author,
            decided_by=actor,
            decided_at=now,
        )
        change.reason = decision.get_outcome_display()
    deadline_meet_for(subject=locked, rule_code="decision", actor=actor, at=now)
    _close_open_work(locked, actor=actor, now=now, reason="The Chair has decided.", keep={"incident-notice"})
    for follow in decision_followers():
        follow(referral=locked, decision=decision, actor=actor, now=now)
    notify_on_commit(
        business_unit(locked.board),
        subject=f"[{locked.reference}] The Chair has decided",
        body=f"The LSCB Chair has decided on referral {locked.reference}: "
        f"{decision.get_outcome_display().lower()}.",
        path=f"/referrals/{locked.pk}/",
    )
    return decision


def _close_open_work(referral: Referral, *, actor, now, reason: str, keep: Iterable[str] = ()) -> None:
    """Cancel the referral's still-open deadlines and agency checks when it is decided or closed."""
    for deadline in (
        deadlines_of(referral).filter(status__in=ACTIVE_STATUSES).exclude(rule__code__in=list(keep))
    ):
        deadline_cancel(deadline=deadline, actor=actor, reason=reason, now=now)
    for check in referral.agency_checks.filter(state=AgencyCheckState.PENDING):
        check.cancel()
        check.save()
        for deadline in deadlines_of(check).filter(status__in=ACTIVE_STATUSES):
            deadline_cancel(deadline=deadline, actor=actor, reason=reason, now=now)


# --- Closing without a decision -----------------------------------------------------------------------


@transaction.atomic
def referral_withdraw(*, referral: Referral, actor, reason: str, now=None) -> Referral:
    now = _now(now)
    locked = lock(referral, "board")
    if not (
        user_may(actor, locked, "withdraw")
        or (locked.state == ReferralState.DRAFT and locked.created_by_id == actor.pk)
    ):
        raise PermissionDenied("You cannot withdraw this referral.")
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if not can_proceed(locked.withdraw):
        raise ValidationError(CANNOT_NOW)
    with state_change(locked, "withdraw", actor=actor, reason=reason):
        locked.withdraw(reason=reason)
    _close_open_work(locked, actor=actor, now=now, reason=f"Referral withdrawn: {reason}")
    return locked


@transaction.atomic
def referral_transfer(*, referral: Referral, actor, lead_board: str, reason: str, now=None) -> Referral:
    """Pass the referral to the board where the child is ordinarily resident (Solihull §1.3.2)."""
    now = _now(now)
    locked = lock(referral, "board")
    _require(actor, locked, "transfer")
    if not lead_board.strip():
        raise ValidationError({"lead_board": LEAD_BOARD_REQUIRED})
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if not can_proceed(locked.transfer):
        raise ValidationError(CANNOT_NOW)
    with state_change(locked, "transfer", actor=actor, reason=f"To {lead_board}: {reason}"):
        locked.transfer(lead_board=lead_board, reason=reason)
    _close_open_work(locked, actor=actor, now=now, reason=f"Transferred to {lead_board}")
    return locked


@transaction.atomic
def referral_mark_duplicate(
    *, referral: Referral, actor, original: Referral, reason: str, now=None
) -> Referral:
    now = _now(now)
    locked = lock(referral, "board")
    _require(actor, locked, "mark_duplicate")
    if original.pk == locked.pk:
        raise ValidationError({"original": DUPLICATE_OF_ITSELF})
    if original.board_id != locked.board_id:
        raise ValidationError({"original": DUPLICATE_OTHER_BOARD})
    if original.state in (ReferralState.DUPLICATE, ReferralState.DRAFT):
        raise ValidationError({"original": DUPLICATE_OF_CLOSED})
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if not can_proceed(locked.mark_duplicate):
        raise ValidationError(CANNOT_NOW)
    reason_logged = f"Duplicate of {original.reference}: {reason}"
    with state_change(locked, "mark_duplicate", actor=actor, reason=reason_logged):
        locked.mark_duplicate(original=original, reason=reason)
    _close_open_work(locked, actor=actor, now=now, reason=f"Duplicate of {original.reference}")
    return locked


# --- External notifications ---------------------------------------------------------------------------


@transaction.atomic
def external_notification_record(
    *,
    referral: Referral,
    actor,
    body: str,
    event: str,
    sent_on: dt.date,
    method: str,
    anonymised_text: str,
    their_reference: str = "",
    now=None,
) -> ExternalNotification:
    """Record what was sent to Ofsted, the DfE or the National Panel. Telling both Ofsted and the DfE of
    the incident meets the week-one deadline (Solihull §1.6.2)."""
    now = _now(now)
    locked = lock(referral, "board")
    _require(actor, locked, "record_notification")
    if not anonymised_text.strip():
        raise ValidationError({"anonymised_text": "Enter the anonymised text that was sent"})
    if event == "decision" and locked.state != ReferralState.DECIDED:
        raise ValidationError({"event": NO_DECISION_YET})
    if ExternalNotification.objects.filter(referral=locked, body=body, event=event).exists():
        raise ValidationError("That notification has already been recorded.")
    notification = ExternalNotification.objects.create(
        referral=locked,
        body=body,
        event=event,
        sent_on=sent_on,
        method=method,
        their_reference=their_reference,
        anonymised_text=anonymised_text,
        recorded_by=actor,
        recorded_at=now,
    )
    sent_at = min(now, at_local(sent_on, 12))
    if event == "incident":
        told = set(
            ExternalNotification.objects.filter(referral=locked, event="incident").values_list(
                "body", flat=True
            )
        )
        if {"ofsted", "dfe"} <= told:
            deadline_meet_for(subject=locked, rule_code="incident-notice", actor=actor, at=sent_at)
    elif event == "decision" and hasattr(locked, "review"):
        title = {
            "ofsted": POST_DECISION_TASKS[0],
            "dfe": POST_DECISION_TASKS[1],
            "national_panel": POST_DECISION_TASKS[2],
        }[body]
        task = deadlines_of(locked.review).filter(title=title, status__in=ACTIVE_STATUSES).first()
        if task:
            deadline_meet(deadline=task, actor=actor, at=sent_at)
    return notification
