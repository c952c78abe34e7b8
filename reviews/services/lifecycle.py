"""The review's state changes up to its adoption (domain brief §4.2). Each service: one transaction, the
review row locked, permission checked, the guard checked (refusals are ValidationErrors with the guard's
words), the django-fsm transition called, saved, logged, and the deadlines met or opened through the clock."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.schedule import at_local
from scr_portal.people import business_unit
from scr_portal.services import blank, refuse_problems
from scr_portal.transitions import state_change

from .. import agency_reports
from ..guards import latest_version, problems_for
from ..models import (
    Adoption,
    AuthorConfirmation,
    ParallelProcess,
    ReportKind,
    ReportVersion,
    Review,
)
from ..permissions import require
from ._common import CANNOT_NOW, locked, meet_completion, notify, now_or
from .drafts import open_draft_destruction

ADOPTION_MEETING_REQUIRED = "Enter the LSCB meeting that adopted the review."
DISSEMINATION_REQUIRED = "Describe the dissemination and media arrangements agreed."
OPEN_PROCESSES_WARNING = (
    "Parallel processes are still open: {processes}. Consider their findings before publication, and "
    "whether adoption should wait for them (Solihull §14.1)."
)


@dataclass(frozen=True)
class Step:
    """A state change with no data of its own beyond an optional note."""

    slug: str
    transition: str
    label: str
    action: str
    done: str
    explanation: str


STEPS = [
    Step(
        "start-scoping",
        "start_scoping",
        "Start scoping",
        "run",
        "The review is now in scoping.",
        "The panel sets the scope, the methodology and the terms of reference over its scoping meetings.",
    ),
    Step(
        "commission-imrs",
        "commission_imrs",
        "Record the {agency_reports} as commissioned",
        "run",
        "The {agency_reports} are recorded as commissioned.",
        "The App 5 letters have gone to every involved agency, with the approved terms of reference.",
    ),
    Step(
        "start-imrs",
        "start_imrs",
        "Record the {agency_reports} as in progress",
        "run",
        "The {agency_reports} are recorded as in progress.",
        "The authors have been briefed and are writing their {agency_reports}.",
    ),
    Step(
        "schedule-presentation",
        "schedule_presentation",
        "Move to presentation scheduled",
        "run",
        "The presentation meeting is scheduled.",
        "Every IMR is accepted or a nil return and the presentation meeting has a date. The IMRs must be "
        "circulated at least 2 weeks before it.",
    ),
    Step(
        "hold-presentation",
        "hold_presentation",
        "Record the presentation as held",
        "run",
        "The presentation meeting is recorded as held.",
        "Each IMR author presented their report to the panel.",
    ),
    Step(
        "start-overview",
        "start_overview",
        "Start drafting the {report}",
        "run",
        "The {author} is now drafting the {report}.",
        "The {author} writes drafts, each marked DRAFT; the panel comments on each.",
    ),
    Step(
        "send-final-draft",
        "send_final_draft",
        "Send the final draft to the {agency_report_authors}",
        "run",
        "The final draft has been sent to every IMR author to confirm fair representation.",
        "Every IMR author is asked to confirm that the final draft represents their agency fully and "
        "fairly, or to dispute it with a comment.",
    ),
    Step(
        "start-exec-summary",
        "start_exec_summary",
        "Start drafting the executive summary",
        "run",
        "The {author} is now drafting the executive summary.",
        "Every IMR author has confirmed fair representation, or each dispute is resolved.",
    ),
    Step(
        "start-panel-qa",
        "start_panel_qa",
        "Start the panel's quality assurance",
        "run",
        "The panel is now quality-assuring the full review.",
        "The panel checks the full review against Ofsted's descriptors and agrees the distribution list.",
    ),
    Step(
        "start-monitoring",
        "start_monitoring",
        "Start monitoring the action plan",
        "run",
        "The action plan is now being monitored.",
        "The monitoring group follows the action plan until the LSCB signs it off as complete.",
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
# Texts in braces take the review's framework's words (Review.words): `step.label.format(**review.words)`.
STEPS_BY_TRANSITION = {step.transition: step for step in STEPS}


def _at(day: dt.date, now: dt.datetime) -> dt.datetime:
    """The moment to record for something done on `day`: now if today, else midday that day."""
    return now if day == timezone.localtime(now).date() else at_local(day, 12)


def _begin(review: Review, actor, transition: str, action: str) -> Review:
    review = locked(review)
    require(actor, review, action)
    if not can_proceed(getattr(review, transition)):
        raise ValidationError(CANNOT_NOW)
    problems = problems_for(review, transition)
    if problems:
        raise ValidationError(problems)
    return review


def _move(review: Review, actor, transition: str, reason: str = "", **kwargs) -> str:
    with state_change(review, transition, actor=actor, reason=reason) as change:
        getattr(review, transition)(**kwargs)
    return change.previous


def request_confirmations(review: Review, version: ReportVersion) -> int:
    """Ask every IMR author to confirm the final draft (once per author and agency)."""
    authors = agency_reports.authors(review)
    for author, agency in authors:
        AuthorConfirmation.objects.get_or_create(version=version, author=author, agency=agency)
    notify(
        [author for author, _ in authors],
        review,
        "Please confirm the final draft",
        "The final draft of the overview report is ready. Please confirm that it represents your agency "
        "fully and fairly, or say why not.",
    )
    return len(authors)


@transaction.atomic
def review_advance(*, review: Review, actor, transition: str, reason: str = "", now=None) -> Review:
    """One of the steps in STEPS. The final draft going out also asks every IMR author to confirm it."""
    step = STEPS_BY_TRANSITION[transition]
    review = _begin(review, actor, transition, step.action)
    _move(review, actor, transition, reason)
    if transition == "send_final_draft":
        request_confirmations(review, latest_version(review, ReportKind.OVERVIEW, final_draft=True))
    return review


# The review's stages that follow from an IMR event (issue 19: one action per real-world event).
FOLLOWS_IMRS = {
    "commission_imrs": "IMR request letters sent.",
    "start_imrs": "An IMR was accepted: the authors are writing.",
}


def review_follow_imrs(*, review: Review, actor, transition: str) -> bool:
    """Move the review on because of an IMR event (commissioning, the panel accepting an IMR), inside the
    IMR service's transaction: the same transition, permission, guard and log as the step itself. False,
    and nothing changes, where the review is not at that stage or the guard still stops it."""
    review = locked(review)
    require(actor, review, "follow_imrs")
    if not can_proceed(getattr(review, transition)) or problems_for(review, transition):
        return False
    _move(review, actor, transition, FOLLOWS_IMRS[transition])
    return True


def _step_service(transition: str):
    """The service of one step in STEPS, named after it (`review_start_scoping`…)."""

    def service(*, review, actor, reason="", now=None) -> Review:
        return review_advance(review=review, actor=actor, transition=transition, reason=reason, now=now)

    service.__name__ = service.__qualname__ = f"review_{transition}"
    return service


review_start_scoping = _step_service("start_scoping")
review_commission_imrs = _step_service("commission_imrs")
review_start_imrs = _step_service("start_imrs")
review_schedule_presentation = _step_service("schedule_presentation")
review_hold_presentation = _step_service("hold_presentation")
review_start_overview = _step_service("start_overview")
review_send_final_draft = _step_service("send_final_draft")
review_start_exec_summary = _step_service("start_exec_summary")
review_start_panel_qa = _step_service("start_panel_qa")
review_start_monitoring = _step_service("start_monitoring")


def open_parallel_processes(review: Review) -> list[ParallelProcess]:
    return list(ParallelProcess.objects.filter(review=review, concluded_on__isnull=True))


def open_processes_warning(review: Review) -> str:
    processes = open_parallel_processes(review)
    if not processes:
        return ""
    names = "; ".join(f"{p.get_kind_display().lower()} ({p.lead_body})" for p in processes)
    return OPEN_PROCESSES_WARNING.format(processes=names)


@transaction.atomic
def review_adopt(
    *, review: Review, actor, adopted_on: dt.date, meeting: str, dissemination: str, now=None
) -> tuple[Review, list[str]]:
    """The LSCB adopts the full SCR, recorded by the LSCB Chair. Blocked until fair representation is
    settled and both reports exist; warns (and records the warning) while a parallel process is open.
    The latest version of each report stops being a draft."""
    now = now_or(now)
    review = _begin(review, actor, "adopt", "adopt")
    refuse_problems(
        {
            "meeting": blank(meeting, ADOPTION_MEETING_REQUIRED),
            "dissemination": blank(dissemination, DISSEMINATION_REQUIRED),
        }
    )
    warning = open_processes_warning(review)
    Adoption.objects.create(
        review=review,
        adopted_on=adopted_on,
        meeting=meeting,
        dissemination=dissemination,
        open_processes_note=warning,
        recorded_by=actor,
        recorded_at=now,
    )
    final = [latest_version(review, kind) for kind in ReportKind.values]
    ReportVersion.objects.filter(pk__in=[v.pk for v in final if v]).update(adopted_at=now)
    _move(review, actor, "adopt", f"Adopted by {meeting} on {adopted_on:%d/%m/%Y}")
    meet_completion(review, "adopt", actor=actor, at=_at(adopted_on, now))
    open_draft_destruction(review, actor=actor, now=now)
    notify(business_unit(review.board), review, "The review has been adopted", "The LSCB adopted the review.")
    return review, [warning] if warning else []
