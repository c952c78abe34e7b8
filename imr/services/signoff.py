"""Sign-off, each from their own account (Solihull App 6; App 14 §4.4, §8.3; issue 16): the author signs
the author's declaration, with an action plan covering every recommendation or, where the IMR makes none,
the reason; then the agency's head (chief executive or director) signs it off with their name and job title
printed. Until the head signs, the agency's quality assurance can return the IMR to the author. The same
two signatures close a request for further information: its addendum is signed again before the IMR is
presented once more."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from scr_portal.people import heads_of_agency
from scr_portal.services import blank, refuse_problems

from ..models import IMR, IMRState, SignOff
from ..selectors import current_sign_off, recommendations_without_actions
from ._common import (
    CANNOT_NOW,
    acting,
    imr_change,
    local_today,
    now_or,
    set_aside_sign_off,
    tell,
    writers,
)
from .workflow import further_information_signed_off, reopen_information_request

SIGNATURE_REQUIRED = "Enter your signature (your full name)"
SIGNED_ON_REQUIRED = "Enter the date you signed"
AUTHOR_SIGNATURE_MISMATCH = "The author's signature must be the author's full name: {name}."
HEAD_SIGNATURE_MISMATCH = "Your signature must be your full name: {name}."
HEAD_JOB_TITLE_MISSING = (
    "Your account has no job title to print under your signature. Ask the business unit to add it."
)
SIGNED_IN_FUTURE = "The date must be today or in the past."
HEAD_BEFORE_AUTHOR = "The head of agency signs on or after the author ({signed:%d/%m/%Y})."
PLAN_INCOMPLETE = (
    "Every recommendation needs at least one action in the action plan before sign-off. "
    "Add actions to recommendation {numbers}."
)
NO_RECOMMENDATIONS_REASON_REQUIRED = (
    "The action plan is empty. Record that the IMR makes no recommendations and why, or add them to the "
    "action plan."
)
RETURN_REASON_REQUIRED = "Say what the author needs to change."


def _signature_problems(signature: str, signed_on: dt.date | None, *, name: str, mismatch: str, now):
    problems = {
        "signature": blank(signature, SIGNATURE_REQUIRED),
        "signed_on": None if signed_on else SIGNED_ON_REQUIRED,
    }
    if signature.strip() and signature.strip().casefold() != name.strip().casefold():
        problems["signature"] = mismatch.format(name=name)
    if signed_on and signed_on > local_today(now):
        problems["signed_on"] = SIGNED_IN_FUTURE
    return problems


def _plan_checked(imr: IMR, no_recommendations_reason: str) -> None:
    missing = recommendations_without_actions(imr)
    if missing:
        raise ValidationError(PLAN_INCOMPLETE.format(numbers=", ".join(str(n) for n in missing)))
    if not imr.plan_recommendations.exists() and not no_recommendations_reason:
        raise ValidationError({"no_recommendations_reason": NO_RECOMMENDATIONS_REASON_REQUIRED})


@transaction.atomic
def imr_author_sign(
    *,
    imr: IMR,
    actor,
    signature: str,
    signed_on: dt.date | None,
    no_recommendations_reason: str = "",
    now=None,
) -> SignOff:
    """The author's declaration, from the author's own account; the head of agency is asked to sign off."""
    now = now_or(now)
    current = acting(imr, actor, "author_sign", "author_sign")
    signature, reason = (signature or "").strip(), (no_recommendations_reason or "").strip()
    refuse_problems(
        _signature_problems(
            signature, signed_on, name=current.author.full_name, mismatch=AUTHOR_SIGNATURE_MISMATCH, now=now
        )
    )
    _plan_checked(current, reason)
    signed = SignOff.objects.create(
        imr=current,
        author_signature=signature,
        author_signed_on=signed_on,
        no_recommendations_reason=reason if not current.plan_recommendations.exists() else "",
        recorded_by=actor,
        recorded_at=now,
    )
    with imr_change(current, "author_sign", actor=actor):
        current.author_sign()
    tell(
        heads_of_agency(current.agency_id),
        current,
        "IMR ready for your sign-off",
        f"The author has signed the IMR for case {current.case_reference}. It needs your sign-off as head "
        "of agency.",
    )
    return signed


@transaction.atomic
def imr_sign_off(*, imr: IMR, actor, signature: str, signed_on: dt.date | None, now=None) -> SignOff:
    """The head of agency signs off from their own account: their name and job title are printed from it."""
    now = now_or(now)
    current = acting(imr, actor, "sign_off", "sign_off")
    signed = current_sign_off(current)
    if signed is None:
        raise ValidationError(CANNOT_NOW)
    signature = (signature or "").strip()
    problems = _signature_problems(
        signature, signed_on, name=actor.full_name, mismatch=HEAD_SIGNATURE_MISMATCH, now=now
    )
    if signed_on and signed_on < signed.author_signed_on and not problems["signed_on"]:
        problems["signed_on"] = HEAD_BEFORE_AUTHOR.format(signed=signed.author_signed_on)
    refuse_problems(problems)
    if not actor.job_title.strip():
        raise ValidationError(HEAD_JOB_TITLE_MISSING)
    _plan_checked(current, signed.no_recommendations_reason)
    signed.head_name, signed.head_title = actor.full_name, actor.job_title
    signed.head_signature, signed.head_signed_on, signed.head_signed_by = signature, signed_on, actor
    signed.save(
        update_fields=["head_name", "head_title", "head_signature", "head_signed_on", "head_signed_by"]
    )
    with imr_change(current, "sign_off", actor=actor, reason=f"Signed off by {actor.job_title}."):
        current.sign_off()
    if current.state == IMRState.PRESENTED:
        further_information_signed_off(current, actor=actor, now=now)
        return signed
    tell(
        writers(current),
        current,
        "IMR signed off",
        f"The head of agency has signed off the IMR for case {current.case_reference}. It can be submitted.",
    )
    return signed


@transaction.atomic
def imr_return_to_author(*, imr: IMR, actor, reason: str, now=None) -> IMR:
    """The agency's own quality assurance sends the IMR back to its author; a signature already given is
    superseded, so the changed IMR is signed again."""
    now = now_or(now)
    current = acting(imr, actor, "return_to_author", "return_to_author")
    reason = (reason or "").strip()
    refuse_problems({"reason": blank(reason, RETURN_REASON_REQUIRED)})
    set_aside_sign_off(current, now)
    with imr_change(current, "return_to_author", actor=actor, reason=reason):
        current.return_to_author()
    if current.state == IMRState.FURTHER_INFO_REQUESTED:
        reopen_information_request(current)
    if current.author is not None:
        tell(
            [current.author],
            current,
            "IMR returned to you",
            f"The agency's quality assurance has returned the IMR for case {current.case_reference} to you. "
            "The reason is on the IMR's page.",
        )
    return current
