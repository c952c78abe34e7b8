"""Part 2: the LSCB Chair's decision. What follows in the layers above (the review and its deadlines) is
theirs: they register in referrals.decisions."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import can_proceed

from scr_portal import frameworks
from scr_portal.clock.services import (
    deadline_cancel,
    deadline_meet_for,
    deadlines_of,
)
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.models.people import REGULATOR_PROMPTS, NotifyBody
from scr_portal.notify import notify_on_commit
from scr_portal.people import business_unit, partner_leads
from scr_portal.services import now_or
from scr_portal.transitions import log_transition, state_change

from ..decisions import decision_followers
from ..frameworks import side
from ..models import (
    Advice,
    AgencyCheckState,
    Decision,
    Recommendation,
    Referral,
    ReferralState,
)
from .common import (
    ALREADY_DECIDED,
    ALTERNATIVE_TYPE_REQUIRED,
    DECISION_NOTICE_TASKS,
    NOT_READY_TO_DECIDE,
    REASONS_REQUIRED_DEPART,
    REASONS_REQUIRED_NFA,
    _locked_for,
    open_deadline,
)

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
    referrals.decisions. Under England 2023 the business unit records the safeguarding partners' decision
    here, and it takes effect when the last partner's lead confirms it (`referrals.services.partners`)."""
    now = now_or(now)
    locked = _locked_for(referral, actor, "decide")
    if locked.state == ReferralState.DECIDED or Decision.objects.filter(referral=locked).exists():
        raise ValidationError(ALREADY_DECIDED)
    if not can_proceed(locked.decide, check_conditions=False):
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
    if can_proceed(locked.decide):
        decision_take_effect(locked, decision, actor=actor, now=now)
    else:
        # The framework's rules still hold it back (England 2023: the partners' leads confirm it).
        log_transition(locked, "record_decision", locked.state, actor, decision.get_outcome_display())
        notify_on_commit(
            partner_leads(locked.board),
            subject=f"[{locked.reference}] Confirm the safeguarding partners' decision",
            body=f"The safeguarding partners' decision on {locked.reference} has been recorded: "
            f"{decision.get_outcome_display().lower()}. It stands once each partner's lead has confirmed it.",
            path=f"/referrals/{locked.pk}/partners-decision/",
        )
    return decision


def decision_take_effect(locked: Referral, decision: Decision, *, actor, now) -> None:
    """The referral is decided: its transition and log row, its deadlines met or closed, and what the
    layers above do next. `locked` is the referral already locked by the caller."""
    framework_side = side(locked)
    subject, opening = framework_side.decided_words
    with state_change(locked, "decide", actor=actor, reason=decision.get_outcome_display()):
        locked.decide(at=now)
    deadline_meet_for(subject=locked, rule_code="decision", actor=actor, at=now)
    _close_open_work(
        locked,
        actor=actor,
        now=now,
        reason=f"{subject}.",
        keep=set(framework_side.kept_open_at_decision),
        decided=True,
    )
    for follow in decision_followers():
        follow(referral=locked, decision=decision, actor=actor, now=now)
    if decision.outcome == Recommendation.NFA:
        _no_review_notice(locked, actor=actor, now=now)
    notify_on_commit(
        business_unit(locked.board),
        subject=f"[{locked.reference}] {subject}",
        body=f"{opening} {locked.reference}: "
        f"{decision.get_outcome_display().lower()}.{regulator_prompts_text(locked.board)}",
        path=f"/referrals/{locked.pk}/",
    )


def regulator_prompts_text(board) -> str:
    """The prompts of Solihull §5.1.3 the board lists (DECISION_NOTIFY_BODIES): the agencies tell their own
    regulators of the decision; the business unit reminds them."""
    prompts = [NotifyBody(body).label for body in REGULATOR_PROMPTS if body in board.decision_notify_bodies]
    if not prompts:
        return ""
    return "\n\nRemind the agencies (Solihull §5.1.3): " + "; ".join(prompts) + "."


def _no_review_notice(referral: Referral, *, actor, now) -> None:
    """After a decision to hold no review, the National Panel may scrutinise it (Cambridgeshire §5): where
    the board's DECISION_NOTIFY_BODIES lists the Panel, a task reminds the business unit to tell it."""
    if NotifyBody.NATIONAL_PANEL not in referral.board.decision_notify_bodies:
        return
    open_deadline(
        referral,
        "decision-notice",
        actor=actor,
        responsible_users=business_unit(referral.board),
        title=DECISION_NOTICE_TASKS[NotifyBody.NATIONAL_PANEL],
        now=now,
    )


def _close_open_work(
    referral: Referral, *, actor, now, reason: str, keep: Iterable[str] = (), decided: bool = False
) -> None:
    """Cancel the referral's still-open deadlines and agency checks when it is decided or closed. A check
    still open at the Chair's decision is recorded as not answered by the decision (a miss), not as not
    needed; it is "not needed" only when the referral closes without a decision."""
    for deadline in (
        deadlines_of(referral).filter(status__in=ACTIVE_STATUSES).exclude(rule__code__in=list(keep))
    ):
        deadline_cancel(deadline=deadline, actor=actor, reason=reason, now=now)
    words = frameworks.get(referral.review_framework)
    check_reason = f"Not answered by {words.word('decision')}." if decided else reason
    for check in referral.agency_checks.filter(state=AgencyCheckState.PENDING):
        if decided:
            with state_change(check, "miss", actor=actor, reason=check_reason, board=referral.board):
                check.miss()
        else:
            check.cancel()
            check.save()
        for deadline in deadlines_of(check).filter(status__in=ACTIVE_STATUSES):
            deadline_cancel(deadline=deadline, actor=actor, reason=check_reason, now=now)
