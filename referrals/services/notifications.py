"""Notifications to Ofsted, the DfE and the National Panel, recorded as sent; each meets its post-decision
task."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import deadline_meet_for
from scr_portal.services import now_or

from ..frameworks import side
from ..models import (
    ExternalNotification,
    Referral,
    ReferralState,
)
from .common import DECISION_NOTICE_TASKS, NO_DECISION_YET, _locked_for

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
    the incident meets the week-one deadline (Solihull §1.6.2); for England 2023, telling the Child
    Safeguarding Practice Review Panel meets the five working days (domain brief §10)."""
    now = now_or(now)
    locked = _locked_for(referral, actor, "record_notification")
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
        rule_code, bodies = side(locked).incident_notice
        if bodies <= told:
            deadline_meet_for(subject=locked, rule_code=rule_code, actor=actor, at=sent_at)
    elif event == "decision" and body in DECISION_NOTICE_TASKS:
        # The notice task is the review's, or the referral's own where no review is held.
        deadline_meet_for(
            subject=getattr(locked, "review", None) or locked,
            rule_code="decision-notice",
            title=DECISION_NOTICE_TASKS[body],
            actor=actor,
            at=sent_at,
        )
    return notification
