"""Terms of reference (domain brief §4.4; Solihull §2.2.2–2.2.5). Every save is a new dated version; the
working draft it replaces is superseded. Agencies are consulted, panel members comment, the panel agrees,
and the LSCB Chair approves, which freezes that version. Approving a later version supersedes the earlier
approved one, so exactly one approved version is current and the history is kept."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_meet_for
from scr_portal.models import Agency
from scr_portal.transitions import lock, log_transition, state_change

from .. import agency_reports
from ..guards import tor_approval_problems
from ..models import (
    WORKING_TOR_STATES,
    ReviewState,
    ToRComment,
    ToRConsultation,
    ToRState,
    ToRVersion,
)
from ..permissions import require
from ..scr_clock import TOR_APPROVED
from ._common import REVIEW_CLOSED, add_comment, locked, notify, now_or

PERIOD_BACKWARDS = "The end of the review period must be on or after its start."
SCOPE_REQUIRED = "Enter the scope of the review."
NO_AGENCIES = "Select at least one agency to consult."
AGENCY_OF_OTHER_BOARD = "That agency does not belong to this board."
NOT_A_DRAFT = "Only a draft can be sent for consultation. Save a new version to consult again."
RESPONSE_REQUIRED = "Enter the agency's response."
SUPERSEDED = "This version has been replaced by a later one."
CANNOT_AGREE = "The panel can only agree a draft or a version in consultation."
NOT_AGREED = "The panel must agree this version before the LSCB Chair approves it."

TOR_FIELDS = (
    "period_from",
    "period_to",
    "scope",
    "key_issues",
    "agencies",
    "family_involvement",
    "parallel_processes",
    "methodology",
    "other",
)


@transaction.atomic
def tor_save_version(*, review, actor, now=None, **fields) -> ToRVersion:
    """A new version, dated today, numbered after the last. The working draft it replaces is superseded;
    an approved version stays current until this one is approved."""
    now = now_or(now)
    review = locked(review)
    require(actor, review, "draft_tor")
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    data = {
        name: fields.get(name) or ("" if name not in ("period_from", "period_to") else None)
        for name in TOR_FIELDS
    }
    if data["period_from"] and data["period_to"] and data["period_to"] < data["period_from"]:
        raise ValidationError({"period_to": PERIOD_BACKWARDS})
    if not str(data["scope"]).strip():
        raise ValidationError({"scope": SCOPE_REQUIRED})
    for working in ToRVersion.objects.select_for_update().filter(review=review, state__in=WORKING_TOR_STATES):
        with state_change(
            working, "supersede", actor=actor, reason="A later version was saved.", board=review.board
        ):
            working.supersede()
    number = (ToRVersion.objects.filter(review=review).aggregate(top=Max("number"))["top"] or 0) + 1
    version = ToRVersion.objects.create(
        review=review,
        number=number,
        dated=timezone.localtime(now).date(),
        created_by=actor,
        created_at=now,
        **data,
    )
    log_transition(version, "draft", "", actor, f"Version {number}", board=version.review.board)
    return version


@transaction.atomic
def tor_send_for_consultation(
    *, version: ToRVersion, actor, agencies, sent_on: dt.date | None = None, now=None
):
    now = now_or(now)
    version = lock(version, "review__board")
    require(actor, version.review, "run")
    if not can_proceed(version.send_for_consultation):
        raise ValidationError(NOT_A_DRAFT)
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": NO_AGENCIES})
    if any(agency.board_id != version.review.board_id for agency in agencies):
        raise ValidationError({"agencies": AGENCY_OF_OTHER_BOARD})
    sent_on = sent_on or timezone.localtime(now).date()
    ToRConsultation.objects.bulk_create(
        [
            ToRConsultation(version=version, agency=a, sent_on=sent_on, recorded_by=actor, recorded_at=now)
            for a in agencies
        ]
    )
    reason = ", ".join(a.name for a in agencies)
    with state_change(version, "consult", actor=actor, reason=reason, board=version.review.board):
        version.send_for_consultation()
    return version


@transaction.atomic
def tor_record_response(
    *, consultation: ToRConsultation, actor, response: str, responded_on: dt.date, now=None
) -> ToRConsultation:
    now = now_or(now)
    consultation = (
        ToRConsultation.objects.select_for_update()
        .select_related("version__review__board")
        .get(pk=consultation.pk)
    )
    require(actor, consultation.version.review, "run")
    if not response.strip():
        raise ValidationError({"response": RESPONSE_REQUIRED})
    consultation.response = response.strip()
    consultation.responded_on = responded_on
    consultation.recorded_by = actor
    consultation.recorded_at = now
    consultation.save(update_fields=["response", "responded_on", "recorded_by", "recorded_at"])
    return consultation


@transaction.atomic
def tor_comment(*, version: ToRVersion, actor, text: str, now=None) -> ToRComment:
    return add_comment(
        ToRComment, version, actor, text, now, lambda v: SUPERSEDED if v.state == ToRState.SUPERSEDED else ""
    )


@transaction.atomic
def tor_panel_agree(*, version: ToRVersion, actor, now=None) -> ToRVersion:
    now = now_or(now)
    version = lock(version, "review__board")
    require(actor, version.review, "agree_tor")
    if not can_proceed(version.panel_agree):
        raise ValidationError(CANNOT_AGREE)
    with state_change(version, "agree", actor=actor, board=version.review.board):
        version.panel_agree(by=actor, at=now)
    return version


@transaction.atomic
def tor_approve(*, version: ToRVersion, actor, now=None) -> ToRVersion:
    """The LSCB Chair approves: this version is frozen and becomes the one IMR authors see. The first
    approval moves the review on from scoping (domain brief §4.2 TOR_APPROVED)."""
    now = now_or(now)
    review = locked(version.review)
    version = lock(version, "review__board")
    require(actor, review, "approve_tor")
    if not can_proceed(version.approve):
        raise ValidationError(SUPERSEDED if version.state == ToRState.SUPERSEDED else NOT_AGREED)
    problems = tor_approval_problems(review)
    if problems:
        raise ValidationError(problems)
    for current in ToRVersion.objects.select_for_update().filter(review=review, state=ToRState.APPROVED):
        reason = f"Version {version.number} approved."
        with state_change(current, "supersede", actor=actor, reason=reason, board=review.board):
            current.supersede()
    with state_change(
        version, "approve", actor=actor, reason=f"Version {version.number}", board=review.board
    ):
        version.approve(by=actor, at=now)
    deadline_meet_for(
        subject=review, rule_code="tor-and-imr-letters", title=TOR_APPROVED, actor=actor, at=now
    )
    if review.state == ReviewState.SCOPING:
        reason = f"Terms of reference version {version.number} approved"
        with state_change(review, "approve_tor", actor=actor, reason=reason):
            review.approve_tor()
    else:
        notify(
            [author for author, _ in agency_reports.authors(review)],
            review,
            "The terms of reference have changed",
            "A new version of the terms of reference has been approved. Please work to it.",
        )
    return version


def consultable_agencies(review):
    return Agency.objects.filter(board=review.board).order_by("name")
