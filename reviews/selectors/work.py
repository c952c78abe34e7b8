"""The review's next step (who takes it, what the guard still asks for) and the work it gives each person on
their home page (issue 19): the same permission checks (`ReviewAccess.may`) and guards the services use,
for every open review a person works on, on any of their boards, in a number of queries that does not grow
with other boards' reviews."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django_fsm import can_proceed

from scr_portal.permissions import board_perms_held, object_perms_by_pk
from scr_portal.work import WorkItem, soonest_deadlines

from .. import agency_reports, guards
from ..frameworks import review_rules, without_agency_reports
from ..models import (
    FINAL_STATES,
    ActionState,
    AuthorConfirmation,
    ConfirmationStatus,
    PanelRole,
    Review,
    ReviewState,
)
from ..permissions import (
    BOARD,
    BOARD_WIDE_PERMS,
    PANEL,
    UPLOAD_REPORTS,
    ReviewAccess,
    monitored_reviews,
    panel_roles_of,
)
from ..services.lifecycle import STEPS


def _url(name: str, review: Review, *args) -> str:
    return reverse(name, args=[review.pk, *args])


def _url_or_blank(name: str, **kwargs) -> str:
    """A link into another app's pages, if that app provides it."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


# Who takes each step, for those who wait on them ("Waiting for the LSCB Chair", issue 19).
WHO_MAY = {
    "run": "the business unit",
    "approve_tor": "the LSCB Chair",
    "adopt": "the LSCB Chair",
    "close": "the LSCB Chair",
    "publish": "the business unit or the LSCB Chair",
    "follow_imrs": "the panel or the business unit",
}


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str
    may: bool
    problems: list[str] = field(default_factory=list)
    action: str = "run"

    @property
    def waiting_for(self) -> str:
        """Whom the user waits for when the step is not theirs: "" when it is."""
        return "" if self.may else WHO_MAY.get(self.action, "someone else")


# The step offered from each state: (slug or url name, label, permission action).
NEXT_STEPS = {
    **{state: None for state in ReviewState.values},
    ReviewState.SETUP: ("start-scoping", "Start scoping", "run"),
    ReviewState.SCOPING: ("tor", "Approve the terms of reference", "approve_tor"),
    # Commissioning the IMRs moves the review itself (issue 19): the step is the commissioning page.
    ReviewState.TOR_APPROVED: ("commission", "Commission the {agency_reports}", "follow_imrs"),
    ReviewState.IMRS_COMMISSIONED: ("start-imrs", "Record the {agency_reports} as in progress", "run"),
    ReviewState.IMRS_IN_PROGRESS: ("schedule-presentation", "Move to presentation scheduled", "run"),
    ReviewState.PRESENTATION_SCHEDULED: ("hold-presentation", "Record the presentation as held", "run"),
    ReviewState.PRESENTATION_HELD: ("start-overview", "Start drafting the {report}", "run"),
    ReviewState.OVERVIEW_DRAFTING: (
        "send-final-draft",
        "Send the final draft to the {agency_report_authors}",
        "run",
    ),
    ReviewState.FAIR_REPRESENTATION_CHECK: (
        "start-exec-summary",
        "Start drafting the executive summary",
        "run",
    ),
    ReviewState.EXEC_SUMMARY_DRAFTING: ("start-panel-qa", "Start the panel's quality assurance", "run"),
    # Labels in braces take the framework's words (Review.words).
    ReviewState.PANEL_QA: ("adopt", "Record {adoption}", "adopt"),
    ReviewState.ADOPTED: ("submit-to-ofsted", "Record the submission to {national_body}", "run"),
    ReviewState.SUBMITTED_TO_OFSTED: ("record-evaluation", "Record Ofsted's evaluation", "run"),
    ReviewState.EVALUATED: ("publish", "Record the publication", "publish"),
    ReviewState.PUBLISHED: ("start-monitoring", "Start monitoring the action plan", "run"),
    ReviewState.MONITORING: ("close", "Close the review", "close"),
}
STEP_TRANSITIONS = {
    "adopt": "adopt",
    "submit-to-ofsted": "submit_to_ofsted",
    "record-evaluation": "record_evaluation",
    "publish": "publish",
    "close": "close",
} | {step.slug: step.transition for step in STEPS}


def next_step(review: Review, access: ReviewAccess) -> NextStep | None:
    offered = NEXT_STEPS.get(review.state)
    if offered is None:
        return None
    slug, label, action = offered
    label = label.format(**review.words)
    if slug == "record-evaluation" and not can_proceed(review.record_evaluation):
        # The framework has no evaluation: publication follows the copy to the national body.
        slug, label, action = NEXT_STEPS[ReviewState.EVALUATED]
    if slug == "tor":
        return NextStep(
            label,
            _url("review_tor", review),
            access.may(action),
            guards.tor_approval_problems(review),
            action,
        )
    if slug == "commission" and (list(agency_reports.agency_ids(review)) or without_agency_reports(review)):
        # IMRs recorded without the commissioning moving the review (before issue 19): the step itself.
        slug, label, action = "commission-imrs", review.words["agency_reports"], "run"
        label = f"Record the {label} as commissioned"
    elif slug == "commission":
        url = _url_or_blank("imr_commission", review_pk=review.pk)
        return NextStep(label, url, access.may(action), [], action)
    problems = guards.problems_for(review, STEP_TRANSITIONS[slug])
    return NextStep(label, _url("review_step", review, slug), access.may(action), problems, action)


# --- The home page's work queue ------------------------------------------------------------------------

# What a panel role does at a stage, beside the review's next step: (label, url name, url args).
PANEL_WORK = {
    (PanelRole.OVERVIEW_AUTHOR, ReviewState.PRESENTATION_HELD): ("Write the overview report", "overview"),
    (PanelRole.OVERVIEW_AUTHOR, ReviewState.OVERVIEW_DRAFTING): ("Write the overview report", "overview"),
    (PanelRole.OVERVIEW_AUTHOR, ReviewState.EXEC_SUMMARY_DRAFTING): (
        "Write the executive summary",
        "executive-summary",
    ),
    (PanelRole.INDEPENDENT_CHAIR, ReviewState.SCOPING): ("Draft and agree the terms of reference", ""),
    (PanelRole.INDEPENDENT_CHAIR, ReviewState.FAIR_REPRESENTATION_CHECK): (
        "Resolve the IMR authors' disputes of the final draft",
        "",
    ),
}
PANEL_WORK_URLS = {
    ReviewState.SCOPING: "review_tor",
    ReviewState.FAIR_REPRESENTATION_CHECK: "review_fair_representation",
}


def _accesses(user, reviews: list[Review], panel_roles: dict[int, frozenset[str]]) -> dict[int, ReviewAccess]:
    """Each review's ReviewAccess, as `reviews.permissions.review_access` works it out, in one query for
    the review permissions (the board permissions come from the request's cache)."""
    if not reviews:
        return {}
    perms = board_perms_held(user)
    review_perms = object_perms_by_pk(user, Review, [review.pk for review in reviews])
    accesses = {}
    for review in reviews:
        board = frozenset(p.split(".", 1)[1] for p in perms.get(review.board_id, ()))
        own = frozenset(review_perms.get(review.pk, ()))
        level = BOARD if board & BOARD_WIDE_PERMS else PANEL if "view_review" in own else None
        roles = frozenset(panel_roles.get(review.pk, ()))
        accesses[review.pk] = ReviewAccess(
            level, board, own, roles, False, review_rules(review).chair_acts_with
        )
    return accesses


def _panel_items(review: Review, access: ReviewAccess, due) -> list[WorkItem]:
    items = []
    for role in access.panel_roles:
        work = PANEL_WORK.get((role, review.state))
        if work is None:
            continue
        label, slug = work
        if slug and UPLOAD_REPORTS in access.review_perms:
            url = _url("review_reports", review, slug)
        elif not slug:
            url = _url(PANEL_WORK_URLS[review.state], review)
        else:
            continue
        items.append(WorkItem(review.board.name, review.reference, label, url, due))
    return items


def review_work(user, *, today: dt.date) -> list[WorkItem]:
    """Every open review the user works on (their boards' reviews for the business unit and the LSCB
    Chair, the reviews whose panel they are on wherever they are), and on each: the next step when it is
    theirs, what their panel role does at this stage, or — for the business unit and the panel — whom
    they wait for."""
    perms = board_perms_held(user)
    working = {"scr_portal.work_cases", "scr_portal.decide_referrals"}
    wide = [pk for pk, board_perms in perms.items() if board_perms & working]
    panel_roles = panel_roles_of(user)
    reviews = list(
        Review.objects.filter(Q(board_id__in=wide) | Q(pk__in=list(panel_roles)))
        .exclude(state__in=FINAL_STATES)
        .select_related("board")
        .order_by("reference")
    )
    guards.load_guard_facts(reviews)
    accesses = _accesses(user, reviews, panel_roles)
    dues = soonest_deadlines(Review, [review.pk for review in reviews], today=today)
    items: list[WorkItem] = []
    for review in reviews:
        access, due = accesses[review.pk], dues.get(review.pk)
        step = next_step(review, access)
        items += _panel_items(review, access, due)
        if step is None:
            continue
        if step.may:
            items.append(
                WorkItem(
                    review.board.name, review.reference, step.label, step.url, due, "", tuple(step.problems)
                )
            )
        elif access.board_perms & {"work_cases", "decide_referrals"} or access.panel_roles:
            items.append(
                WorkItem(
                    review.board.name,
                    review.reference,
                    step.label,
                    _url("review_detail", review),
                    due,
                    step.waiting_for,
                )
            )
    return items


def fair_representation_work(user) -> list[WorkItem]:
    """The IMR author's requests to confirm a final draft (or dispute it), on any board: one query."""
    pending = (
        AuthorConfirmation.objects.filter(
            author=user,
            status=ConfirmationStatus.PENDING,
            version__final_draft=True,
            version__review__state=ReviewState.FAIR_REPRESENTATION_CHECK,
        )
        .select_related("agency", "version__review__board")
        .order_by("version__review__reference", "agency__name")
    )
    return [
        WorkItem(
            answer.version.review.board.name,
            answer.version.review.reference,
            f"Confirm that the final draft represents {answer.agency.name} fully and fairly",
            _url("review_detail", answer.version.review),
        )
        for answer in pending
    ]


def monitoring_work(user) -> list[WorkItem]:
    """The reviews the user's monitoring group follows, on any of their boards (`monitored_reviews`,
    as `permissions.monitors` decides for one), in two queries: the actions done that wait for the group's
    verdict, or else the plan to follow."""
    done = Q(action_plan__recommendations__actions__state=ActionState.DONE)
    reviews = (
        monitored_reviews(user)
        .exclude(state__in=FINAL_STATES)
        .select_related("board")
        .annotate(done=Count("action_plan__recommendations__actions", filter=done))
        .order_by("reference")
    )
    items = []
    for review in reviews:
        if review.done:
            what = f"Record the verdict on {review.done} action{'s' if review.done > 1 else ''} done"
            items.append(WorkItem(review.board.name, review.reference, what, _url("review_plan", review)))
        else:
            items.append(
                WorkItem(
                    review.board.name,
                    review.reference,
                    "Follow the action plan",
                    _url("review_detail", review),
                    waiting_for="the agencies to report their actions",
                )
            )
    return items
