"""What must be true before a review moves on (domain brief §4.2, "exit guard" column). Each guard returns
the problems in words a user can act on; an empty list means the step may go ahead. The services refuse
with these messages; the pages show them before anyone presses the button."""

from django.db.models import Prefetch, prefetch_related_objects

from scr_portal import frameworks

from . import agency_reports
from .frameworks import without_agency_reports
from .models import (
    MACHINE,
    Action,
    ActionPlan,
    ActionState,
    AuthorConfirmation,
    ConfirmationStatus,
    Meeting,
    MeetingKind,
    PanelMembership,
    PanelRole,
    PlanState,
    ReportKind,
    ReportVersion,
    Review,
    ToRState,
)

NEEDS_CHAIR = "Appoint the independent panel chair."
NEEDS_AUTHOR = "Appoint the independent overview author."
NEEDS_METHODOLOGY = "Record the review's methodology."
NEEDS_SCOPING = "The review must be in scoping, with its panel chair and overview author appointed."
NEEDS_APPROVED_TOR = "The LSCB Chair must approve the terms of reference."
NEEDS_IMRS = "Commission at least one IMR (one for each involved agency)."
NEEDS_BRIEFING = "Record the authors' briefing as held."
IMRS_NOT_COMPLETE = "Every IMR must be accepted or a nil return."
NEEDS_PRESENTATION_DATE = "Set the date of the presentation meeting."
PRESENTATION_NOT_HELD = "Record the presentation meeting as held."
IMRS_NOT_CIRCULATED = "Record when the IMRs were circulated to the panel, the chair and the overview author."
NEEDS_FINAL_DRAFT = "Upload the overview report and mark a version as the final draft."
NEEDS_EXEC_SUMMARY = "Upload the executive summary."
NEEDS_OVERVIEW = "Upload the overview report."
ALREADY_EVALUATED = "Ofsted's evaluation is already recorded."
NEEDS_DEBRIEF = (
    "Record the practitioners' debriefing as held: staff are debriefed before publication (Cambridgeshire "
    "§8; Solihull App 10)."
)
NOT_CONFIRMED = (
    "{author} ({agency}) has not confirmed that the final draft represents their agency fully and fairly."
)
DISPUTE_OPEN = "The dispute by {author} ({agency}) has not been recorded as resolved."


# The guards' facts, loaded for many reviews at once by `load_guard_facts` (the home page's work queue asks
# every open review's guard); a review without them asks the database, one fact at a time.
CHECKS_ATTR = "_latest_version_checks"
APPOINTED_ATTR = "_appointed_panel"


def _loaded(review: Review, name: str) -> list | None:
    if name in getattr(review, "_prefetched_objects_cache", {}):
        return list(getattr(review, name).all())
    return None


def load_guard_facts(reviews: list[Review]) -> None:
    """The report versions (with their files' newest anonymisation checks), the meetings, the Ofsted
    evaluation, the panel and the action plan of every review, the copy to the national body and their IMRs'
    states, in at most eight queries whatever their number."""
    from scr_portal.documents.selectors import latest_file_checks

    versions = Prefetch(
        "report_versions", queryset=ReportVersion.objects.select_related("file", "uploaded_by")
    )
    # Only the members the guards ask about (the active chair and overview author), kept apart from the
    # review's whole panel.
    appointed = PanelMembership.objects.filter(
        removed_at__isnull=True, role__in=[PanelRole.INDEPENDENT_CHAIR, PanelRole.OVERVIEW_AUTHOR]
    )
    panel = Prefetch("panel", queryset=appointed.select_related("user"), to_attr=APPOINTED_ATTR)
    prefetch_related_objects(
        reviews, versions, panel, "meetings", "ofsted_evaluation", "ofsted_submission", "action_plan"
    )
    file_ids = [version.file_id for review in reviews for version in review.report_versions.all()]
    checks = latest_file_checks(file_ids) if file_ids else {}
    for review in reviews:
        setattr(review, CHECKS_ATTR, checks)
    agency_reports.load_many(reviews)


def active_member(review: Review, role: str) -> PanelMembership | None:
    loaded = getattr(review, APPOINTED_ATTR, None)
    if loaded is not None and role in (PanelRole.INDEPENDENT_CHAIR, PanelRole.OVERVIEW_AUTHOR):
        return min((member for member in loaded if member.role == role), key=lambda m: m.pk, default=None)
    return (
        PanelMembership.objects.filter(review=review, role=role, removed_at__isnull=True)
        .select_related("user")
        .first()
    )


def latest_version(review: Review, kind: str, *, final_draft: bool = False) -> ReportVersion | None:
    loaded = _loaded(review, "report_versions")
    if loaded is not None:
        versions = [v for v in loaded if v.kind == kind and (v.final_draft or not final_draft)]
        return max(versions, key=lambda version: version.number, default=None)
    versions = ReportVersion.objects.filter(review=review, kind=kind)
    if final_draft:
        versions = versions.filter(final_draft=True)
    return versions.select_related("file", "uploaded_by").order_by("-number").first()


def presentation_meeting(review: Review) -> Meeting | None:
    loaded = _loaded(review, "meetings")
    if loaded is not None:
        meetings = [meeting for meeting in loaded if meeting.kind == MeetingKind.PRESENTATION]
        return max(meetings, key=lambda meeting: meeting.pk, default=None)
    return Meeting.objects.filter(review=review, kind=MeetingKind.PRESENTATION).order_by("-pk").first()


def _meeting_held(review: Review, kind: str) -> bool:
    loaded = _loaded(review, "meetings")
    if loaded is not None:
        return any(meeting.kind == kind and meeting.held_on is not None for meeting in loaded)
    return Meeting.objects.filter(review=review, kind=kind, held_on__isnull=False).exists()


def fair_representation_problems(review: Review) -> list[str]:
    """The fair-representation gate (Solihull §13.1.6, §14.1.1): every IMR author has confirmed that the
    latest final draft represents their agency fully and fairly, or their dispute is recorded as
    resolved. Authors nominated after the draft went out count as not yet confirmed."""
    final = latest_version(review, ReportKind.OVERVIEW, final_draft=True)
    if final is None:
        return [NEEDS_FINAL_DRAFT]
    answers = {
        (answer.author_id, answer.agency_id): answer
        for answer in AuthorConfirmation.objects.filter(version=final)
    }
    problems = []
    for author, agency in agency_reports.authors(review):
        answer = answers.get((author.pk, agency.pk))
        names = {"author": author.full_name, "agency": agency.name}
        if answer is None or answer.status == ConfirmationStatus.PENDING:
            problems.append(NOT_CONFIRMED.format(**names))
        elif answer.status == ConfirmationStatus.DISPUTED and answer.resolved_at is None:
            problems.append(DISPUTE_OPEN.format(**names))
    return problems


def _start_scoping(review: Review) -> list[str]:
    problems = []
    if active_member(review, PanelRole.INDEPENDENT_CHAIR) is None:
        problems.append(NEEDS_CHAIR)
    if active_member(review, PanelRole.OVERVIEW_AUTHOR) is None:
        problems.append(NEEDS_AUTHOR)
    return problems


def tor_approval_problems(review: Review) -> list[str]:
    """Before the first approval moves the review out of scoping."""
    if review.state == "setup":
        return [NEEDS_SCOPING]
    if review.state == "scoping" and not review.methodology:
        return [NEEDS_METHODOLOGY]
    return []


def _commission_imrs(review: Review) -> list[str]:
    problems = []
    if not review.tor_versions.filter(state=ToRState.APPROVED).exists():
        problems.append(NEEDS_APPROVED_TOR)
    if not any(agency_reports.agency_ids(review)) and not without_agency_reports(review):
        problems.append(NEEDS_IMRS)
    return problems


def _start_imrs(review: Review) -> list[str]:
    """The authors are writing: their briefing was held, or an IMR is already accepted (issue 19), which
    no author gets to without writing."""
    if without_agency_reports(review):
        return []
    held = _meeting_held(review, MeetingKind.AUTHORS_BRIEFING)
    return [] if held or agency_reports.any_accepted(review) else [NEEDS_BRIEFING]


def _schedule_presentation(review: Review) -> list[str]:
    problems = []
    if not agency_reports.all_complete(review) and not without_agency_reports(review):
        problems.append(IMRS_NOT_COMPLETE)
    if presentation_meeting(review) is None:
        problems.append(NEEDS_PRESENTATION_DATE)
    return problems


def _hold_presentation(review: Review) -> list[str]:
    meeting = presentation_meeting(review)
    problems = []
    if meeting is None or meeting.held_on is None:
        problems.append(PRESENTATION_NOT_HELD)
    circulated = meeting is not None and meeting.imrs_circulated_on is not None
    if not circulated and not without_agency_reports(review):
        problems.append(IMRS_NOT_CIRCULATED)
    return problems


def _send_final_draft(review: Review) -> list[str]:
    if latest_version(review, ReportKind.OVERVIEW, final_draft=True) is None:
        return [NEEDS_FINAL_DRAFT]
    return []


def _start_panel_qa(review: Review) -> list[str]:
    return [] if latest_version(review, ReportKind.EXECUTIVE_SUMMARY) else [NEEDS_EXEC_SUMMARY]


def adoption_problems(review: Review) -> list[str]:
    """Adoption waits for fair representation and both reports (Solihull §14.1)."""
    problems = fair_representation_problems(review)
    if latest_version(review, ReportKind.EXECUTIVE_SUMMARY) is None:
        problems.append(NEEDS_EXEC_SUMMARY)
    return problems


def _none(review: Review) -> list[str]:
    return []


def _not_evaluated(review: Review) -> list[str]:
    return [ALREADY_EVALUATED] if hasattr(review, "ofsted_evaluation") else []


def _reports_released(review: Review) -> list[str]:
    """Nothing leaves the board while the anonymisation check blocks a report (domain brief §8.1)."""
    from .services.report_checks import latest_checks, versions_release_problems

    versions = [
        version for kind in ReportKind.values if (version := latest_version(review, kind)) is not None
    ]
    loaded = getattr(review, CHECKS_ATTR, None)  # load_guard_facts
    if loaded is None:
        checks = latest_checks(versions)
    else:
        checks = {version.pk: loaded[version.file_id] for version in versions if version.file_id in loaded}
    return versions_release_problems(versions, checks)


def _publish(review: Review) -> list[str]:
    debriefed = _meeting_held(review, MeetingKind.STAFF_DEBRIEF)
    return [*_reports_released(review), *([] if debriefed else [NEEDS_DEBRIEF])]


def _close(review: Review) -> list[str]:
    """A review closes only when its action plan is signed off as complete (issue 7)."""
    return review_close_problems(review)


GUARDS = {
    "start_scoping": _start_scoping,
    "commission_imrs": _commission_imrs,
    "start_imrs": _start_imrs,
    "schedule_presentation": _schedule_presentation,
    "hold_presentation": _hold_presentation,
    "start_overview": _none,
    "send_final_draft": _send_final_draft,
    "start_exec_summary": fair_representation_problems,
    "start_panel_qa": _start_panel_qa,
    "adopt": adoption_problems,
    "submit_to_ofsted": _reports_released,
    "record_evaluation": _not_evaluated,
    "publish": _publish,
    "start_monitoring": _none,
    "close": _close,
    "return_to_drafting": _none,
    "stand_down": _none,
}


def problems_for(review: Review, transition: str) -> list[str]:
    """The engine's guard, then the named rules the review's framework adds to the transition."""
    extra = frameworks.rules_failing(review.review_framework, MACHINE, transition, review)
    return [*GUARDS[transition](review), *extra]


def actions_open(count: int) -> str:
    actions = "1 action is" if count == 1 else f"{count} actions are"
    return f"{actions} not yet verified or closed with a reason."


NO_PLAN = "The review has no action plan: draft one and have the board sign it off as complete."
PLAN_NOT_COMPLETED = "The action plan must be signed off as complete before the review closes."


def plan_actions(plan: ActionPlan):
    return Action.objects.filter(recommendation__plan=plan).select_related(
        "agency", "owner", "recommendation"
    )


def completion_problems(plan: ActionPlan) -> list[str]:
    unfinished = plan_actions(plan).exclude(state__in=[ActionState.VERIFIED, ActionState.CLOSED]).count()
    return [actions_open(unfinished)] if unfinished else []


def review_close_problems(review: Review) -> list[str]:
    """The review's closure gate: its plan signed off as complete (so no action is left open)."""
    if Review.action_plan.is_cached(review):
        plan = getattr(review, "action_plan", None)
    else:
        plan = ActionPlan.objects.filter(review=review).first()
    if plan is None:
        return [NO_PLAN]
    if plan.state != PlanState.COMPLETED:
        return [PLAN_NOT_COMPLETED, *completion_problems(plan)]
    return []
