"""How the review machine serves each framework (issue 20; scr_portal.frameworks): the stages and
transitions it uses, what it calls them and its extra named guards, and the review-level data the services
read: which review type the framework holds, which deadline rule is its completion and what meets it, the
copy to the national body before publication, and whether agencies' reports are always commissioned.

England 2023 (Working Together 2023, chapter 5; the domain brief §10): a local child safeguarding practice
review on the same stages as the serious case review, without Ofsted's evaluation; its report is due within
6 months of the partners' decision and agreed by them; a copy goes to the Child Safeguarding Practice Review
Panel and the Secretary of State at least 7 working days before publication. Registered in
`ReviewsConfig.ready`."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from scr_portal import frameworks
from scr_portal.clock.services import board_working_day
from scr_portal.frameworks import DEFAULT, ENGLAND_2023, SCR_2010, MachinePart

from . import agency_reports
from .models import FULL_REVIEW_TYPES, MACHINE, Review, ReviewState, ReviewType
from .scr_clock import SCR_ONLY_RULES

# The engine's transitions of the review's state (reviews.models.review).
TRANSITIONS = (
    "start_scoping",
    "approve_tor",
    "commission_imrs",
    "start_imrs",
    "schedule_presentation",
    "hold_presentation",
    "start_overview",
    "send_final_draft",
    "start_exec_summary",
    "start_panel_qa",
    "adopt",
    "return_to_drafting",
    "stand_down",
    "submit_to_ofsted",
    "record_evaluation",
    "publish",
    "start_monitoring",
    "monitor_alternative",
    "close",
)
COPY_SENT_RULE = "copy_sent_seven_working_days_before"
COPY_WORKING_DAYS = 7

SCR_PART = MachinePart(
    framework=SCR_2010, machine=MACHINE, stages=tuple(ReviewState.values), transitions=TRANSITIONS
)
ENGLAND_PART = MachinePart(
    framework=ENGLAND_2023,
    machine=MACHINE,
    stages=tuple(state for state in ReviewState.values if state != ReviewState.EVALUATED),
    transitions=tuple(name for name in TRANSITIONS if name != "record_evaluation"),
    labels={
        ReviewState.IMRS_COMMISSIONED: "Agency reports commissioned",
        ReviewState.IMRS_IN_PROGRESS: "Agency reports in progress",
        ReviewState.OVERVIEW_DRAFTING: "Reviewer's report drafting",
        ReviewState.PANEL_QA: "Partners' quality assurance",
        ReviewState.ADOPTED: "Agreed by the partners",
        ReviewState.SUBMITTED_TO_OFSTED: "Copy sent to the Panel and the Secretary of State",
        ReviewState.PUBLISHED: "Published",
    },
    guards={"publish": (COPY_SENT_RULE,)},
)


@dataclass(frozen=True)
class ReviewRules:
    """What a framework's review needs beyond its machine part."""

    full_review: str  # the ReviewType its decision to hold a review creates
    completion_rule: str  # the deadline rule of the review's report
    completion_met_by: str  # the transition that meets it
    scr_clock: bool = False  # opens the serious case review's clock (create.scr_deadlines_open)
    opens_at_decision: tuple[str, ...] = ()  # other rules opened from the decision
    copy_rule: str = ""  # the deadline met when the copy goes to the national body before publication
    # Agencies' reports only where the board asks for them: the review may pass the IMR stages with none.
    agency_reports_optional: bool = False
    # The board permission of the acts the LSCB Chair records under the SCR framework (approving the terms
    # of reference, adoption, closure, overrides): England 2023's partners' business unit records them.
    chair_acts_with: str = "decide_referrals"


REVIEW_RULES = {
    SCR_2010: ReviewRules(
        full_review=ReviewType.SCR,
        completion_rule="review-completion",
        completion_met_by="submit_to_ofsted",
        scr_clock=True,
    ),
    ENGLAND_2023: ReviewRules(
        full_review=ReviewType.LCSPR,
        completion_rule="e23-lcspr-report",
        completion_met_by="adopt",
        opens_at_decision=("e23-lcspr-report",),
        copy_rule="e23-copy-before-publication",
        agency_reports_optional=True,
        chair_acts_with="work_cases",
    ),
}
COMPLETION_RULES = tuple(sorted({rules.completion_rule for rules in REVIEW_RULES.values()}))
# What only the review a framework holds has: a conversion to another type cancels these.
FULL_REVIEW_ONLY_RULES = (
    *SCR_ONLY_RULES,
    *(
        code
        for rules in REVIEW_RULES.values()
        for code in (*rules.opens_at_decision, rules.copy_rule)
        if code
    ),
)


def review_rules(review: Review) -> ReviewRules:
    return REVIEW_RULES[review.review_framework or DEFAULT]


def without_agency_reports(review: Review) -> bool:
    """The review passes the IMR stages with no agencies' reports: none were commissioned and its
    framework commissions them only where the board asks for them."""
    return review_rules(review).agency_reports_optional and not any(agency_reports.agency_ids(review))


def earliest_publication(review: Review) -> dt.date | None:
    """The first day the review may be published after its copy to the national body: 7 working days
    after it was sent, by the board's calendar. None until the copy is sent."""
    submission = getattr(review, "ofsted_submission", None)
    if submission is None:
        return None
    return board_working_day(review.board, submission.submitted_on, COPY_WORKING_DAYS)


def copy_sent_seven_working_days_before(review: Review) -> bool:
    """The copy must go to the Panel and the Secretary of State at least 7 working days before publication."""
    earliest = earliest_publication(review)
    return earliest is not None and timezone.localdate() >= earliest


def register() -> None:
    frameworks.register_machine(MACHINE, Review)
    frameworks.register_part(SCR_PART)
    frameworks.register_part(ENGLAND_PART)
    frameworks.register_rule(COPY_SENT_RULE, copy_sent_seven_working_days_before)
    unknown = {rules.full_review for rules in REVIEW_RULES.values()} - FULL_REVIEW_TYPES
    assert not unknown, f"Not a full review type: {unknown}"
