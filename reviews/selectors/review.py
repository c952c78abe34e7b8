"""Reads about reviews: the review list, the review page in a number of queries that does not depend on how
many members, documents or deadlines the review has, the task list and the timeline."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils.text import capfirst
from django_fsm import can_proceed

from scr_portal import frameworks
from scr_portal.clock.selectors import DeadlineRow, case_deadline_rows, deadline_rows, with_people
from scr_portal.clock.services import deadlines_of
from scr_portal.models import TransitionLog
from scr_portal.viewhelpers import TemplateRow, pk_url

from .. import agency_reports
from ..frameworks import COMPLETION_RULES, review_rules
from ..models import (
    MACHINE,
    AuthorConfirmation,
    FamilyInvolvement,
    FamilyPrompt,
    Meeting,
    MeetingKind,
    PanelMembership,
    PanelRole,
    ParallelProcess,
    ProgressReport,
    ReportKind,
    ReportVersion,
    Review,
    ReviewState,
    ToRState,
    ToRVersion,
)
from ..permissions import ReviewAccess
from ..services.lifecycle import STEPS
from .work import NextStep, _url, _url_or_blank, next_step

STATE_TAGS = {
    ReviewState.SETUP: "govuk-tag--grey",
    ReviewState.SCOPING: "govuk-tag--light-blue",
    ReviewState.TOR_APPROVED: "govuk-tag--light-blue",
    ReviewState.IMRS_COMMISSIONED: "govuk-tag--blue",
    ReviewState.IMRS_IN_PROGRESS: "govuk-tag--blue",
    ReviewState.PRESENTATION_SCHEDULED: "govuk-tag--blue",
    ReviewState.PRESENTATION_HELD: "govuk-tag--blue",
    ReviewState.OVERVIEW_DRAFTING: "govuk-tag--purple",
    ReviewState.FAIR_REPRESENTATION_CHECK: "govuk-tag--purple",
    ReviewState.EXEC_SUMMARY_DRAFTING: "govuk-tag--purple",
    ReviewState.PANEL_QA: "govuk-tag--purple",
    ReviewState.ADOPTED: "govuk-tag--turquoise",
    ReviewState.SUBMITTED_TO_OFSTED: "govuk-tag--turquoise",
    ReviewState.EVALUATED: "govuk-tag--turquoise",
    ReviewState.PUBLISHED: "govuk-tag--green",
    ReviewState.MONITORING: "govuk-tag--green",
    ReviewState.CLOSED: "govuk-tag--grey",
    ReviewState.STOOD_DOWN: "govuk-tag--grey",
}

TRANSITION_LABELS = {
    "create": "Review set up by {decision}",
    "appoint": "Panel member appointed",
    "remove": "Panel member removed",
    "methodology": "Methodology recorded",
    "approve_tor": "Terms of reference approved: the review moved on",
    "meeting": "Meeting set",
    "meeting_held": "Meeting held",
    "imrs_circulated": "{agency_reports} circulated",
    "upload": "Report uploaded",
    "fair_representation": "IMR author answered on the final draft",
    "dispute_resolved": "Dispute resolved",
    "parallel_process": "Parallel process recorded",
    "family": "Family involvement recorded",
    "family_told": "Family told",
    "extend": "Completion date extended",
    "summary_sent": "Published summary sent to Ofsted",
    "adopt": "Adopted by the LSCB",
    "submit_to_ofsted": "Submitted to Ofsted",
    "record_evaluation": "Ofsted's evaluation recorded",
    "publish": "Published",
    "close": "Closed",
    "return_to_drafting": "Sent back to the overview author for drafting",
    "stand_down": "Stood down by the LSCB Chair",
    "draft": "Terms of reference: version saved",
    "consult": "Terms of reference: sent to agencies for consultation",
    "agree": "Terms of reference: agreed by the panel",
    "approve": "Terms of reference: approved by the {decision_maker}",
    "supersede": "Terms of reference: version superseded",
} | {step.transition: step.done.rstrip(".") for step in STEPS}


# --- Lists ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow(TemplateRow):
    review: Review
    state_tag: str
    completion: DeadlineRow | None
    # The list's cells, worked out once here rather than looked up cell by cell in the template.
    url: str = ""
    reference: str = ""
    type_label: str = ""
    state_label: str = ""


def review_rows(reviews: QuerySet[Review], *, today: dt.date) -> list[ReviewRow]:
    """Rows for the review list, with each review's completion date and RAG, in three queries."""
    reviews = list(reviews.select_related("board"))
    review_type = ContentType.objects.get_for_model(Review)
    deadlines = with_people(
        deadlines_of_many(review_type, [r.pk for r in reviews]).filter(rule__code__in=COMPLETION_RULES)
    )
    rows = {row.deadline.object_id: row for row in deadline_rows(deadlines, today=today)}
    detail_url = pk_url("review_detail")
    return [
        ReviewRow(
            review,
            STATE_TAGS[review.state],
            rows.get(review.pk),
            url=detail_url(review.pk),
            reference=review.reference,
            type_label=review.get_review_type_display(),
            state_label=review.state_label,
        )
        for review in reviews
    ]


def deadlines_of_many(content_type, ids):
    from scr_portal.models import Deadline

    return Deadline.objects.filter(content_type=content_type, object_id__in=list(ids))


# --- The review page ------------------------------------------------------------------------------


CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Task:
    name: str
    status: str
    url: str = ""
    hint: str = ""
    slug: str = ""

    @property
    def tag(self) -> str:
        return {
            "Completed": "",
            "In progress": "govuk-tag govuk-tag--light-blue",
            "Not yet started": "govuk-tag govuk-tag--blue",
            CANNOT_START: "",
        }[self.status]

    @property
    def cannot_start(self) -> bool:
        return self.status == CANNOT_START


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    who: str
    what: str
    reason: str


@dataclass
class ReviewPage:
    review: Review
    access: ReviewAccess
    panel: list[PanelMembership]
    chair: PanelMembership | None
    author: PanelMembership | None
    tor_versions: list[ToRVersion]
    reports: dict[str, list[ReportVersion]]
    deadlines: list[DeadlineRow]
    completion: DeadlineRow | None
    meetings: list[Meeting]
    parallel: list[ParallelProcess]
    family: list[FamilyInvolvement]
    prompts: list[FamilyPrompt]
    progress: list[ProgressReport]
    imrs: list
    confirmations: list[AuthorConfirmation]
    timeline: list[TimelineEntry]
    tasks: list[Task]
    next_step: NextStep | None

    @property
    def approved_tor(self) -> ToRVersion | None:
        return next((v for v in self.tor_versions if v.state == ToRState.APPROVED), None)

    @property
    def is_full_review(self) -> bool:
        """The review the framework holds: its stages are the task list; other types have their own steps."""
        return self.review.is_full_review

    @property
    def evaluates(self) -> bool:
        """The review's framework has Ofsted's evaluation (and the published summary sent to Ofsted)."""
        return frameworks.uses_transition(self.review.review_framework, MACHINE, "record_evaluation")

    @property
    def shows_next_step(self) -> bool:
        return self.next_step is not None and (
            self.is_full_review or self.review.state == ReviewState.MONITORING
        )

    @property
    def open_parallel(self) -> list[ParallelProcess]:
        return [p for p in self.parallel if p.is_open]


# The review's own rows its page shows, loaded with it in the query that finds it and checks access
# (`get_review_to_read(..., related=PAGE_RELATED)`, which also brings its board and referral).
PAGE_RELATED = ("adoption", "ofsted_submission", "ofsted_evaluation", "publication", "communications_plan")


def _what(review: Review, log) -> str:
    """What a log row records; a stage change the framework names its own way, in its words."""
    label = TRANSITION_LABELS.get(log.transition, log.transition.replace("_", " ").capitalize())
    label = capfirst(label.format(**review.words))
    if log.content_type_id == ContentType.objects.get_for_model(Review).pk and log.from_state != log.to_state:
        named = frameworks.part(review.review_framework, MACHINE).labels.get(log.to_state)
        return named or label
    return label


def review_timeline(review: Review, tor_ids) -> list[TimelineEntry]:
    review_type = ContentType.objects.get_for_model(Review)
    tor_type = ContentType.objects.get_for_model(ToRVersion)
    logs = (
        TransitionLog.objects.filter(
            Q(content_type=review_type, object_id=review.pk)
            | Q(content_type=tor_type, object_id__in=list(tor_ids))
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    return [
        TimelineEntry(
            at=log.at,
            who=log.actor.full_name if log.actor else "The portal",
            what=_what(review, log),
            reason=log.reason,
        )
        for log in logs
    ]


def _status(done: bool, started: bool, possible: bool = True) -> str:
    if done:
        return "Completed"
    if started:
        return "In progress"
    return "Not yet started" if possible else CANNOT_START


def task_list(page: "ReviewPage") -> list[Task]:
    """The review's stages as a GOV.UK task list, worked out from what is already loaded."""
    review = page.review
    reached = review.reached
    imrs = page.imrs
    complete = sum(1 for imr in imrs if agency_reports.is_complete(imr))
    briefing = [m for m in page.meetings if m.kind == MeetingKind.AUTHORS_BRIEFING]
    presentation = next((m for m in page.meetings if m.kind == MeetingKind.PRESENTATION), None)
    overview, summary = page.reports[ReportKind.OVERVIEW], page.reports[ReportKind.EXECUTIVE_SUMMARY]
    access = page.access
    evaluated = getattr(review, "ofsted_evaluation", None) is not None
    evaluates = frameworks.uses_transition(review.review_framework, MACHINE, "record_evaluation")
    words = review.words

    def step_url(slug: str, action: str = "run") -> str:
        return _url("review_step", review, slug) if access.may(action) else ""

    tasks = [
        Task(
            "Appoint the panel",
            _status(bool(page.chair and page.author), bool(page.panel)),
            _url("review_panel", review),
            f"The independent panel chair, the {words['author']} and the panel members",
            "panel",
        ),
        Task(
            "Record the methodology",
            _status(bool(review.methodology), False),
            _url("review_methodology", review) if access.may("run") and review.is_open else "",
            review.get_methodology_display() if review.methodology else "",
            "methodology",
        ),
        Task(
            "Agree and approve the terms of reference",
            _status(page.approved_tor is not None, bool(page.tor_versions)),
            _url("review_tor", review),
            f"Version {page.approved_tor.number} approved" if page.approved_tor else "",
            "tor",
        ),
        Task(
            f"Commission the {words['agency_reports']}",
            _status(reached(ReviewState.IMRS_COMMISSIONED), bool(imrs), reached(ReviewState.TOR_APPROVED)),
            _url_or_blank("review_imrs", review_pk=review.pk),
            f"{len(imrs)} commissioned, {complete} complete" if imrs else "",
            "imrs",
        ),
        Task(
            "Hold the authors' briefing",
            _status(any(m.held for m in briefing), bool(briefing)),
            _url("review_meetings", review),
            "Due one week after the decision",
            "briefing",
        ),
        Task(
            "Hold the presentation meeting",
            _status(
                reached(ReviewState.PRESENTATION_HELD),
                presentation is not None,
                reached(ReviewState.IMRS_COMMISSIONED),
            ),
            _url("review_meetings", review),
            f"{presentation.meeting_date:%-d %B %Y}"
            if presentation
            else f"{capfirst(words['agency_reports'])} circulated at least 2 weeks before",
            "presentation",
        ),
        Task(
            f"Write the {words['report']}",
            _status(
                reached(ReviewState.FAIR_REPRESENTATION_CHECK),
                bool(overview),
                reached(ReviewState.PRESENTATION_HELD),
            ),
            _url("review_reports", review, "overview"),
            f"{len(overview)} version{'s' if len(overview) != 1 else ''}" if overview else "",
            "overview",
        ),
        Task(
            f"Confirm fair representation with the {words['agency_report_authors']}",
            _status(
                reached(ReviewState.EXEC_SUMMARY_DRAFTING),
                review.state == ReviewState.FAIR_REPRESENTATION_CHECK,
                reached(ReviewState.FAIR_REPRESENTATION_CHECK),
            ),
            _url("review_fair_representation", review),
            "",
            "fair-representation",
        ),
        Task(
            "Write the executive summary",
            _status(reached(ReviewState.PANEL_QA), bool(summary), reached(ReviewState.OVERVIEW_DRAFTING)),
            _url("review_reports", review, "executive-summary"),
            f"{len(summary)} version{'s' if len(summary) != 1 else ''}" if summary else "",
            "executive-summary",
        ),
        Task(
            "Quality-assure and adopt the review",
            _status(
                reached(ReviewState.ADOPTED),
                review.state == ReviewState.PANEL_QA,
                reached(ReviewState.PANEL_QA),
            ),
            step_url("adopt", "adopt") if review.state == ReviewState.PANEL_QA else "",
            frameworks.state_label(
                review.review_framework, MACHINE, ReviewState.ADOPTED, "Adopted by the LSCB"
            ),
            "adoption",
        ),
        Task(
            f"Send the review to {words['national_body']}",
            _status(reached(ReviewState.SUBMITTED_TO_OFSTED), False, reached(ReviewState.ADOPTED)),
            step_url("submit-to-ofsted") if review.state == ReviewState.ADOPTED else "",
            "The six-month target" if evaluates else "At least 7 working days before publication",
            "submission",
        ),
        Task(
            "Record Ofsted's evaluation",
            _status(reached(ReviewState.EVALUATED), False, reached(ReviewState.SUBMITTED_TO_OFSTED)),
            step_url("record-evaluation") if can_proceed(review.record_evaluation) and not evaluated else "",
            "",
            "evaluation",
        ),
        Task(
            "Publish",
            _status(reached(ReviewState.PUBLISHED), False, reached(ReviewState.SUBMITTED_TO_OFSTED)),
            # Before the evaluation too: the publish page asks for the override where the board waits for it
            # (domain brief §9, PUBLISH_REQUIRES_EVALUATION).
            step_url("publish", "publish") if can_proceed(review.publish) else "",
            "The published summary goes to Ofsted within a month of its letter" if evaluates else "",
            "publication",
        ),
        Task(
            "Monitor the action plan and close",
            _status(
                reached(ReviewState.CLOSED),
                review.state == ReviewState.MONITORING,
                reached(ReviewState.PUBLISHED),
            ),
            "",
            "",
            "closure",
        ),
    ]
    return [task for task in tasks if evaluates or task.slug != "evaluation"]


def review_page(review: Review, access: ReviewAccess, *, today: dt.date) -> ReviewPage:
    """Everything the review page shows, in a fixed number of queries."""
    panel = list(
        PanelMembership.objects.filter(review=review)
        .select_related("user", "declaration")
        .order_by("removed_at", "pk")
    )
    active = [m for m in panel if m.is_active]
    tor_versions = list(ToRVersion.objects.filter(review=review).order_by("-number"))
    versions = list(
        ReportVersion.objects.filter(review=review)
        .select_related("file", "uploaded_by")
        .order_by("kind", "-number")
    )
    reports = {kind: [v for v in versions if v.kind == kind] for kind in ReportKind.values}
    deadline_qs = with_people(deadlines_of(review)).prefetch_related("extensions").order_by("due_at", "pk")
    deadlines = case_deadline_rows(deadline_qs, board=review.board, today=today)
    completion_rule = review_rules(review).completion_rule
    completion = next((row for row in deadlines if row.deadline.rule.code == completion_rule), None)
    final = next((v for v in reports[ReportKind.OVERVIEW] if v.final_draft), None)
    confirmations = (
        list(
            AuthorConfirmation.objects.filter(version=final).select_related("author", "agency", "resolved_by")
        )
        if final
        else []
    )
    page = ReviewPage(
        review=review,
        access=access,
        panel=panel,
        chair=next((m for m in active if m.role == PanelRole.INDEPENDENT_CHAIR), None),
        author=next((m for m in active if m.role == PanelRole.OVERVIEW_AUTHOR), None),
        tor_versions=tor_versions,
        reports=reports,
        deadlines=deadlines,
        completion=completion,
        meetings=list(
            Meeting.objects.filter(review=review).prefetch_related(
                Prefetch("attendance", to_attr="attendance_list")
            )
        ),
        parallel=list(ParallelProcess.objects.filter(review=review).order_by("concluded_on", "pk")),
        family=list(FamilyInvolvement.objects.filter(review=review)),
        prompts=list(FamilyPrompt.objects.filter(review=review).select_related("done_by")),
        progress=list(
            ProgressReport.objects.filter(review=review).only("pk", "review_id", "month", "generated_at")
        ),
        imrs=agency_reports.for_review_page(review),
        confirmations=confirmations,
        timeline=review_timeline(review, [v.pk for v in tor_versions]),
        tasks=[],
        next_step=None,
    )
    page.tasks = task_list(page)
    page.next_step = next_step(review, access) if review.is_open else None
    return page
