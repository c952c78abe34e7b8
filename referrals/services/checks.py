"""The agency checks (App 2): the business unit writes to the agencies; each answers, or the business unit
records its reply."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_meet_for
from scr_portal.models import Agency
from scr_portal.notify import notify_on_commit
from scr_portal.people import agency_contacts
from scr_portal.services import now_or
from scr_portal.transitions import lock, state_change

from ..models import (
    AgencyCheck,
    Referral,
    ReferralState,
)
from ..permissions import user_agency_ids, user_may
from .common import (
    AGENCY_OF_OTHER_BOARD,
    ALL_REPLIED,
    CHECK_AFTER_DECISION,
    CHECK_CLOSED,
    NO_AGENCIES,
    _locked_for,
    open_deadline,
)

# --- Agency checks ------------------------------------------------------------------------------------


@transaction.atomic
def referral_send_agency_checks(
    *, referral: Referral, actor, agencies: Iterable[Agency], now=None
) -> Referral:
    """Write to each agency that may be involved (App 2), replies due in 3 working days. It can be sent
    again up to the decision: an agency not yet asked gets its check; one still waiting is reminded; one
    whose check the rescinded decision left unanswered is asked again; one that replied is left alone."""
    now = now_or(now)
    locked = _locked_for(referral, actor, "send_checks", "send_agency_checks")
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": NO_AGENCIES})
    if any(agency.board_id != locked.board_id for agency in agencies):
        raise ValidationError({"agencies": AGENCY_OF_OTHER_BOARD})
    asked = {check.agency_id: check for check in locked.agency_checks.all()}
    waiting = [asked[a.pk] for a in agencies if a.pk in asked and asked[a.pk].awaiting_reply]
    to_ask = [agency for agency in agencies if agency.pk not in asked or can_proceed(asked[agency.pk].reopen)]
    if not to_ask and not waiting:
        raise ValidationError({"agencies": ALL_REPLIED})
    names = ", ".join(agency.name for agency in to_ask)
    reminded = ", ".join(check.agency.name for check in waiting)
    reason = "; ".join(filter(None, [names, reminded and f"reminded: {reminded}"]))
    with state_change(locked, "send_agency_checks", actor=actor, reason=reason) as change:
        locked.send_agency_checks()
        change.save()
        for agency in to_ask:
            check = asked.get(agency.pk)
            if check is None:
                check = AgencyCheck.objects.create(referral=locked, agency=agency, sent_at=now, sent_by=actor)
                _ask(locked, check, actor=actor, now=now)
            else:
                check_reask(locked, check, actor=actor, now=now)
        for check in waiting:
            _notify(locked, check, REMINDER)
        deadline_meet_for(subject=locked, rule_code="agency-letters", actor=actor, at=now)
    return locked


REQUEST = (
    "Your agency has been asked whether it was involved with a child whose case has been referred for a "
    "serious case review. Please reply within 3 working days and make sure your records are secured."
)
REMINDER = (
    "A reminder: your agency has been asked whether it was involved with a child whose case has been "
    "referred for a serious case review, and has not replied yet. Please reply and make sure your records "
    "are secured."
)
REASKED = "Asked again: the Chair's decision was rescinded."


def check_reask(referral: Referral, check: AgencyCheck, *, actor, now) -> None:
    """Ask again an agency whose check a rescinded decision left unanswered."""
    with state_change(check, "reopen", actor=actor, reason=REASKED, board=referral.board):
        check.reopen(at=now, by=actor)
    _ask(referral, check, actor=actor, now=now)


def _notify(referral: Referral, check: AgencyCheck, body: str) -> None:
    notify_on_commit(
        agency_contacts(check.agency),
        subject=f"[{referral.reference}] Request for information",
        body=body,
        path=f"/checks/{check.pk}/",
    )


def _ask(referral: Referral, check: AgencyCheck, *, actor, now) -> None:
    """The check's reply deadline and the request to the agency's contacts."""
    open_deadline(
        referral,
        "agency-reply",
        subject=check,
        actor=actor,
        responsible_users=agency_contacts(check.agency),
        now=now,
        title=f"{check.agency.name}: confirm involvement or send a nil return",
    )
    _notify(referral, check, REQUEST)


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
    now = now_or(now)
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
