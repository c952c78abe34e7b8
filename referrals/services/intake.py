"""Part 1 of the referral: drafts saved and come back to, the rows of the family, the agencies and the key
dates, what must be answered, and submission (Solihull guidance App 1; domain brief §2.1)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import (
    deadline_meet,
)
from scr_portal.models import Board
from scr_portal.notify import notify_on_commit
from scr_portal.people import business_unit
from scr_portal.services import now_or
from scr_portal.transitions import log_transition, state_change

from ..criteria import current_framework, referral_advice
from ..frameworks import side
from ..models import (
    Referral,
    ReferralState,
)
from ..permissions import user_agency_ids
from .common import NOT_A_DRAFT, _locked_for, _next_reference, open_deadline

AWARE_REQUIRED = "Enter the date the local authority became aware of the incident"
AWARE_IN_FUTURE = "Date the local authority became aware must be today or in the past"

# --- Drafts -------------------------------------------------------------------------------------------


@transaction.atomic
def referral_create_draft(*, board: Board, actor, on_behalf: bool = False, now=None) -> Referral:
    now = now_or(now)
    referral = Referral.objects.create(
        board=board,
        reference=_next_reference(board, timezone.localtime(now).year),
        created_by=actor,
        entered_on_behalf=on_behalf,
        review_framework=board.review_framework,
        framework=current_framework(board.review_framework),
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
    locked = _locked_for(referral, actor, "edit_draft")
    if locked.state != ReferralState.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    return locked


@transaction.atomic
def referral_replace_rows(*, referral: Referral, actor, relation: str, rows: list[dict]) -> None:
    """Replace the repeatable rows of a section (family, agencies, key dates) with what the form holds."""
    locked = _locked_for(referral, actor, "edit_draft")
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
    if side(referral).needs_aware_on:
        need("child", referral.aware_on, AWARE_REQUIRED)
        if referral.aware_on and referral.aware_on > today:
            problems.append(("child", AWARE_IN_FUTURE))
    return problems


@transaction.atomic
def referral_submit(*, referral: Referral, actor, now=None) -> Referral:
    now = now_or(now)
    locked = _locked_for(referral, actor, "submit")
    if not can_proceed(locked.submit):
        raise ValidationError(NOT_A_DRAFT)
    today = timezone.localtime(now).date()
    problems = part1_problems(locked, today=today)
    if problems:
        raise ValidationError([message for _, message in problems])
    advice = referral_advice(locked)
    locked.advice, locked.advice_reasons = advice.advice, advice.reasons
    received_at = now
    if locked.entered_on_behalf and locked.received_on and locked.received_on < today:
        received_at = at_local(locked.received_on, 9)
    with state_change(locked, "submit", actor=actor, reason=f"Advice: {locked.get_advice_display()}"):
        locked.submit(at=now, received_at=received_at)
    board, reference = locked.board, locked.reference
    bu = business_unit(board)
    responsible = {"business_unit": bu, "decision_makers": side(locked).decision_recorders(board), "": ()}
    dates = {"received": received_at, "aware": locked.aware_on, "incident": locked.incident_date, "now": now}
    # The framework's deadlines from the case's dates. A rule met at once (Part 1 within 72 hours of the
    # incident; the partners told within 5 working days) is only a warning: late if the date was long ago.
    for rule_code, counted_from, who, met_at in side(locked).on_submit:
        start = dates[counted_from]
        deadline = open_deadline(
            locked,
            rule_code,
            trigger_at=start if counted_from == "received" else at_local(start, 0),
            actor=actor,
            responsible_users=responsible[who],
            now=now,
        )
        if met_at:
            deadline_meet(deadline=deadline, actor=actor, at=dates[met_at])
    notify_on_commit(
        bu,
        subject=f"[{reference}] New referral to process",
        body=f"Referral {reference} has been submitted. Agency letters are due within one working day.",
        path=f"/referrals/{locked.pk}/",
    )
    return locked
