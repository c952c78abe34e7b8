"""The IMR from preparation to its final version (domain brief §4.3): factual check, agency quality assurance,
sign-off, submission, the panel's quality assurance (accept, or return for rework with guidance and a new
date), presentation, further information. Each state change locks the row, checks permission and guard, calls
the django-fsm transition, saves, writes the transition log and opens or meets deadlines through the clock, in
one transaction; emails go after commit and carry a case reference, never a name."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import can_proceed

from reviews.services import review_follow_imrs
from scr_portal.clock.services import deadline_meet_for
from scr_portal.models.people import StaffReviewScope
from scr_portal.people import agency_contacts, business_unit
from scr_portal.services import blank, refuse_problems

from ..models import (
    IMR,
    FurtherInformationRequest,
    IMRState,
    QADecision,
    QualityAssurance,
)
from ..parts import ALL_PARTS, PART_TITLES, titles
from ..quality import QA_CODES, QA_TEXT
from ..selectors import current_sign_off
from ._common import (
    CANNOT_NOW,
    acting,
    cancel_deadlines,
    imr_change,
    local_today,
    now_or,
    open_deadline,
    panel,
    set_aside_sign_off,
    tell,
    writers,
)

RECORDS_SECURED_REQUIRED = "Enter the date the agency's records were secured."
SIGNED_IN_FUTURE = "The date must be today or in the past."
CHRONOLOGY_EMPTY = "Add the chronology before sending the IMR for factual check."
NOT_SIGNED_OFF = (
    "The IMR has not been signed off by its author and the head of agency, so it cannot be submitted. "
    "Record the sign-off first."
)
QA_POINT_UNANSWERED = "Say whether the IMR meets this point."
ACCEPT_WITH_UNMET = (
    "An IMR that falls short on any point goes back for rework with guidance. Return it for rework, or "
    "record every point as met."
)
RETURN_ALL_MET = "Say which points the IMR falls short on before returning it for rework."
GUIDANCE_REQUIRED = "Give guidance on how to improve this point."
NEW_DUE_DATE_REQUIRED = "Enter the new date for the reworked IMR."
NEW_DUE_DATE_NOT_FUTURE = "The new date must be in the future."
REQUEST_REQUIRED = "Say what further information is needed."
REQUEST_DUE_NOT_FUTURE = "The date must be in the future."
CANCEL_REASON_REQUIRED = "Give the reason for cancelling the IMR."
RESPONSE_REQUIRED = "Explain what was added and why (the addendum)."
PARTS_REQUIRED = "Select the parts of the IMR the author needs to change."
UNKNOWN_PART = "Select parts of the IMR from the list."


def _panel_and_business_unit(imr: IMR) -> list:
    return [*panel(imr.review), *business_unit(imr.review.board)]


def _simple_step(imr: IMR, actor, action: str, transition: str) -> IMR:
    """A state change that needs only the permission for `action` and the transition's guard."""
    current = acting(imr, actor, action, transition)
    with imr_change(current, transition, actor=actor):
        getattr(current, transition)()
    return current


# What the panel asks of the author and the agency by a date: the deadline's rule and the notice.
ASKED = {
    "imr-rework": (
        "IMR returned for rework",
        "The panel has returned the IMR for case {case} for rework, with guidance. The reworked IMR is due "
        "by {due:%d/%m/%Y} and needs fresh sign-off.",
    ),
    "further-information": (
        "Further information requested",
        "The panel has asked for further information on the IMR for case {case}, by {due:%d/%m/%Y}.",
    ),
}


def _send_back(imr: IMR, transition: str, rule_code: str, due_date: dt.date, *, reason: str, actor, now):
    """The panel sends the IMR back to its writers (`transition`) to change by `due_date`: the sign-off is
    set aside, so the IMR is signed again, and the writers are asked under `rule_code`."""
    set_aside_sign_off(imr, now)
    with imr_change(imr, transition, actor=actor, reason=reason):
        getattr(imr, transition)()
    open_deadline(imr, rule_code, actor=actor, now=now, responsible_users=writers(imr), due_date=due_date)
    subject, body = ASKED[rule_code]
    tell(writers(imr), imr, subject, body.format(case=imr.case_reference, due=due_date))


# --- The author's and the agency's steps --------------------------------------------------------------


@transaction.atomic
def imr_start_preparation(*, imr: IMR, actor, records_secured_on: dt.date | None = None, now=None) -> IMR:
    """The author starts work (or restarts it after a return for rework), noting the date the agency's
    records were secured (Solihull App 6 header)."""
    now = now_or(now)
    current = acting(imr, actor, "write", "start_preparation")
    secured = records_secured_on or current.records_secured_on
    if secured is None:
        raise ValidationError({"records_secured_on": RECORDS_SECURED_REQUIRED})
    if secured > local_today(now):
        raise ValidationError({"records_secured_on": SIGNED_IN_FUTURE})
    reason = "Rework started." if current.state == IMRState.RETURNED_FOR_REWORK else ""
    with imr_change(current, "start_preparation", actor=actor, reason=reason, fields=["records_secured_on"]):
        current.start_preparation(records_secured_on=secured)
    return current


@transaction.atomic
def imr_send_for_factual_check(*, imr: IMR, actor, now=None) -> IMR:
    """Extracts go to the workers concerned to check the facts (Solihull §9.1.9). The chronology has been
    collated by now (Cambridgeshire §8: in the first week)."""
    now = now_or(now)
    current = acting(imr, actor, "write", "send_for_factual_check")
    if not current.chronology.exists():
        raise ValidationError(CHRONOLOGY_EMPTY)
    # What the workers concerned see is the board's STAFF_REVIEW_SCOPE (domain brief §9): extracts that
    # concern them (Solihull §9.1.9) or the whole IMR (Bolton's leaflet).
    scope = StaffReviewScope(current.review.board.staff_review_scope)
    with imr_change(
        current, "send_for_factual_check", actor=actor, reason=f"Staff see: {scope.label.lower()}"
    ):
        current.send_for_factual_check()
    deadline_meet_for(subject=current, rule_code="chronology-collated", actor=actor, at=now)
    return current


@transaction.atomic
def imr_send_for_agency_qa(*, imr: IMR, actor, now=None) -> IMR:
    """The facts are checked: the commissioning senior officer quality-assures the IMR and accepts its
    findings (Cambridgeshire §8; Solihull §9.1.3)."""
    current = _simple_step(imr, actor, "agency_qa", "send_for_agency_qa")
    tell(
        agency_contacts(current.agency_id),
        current,
        "IMR ready for your quality assurance",
        f"The IMR for case {current.case_reference} is ready for the agency's quality assurance and "
        "sign-off.",
    )
    return current


@transaction.atomic
def imr_submit(*, imr: IMR, actor, now=None) -> IMR:
    """Submission to the panel. An IMR not clearly signed off is returned automatically in the sources
    (Solihull App 5; Cambridgeshire §8): here it simply cannot be submitted."""
    now = now_or(now)
    current = acting(imr, actor, "submit")
    if current.state in (
        IMRState.IN_PREPARATION,
        IMRState.FACTUAL_CHECK,
        IMRState.AGENCY_QA,
        IMRState.AUTHOR_SIGNED,
    ):
        raise ValidationError(NOT_SIGNED_OFF)
    if not can_proceed(current.submit):
        raise ValidationError(CANNOT_NOW)
    sign_off = current_sign_off(current)
    if sign_off is None or not sign_off.is_complete:
        raise ValidationError(NOT_SIGNED_OFF)
    with imr_change(current, "submit", actor=actor):
        current.submit()
    for rule_code in ("imr-rework", "imr-completed"):
        deadline_meet_for(subject=current, rule_code=rule_code, actor=actor, at=now)
    tell(
        _panel_and_business_unit(current),
        current,
        "IMR submitted",
        f"The IMR for case {current.case_reference} has been submitted for the panel's quality assurance.",
    )
    return current


# --- The panel's quality assurance --------------------------------------------------------------------


def _checked_points(points: dict) -> tuple[list[dict], dict]:
    """points: {code: (met: bool | None, guidance: str)} → stored list and field errors."""
    stored, errors = [], {}
    for code in QA_CODES:
        met, guidance = points.get(code, (None, ""))
        if met is None:
            errors[f"met_{code}"] = QA_POINT_UNANSWERED
        stored.append({"code": code, "text": QA_TEXT[code], "met": met, "guidance": (guidance or "").strip()})
    return stored, errors


def _record_qa(imr: IMR, comments: str, *, actor, now, **decision) -> QualityAssurance:
    """The panel's decision (`decision`, `points`, and for a return the `new_due_date`), signed and dated."""
    return QualityAssurance.objects.create(
        imr=imr, comments=comments.strip(), decided_by=actor, decided_at=now, **decision
    )


@transaction.atomic
def imr_accept(*, imr: IMR, actor, points: dict, comments: str = "", now=None) -> QualityAssurance:
    """The panel accepts the IMR: it meets every point of the checklist (Solihull §4.1.1, App 14 §4.5)."""
    now = now_or(now)
    current = acting(imr, actor, "quality_assure", "accept")
    stored, errors = _checked_points(points)
    if errors:
        raise ValidationError(errors)
    if not all(point["met"] for point in stored):
        raise ValidationError({"decision": ACCEPT_WITH_UNMET})
    qa = _record_qa(current, comments, actor=actor, now=now, decision=QADecision.ACCEPTED, points=stored)
    with imr_change(current, "accept", actor=actor):
        current.accept()
    # An accepted IMR was written: the review's IMRs are in progress, if not recorded already (issue 19).
    review_follow_imrs(review=current.review, actor=actor, transition="start_imrs")
    tell(
        writers(current),
        current,
        "IMR accepted",
        f"The panel has accepted the IMR for case {current.case_reference}.",
    )
    return qa


@transaction.atomic
def imr_return_for_rework(
    *, imr: IMR, actor, points: dict, comments: str = "", new_due_date: dt.date | None, now=None
) -> QualityAssurance:
    """The panel returns the IMR with written guidance on every point it falls short on and a new date
    (Solihull App 14 §4.5). The sign-off is superseded: the reworked IMR needs fresh sign-off."""
    now = now_or(now)
    current = acting(imr, actor, "quality_assure", "return_for_rework")
    stored, errors = _checked_points(points)
    for point in stored:
        if point["met"] is False and not point["guidance"]:
            errors[f"guidance_{point['code']}"] = GUIDANCE_REQUIRED
    if new_due_date is None:
        errors["new_due_date"] = NEW_DUE_DATE_REQUIRED
    elif new_due_date <= local_today(now):
        errors["new_due_date"] = NEW_DUE_DATE_NOT_FUTURE
    if errors:
        raise ValidationError(errors)
    if all(point["met"] for point in stored):
        raise ValidationError({"decision": RETURN_ALL_MET})
    qa = _record_qa(
        current,
        comments,
        actor=actor,
        now=now,
        decision=QADecision.RETURNED,
        points=stored,
        new_due_date=new_due_date,
    )
    short = sum(1 for point in stored if not point["met"])
    reason = f"{short} point{'s' if short != 1 else ''} to improve; new date {new_due_date:%d/%m/%Y}."
    _send_back(current, "return_for_rework", "imr-rework", new_due_date, reason=reason, actor=actor, now=now)
    return qa


# --- After acceptance: presentation, further information, final --------------------------------------


@transaction.atomic
def imr_present(*, imr: IMR, actor, now=None) -> IMR:
    """The author presented the IMR to the panel (Solihull §12)."""
    return _simple_step(imr, actor, "present", "present")


def _asked_parts(parts) -> tuple[list[str], str | None]:
    """The parts a request names, in the IMR's order, and the problem with them if any."""
    asked = list(parts or ())
    if not asked:
        return [], PARTS_REQUIRED
    if set(asked) - ALL_PARTS:
        return [], UNKNOWN_PART
    return [slug for slug in PART_TITLES if slug in asked], None


@transaction.atomic
def imr_request_further_information(
    *, imr: IMR, actor, parts, request: str, due_date: dt.date | None, now=None
) -> FurtherInformationRequest:
    """The panel asks for more, naming the parts of the IMR it reopens (`imr.parts`), with a date (Solihull
    App 14 §9.5; domain brief §5 #19). The sign-off no longer covers the IMR: it is signed again after."""
    now = now_or(now)
    current = acting(imr, actor, "request_information", "request_further_information")
    asked_parts, parts_problem = _asked_parts(parts)
    errors = {"parts": parts_problem} if parts_problem else {}
    if not (request or "").strip():
        errors["request"] = REQUEST_REQUIRED
    if due_date is None:
        errors["due_date"] = "Enter the date the information is needed by."
    elif due_date <= local_today(now):
        errors["due_date"] = REQUEST_DUE_NOT_FUTURE
    if errors:
        raise ValidationError(errors)
    asked = FurtherInformationRequest.objects.create(
        imr=current,
        parts=asked_parts,
        request=request.strip(),
        due_date=due_date,
        requested_by=actor,
        requested_at=now,
    )
    reason = f"Reopened: {', '.join(titles(asked_parts))}. Due {due_date:%d/%m/%Y}."
    _send_back(
        current,
        "request_further_information",
        "further-information",
        due_date,
        reason=reason,
        actor=actor,
        now=now,
    )
    return asked


@transaction.atomic
def imr_provide_further_information(*, imr: IMR, actor, response: str, now=None) -> FurtherInformationRequest:
    """The author writes the addendum explaining what was added and why (App 14 §5). The asked parts close
    again; the author signs the IMR, then the head of agency signs it off, before the panel has it."""
    now = now_or(now)
    current = acting(imr, actor, "provide_information", "provide_further_information")
    if not (response or "").strip():
        raise ValidationError({"response": RESPONSE_REQUIRED})
    asked = current.open_information_request()
    with imr_change(current, "provide_further_information", actor=actor):
        current.provide_further_information()
    asked.response = response.strip()
    asked.provided_by = actor
    asked.provided_at = now
    asked.save(update_fields=["response", "provided_by", "provided_at"])
    # A request made before its parts were named: its sign-off was not set aside when it was made.
    set_aside_sign_off(current, now)
    return asked


def further_information_signed_off(imr: IMR, *, actor, now) -> None:
    """The head of agency has signed off the IMR with its further information: it is back with the panel,
    presented, and the request's deadline is met."""
    deadline_meet_for(subject=imr, rule_code="further-information", actor=actor, at=now)
    tell(
        _panel_and_business_unit(imr),
        imr,
        "Further information sent",
        f"The further information for the IMR of case {imr.case_reference} has been signed off by the "
        "head of agency and sent to the panel.",
    )


def reopen_information_request(imr: IMR) -> None:
    """The agency's quality assurance returned the further information to the author: the panel's request
    (and the parts it names) is open again, with the addendum kept as a draft."""
    asked = imr.information_requests.filter(provided_at__isnull=False).order_by("-requested_at").first()
    if asked is not None:
        asked.provided_by, asked.provided_at = None, None
        asked.save(update_fields=["provided_by", "provided_at"])


@transaction.atomic
def imr_finalise(*, imr: IMR, actor, now=None) -> IMR:
    """The IMR is final and goes into the full SCR (Solihull §13.2.2)."""
    return _simple_step(imr, actor, "finalise", "finalise")


@transaction.atomic
def imr_cancel(*, imr: IMR, actor, reason: str, now=None) -> IMR:
    """The review no longer needs the IMR (an agency commissioned in error, a review stood down): cancelled
    with the reason; its deadlines and those of its interviews no longer apply."""
    now = now_or(now)
    current = acting(imr, actor, "cancel", "cancel")
    reason = (reason or "").strip()
    refuse_problems({"reason": blank(reason, CANCEL_REASON_REQUIRED)})
    with imr_change(current, "cancel", actor=actor, reason=reason, fields=["cancelled_reason"]):
        current.cancel(reason=reason)
    for subject in (current, *current.interviews.all()):
        cancel_deadlines(subject, actor=actor, reason="IMR cancelled.", now=now)
    tell(
        [*writers(current), *_panel_and_business_unit(current)],
        current,
        "IMR cancelled",
        f"The IMR for case {current.case_reference} has been cancelled. The reason is on the IMR's page.",
    )
    return current
