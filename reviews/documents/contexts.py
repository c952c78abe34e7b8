"""What each review document holds (Solihull guidance App 4, 5, 10 and 13, §4.1.2, §13.2.1; domain brief §7,
§8): the terms of reference, the authors' briefing, the IMR commissioning letter, the practitioners'
debriefing, the monthly progress report, the executive summary's cover and membership section and the action
plan. Context functions return plain strings, lists and dicts only, dates already worded, so wording edited in
the portal reaches nothing but what is documented."""

from __future__ import annotations

import datetime as dt

from reviews.models import (
    INDEPENDENT_ROLES,
    Action,
    ActionPlan,
    Meeting,
    MeetingKind,
    PanelRole,
    ProgressReport,
    Recommendation,
    Review,
    ReviewState,
    ToRState,
    ToRVersion,
)
from reviews.selectors.panel import executive_summary_membership
from reviews.selectors.tor import approved_tor
from scr_portal.clock.services import board_is_working_day, board_working_day, deadlines_of
from scr_portal.documents.registry import (
    BuildRequest,
    long_date,
    short_date,
)

from .shared import (
    BRIEFING_REPLY_WORKING_DAYS,
    DEBRIEF_REPLY_WORKING_DAYS_BEFORE,
    _common,
    _meeting,
    _meeting_fields,
    _no_referral,
    _panel_person,
)

# --- The terms of reference ---------------------------------------------------------------------------


def _tor_version(review: Review, options: dict) -> ToRVersion | None:
    versions = ToRVersion.objects.filter(review=review).select_related("approved_by", "agreed_by")
    number = options.get("version")
    if number:
        return versions.filter(number=number).first()
    return versions.filter(state=ToRState.APPROVED).first() or versions.order_by("-number").first()


def tor_fields(version: ToRVersion | None, merge) -> dict:
    """One version of the terms of reference as plain data (the App 5 letter attaches the same)."""
    if version is None:
        return {"present": False, "version": "", "dated": "", "state": "", "approved": False,
                "approved_by": "", "approved_on": "", "period": "", "scope": "", "key_issues": "",
                "agencies": "", "family_involvement": "", "parallel_processes": "", "methodology": "",
                "other": ""}  # fmt: skip
    period = ""
    if version.period_from or version.period_to:
        start = short_date(version.period_from) or "the start"
        period = f"{start} to {short_date(version.period_to) or 'the present'}"
    return {
        "present": True,
        "version": str(version.number),
        "dated": short_date(version.dated),
        "state": version.get_state_display(),
        "approved": version.state == ToRState.APPROVED or version.approved_at is not None,
        "approved_by": version.approved_by.full_name if version.approved_by else "",
        "approved_on": short_date(version.approved_at.date()) if version.approved_at else "",
        "period": period,
        "scope": merge.text(version.scope),
        "key_issues": merge.text(version.key_issues),
        "agencies": merge.text(version.agencies),
        "family_involvement": merge.text(version.family_involvement),
        "parallel_processes": merge.text(version.parallel_processes),
        "methodology": merge.text(version.methodology),
        "other": merge.text(version.other),
    }


def tor_context(review: Review, request: BuildRequest) -> dict:
    return {
        **_common(review, request),
        "terms_of_reference": tor_fields(_tor_version(review, request.options), request.merge),
    }


def _tor_preapproved(review: Review, options: dict):
    """A version the LSCB Chair approved is the approved document: no DRAFT mark, dated by the approval."""
    version = _tor_version(review, options)
    if version is None or version.approved_at is None:
        return None
    return version.approved_by, version.approved_at


def _tor_missing(review: Review) -> list[str]:
    if not ToRVersion.objects.filter(review=review).exists():
        return ["Draft the terms of reference first."]
    return []


# --- App 4: the authors' briefing ---------------------------------------------------------------------

BRIEFING_NOT_WORKING_DAY = (
    "The authors' briefing is set for {day}, which is not a working day for the board: move it to a working "
    "day before inviting the authors."
)


def _authors(review: Review, merge) -> list[dict]:
    """The IMR authors (each with their agency) and the overview author, who are invited."""
    authors = [
        {"name": merge.name(imr.author.full_name), "role": "IMR author", "agency": imr.agency.name}
        for imr in review.imrs.filter(author__isnull=False)
        .select_related("author", "agency")
        .order_by("agency__name", "pk")
    ]
    overview = _panel_person(review, PanelRole.OVERVIEW_AUTHOR)
    if overview["name"]:
        authors.append(
            {"name": overview["name"], "role": "Overview author", "agency": overview["organisation"]}
        )
    return authors


def _panel_copies(review: Review) -> list[dict]:
    """Copies to the panel, by role and organisation (never by name in a letter that travels)."""
    return [
        {"role": membership.get_role_display(), "organisation": membership.organisation}
        for membership in review.panel.filter(removed_at__isnull=True).order_by("role", "pk")
    ]


def briefing_reply_by(review: Review, *, today: dt.date, meeting: Meeting | None) -> dt.date:
    """Five working days from the letter (the board's nation and closure days, from the clock), but at
    the latest the working day before the briefing."""
    reply_by = board_working_day(review.board, today, BRIEFING_REPLY_WORKING_DAYS)
    if meeting is not None and reply_by >= meeting.meeting_date:
        reply_by = max(board_working_day(review.board, meeting.meeting_date, -1), today)
    return reply_by


def authors_briefing_context(review: Review, request: BuildRequest) -> dict:
    meeting = _meeting(review, MeetingKind.AUTHORS_BRIEFING)
    return {
        **_common(review, request),
        "recipients": _authors(review, request.merge),
        "copies": _panel_copies(review),
        "briefing": _meeting_fields(meeting),
        "reply_by": long_date(briefing_reply_by(review, today=request.today, meeting=meeting)),
    }


def _briefing_missing(review: Review) -> list[str]:
    missing = _no_referral(review)
    has_imr_author = review.imrs.filter(author__isnull=False).exists()
    has_overview = review.panel.filter(role=PanelRole.OVERVIEW_AUTHOR, removed_at__isnull=True).exists()
    if not has_imr_author and not has_overview:
        missing.append("No author has been named yet: appoint the overview author or wait for the agencies "
                       "to name their IMR authors.")  # fmt: skip
    meeting = _meeting(review, MeetingKind.AUTHORS_BRIEFING)
    if meeting and not meeting.held and not board_is_working_day(review.board, meeting.meeting_date):
        missing.append(BRIEFING_NOT_WORKING_DAY.format(day=long_date(meeting.meeting_date)))
    return missing


# --- App 5: commissioning an IMR ----------------------------------------------------------------------


def _imr_due(imr) -> str:
    deadline = deadlines_of(imr).filter(rule__code="imr-completed").order_by("-pk").first()
    return long_date(deadline.due_date) if deadline else ""


def imr_commission_context(review: Review, request: BuildRequest) -> dict:
    imrs = list(review.imrs.select_related("agency").order_by("agency__name", "pk"))
    imr = next((item for item in imrs if str(item.pk) == str(request.options.get("imr"))), None)
    if imr is None and imrs:
        imr = imrs[0]
    agency = imr.agency if imr else None
    presentation = _meeting(review, MeetingKind.PRESENTATION)
    return {
        **_common(review, request),
        "recipient": {
            "agency": agency.name if agency else "",
            "address": agency.address if agency else "",
            "chief_officer": agency.chief_officer_name if agency else "",
        },
        "commissioned_agencies": [item.agency.name for item in imrs],
        "briefing": _meeting_fields(_meeting(review, MeetingKind.AUTHORS_BRIEFING)),
        "presentation": _meeting_fields(presentation),
        "due": _imr_due(imr) if imr else "",
        "nominate_by": long_date(imr.nominate_by) if imr and imr.nominate_by else "",
        "imr_reference": imr.case_reference if imr else "",
        "terms_of_reference": tor_fields(approved_tor(review), request.merge),
    }


def _commission_missing(review: Review) -> list[str]:
    missing = _no_referral(review)
    if approved_tor(review) is None:
        missing.append("The LSCB Chair must approve the terms of reference first: they go with the letter.")
    if not review.imrs.exists():
        missing.append("Commission the IMRs first: the letter goes to each agency asked for one.")
    return missing


# --- App 10: the practitioners' debriefing ------------------------------------------------------------


def debrief_reply_by(review: Review, *, today: dt.date, day: dt.date | None) -> dt.date | None:
    if day is None:
        return None
    return max(board_working_day(review.board, day, -DEBRIEF_REPLY_WORKING_DAYS_BEFORE), today)


def debrief_context(review: Review, request: BuildRequest) -> dict:
    options = request.options
    day = dt.date.fromisoformat(options["date"]) if options.get("date") else None
    return {
        **_common(review, request),
        "debriefing": {
            "date": long_date(day),
            "time": options.get("time", ""),
            "venue": options.get("venue", ""),
        },
        "reply_by": long_date(debrief_reply_by(review, today=request.today, day=day)),
        "copies": _panel_copies(review),
    }


def _debrief_missing(review: Review) -> list[str]:
    missing = _no_referral(review)
    if not review.reached(ReviewState.ADOPTED):
        missing.append("The LSCB must adopt the review first: practitioners are debriefed after that.")
    return missing


# --- The monthly progress report ----------------------------------------------------------------------


def _iso_text(value: str | None) -> str:
    return short_date(dt.date.fromisoformat(value)) if value else ""


def progress_context(review: Review, request: BuildRequest) -> dict:
    reports = ProgressReport.objects.filter(review=review)
    report = (
        reports.filter(pk=request.options.get("report")).first() if request.options.get("report") else None
    )
    report = report or reports.order_by("-month").first()
    content = report.content if report else {}
    return {
        **_common(review, request),
        "report": {
            "month": f"{report.month:%B %Y}" if report else "",
            "made_on": short_date(report.generated_at.date()) if report else "",
            "stage": content.get("state", ""),
            "planned_completion": _iso_text(content.get("planned_completion")),
            "original_completion": _iso_text(content.get("original_completion")),
            "met": [
                {"title": item["title"], "due": _iso_text(item["due"])} for item in content.get("met", [])
            ],
            "missed": [
                {"title": item["title"], "due": _iso_text(item["due"]), "status": item["status"]}
                for item in content.get("missed", [])
            ],
            "open": str(content.get("open", 0)),
            "risks": [request.merge.text(risk) for risk in content.get("risks", [])],
        },
    }


def _progress_missing(review: Review) -> list[str]:
    if not ProgressReport.objects.filter(review=review).exists():
        return ["There is no progress report yet: the first is made at the start of next month."]
    return []


# --- The executive summary: cover and membership section ----------------------------------------------


def exec_summary_context(review: Review, request: BuildRequest) -> dict:
    """Only the LSCB Chair, the panel chair and the overview author are named; every other panel member
    by post and organisation (DCSF ¶3.10; Solihull §13.2.1), as reviews.selectors.panel builds the section."""
    section = executive_summary_membership(review)
    adoption = getattr(review, "adoption", None)
    return {
        **_common(review, request),
        "adopted_on": short_date(adoption.adopted_on) if adoption else "",
        "named": [{"role": line.role, "name": line.name, "text": line.text} for line in section.named],
        "members": [{"role": line.role, "text": line.text} for line in section.members],
    }


def _exec_summary_missing(review: Review) -> list[str]:
    missing = _no_referral(review)
    if not review.panel.filter(role__in=INDEPENDENT_ROLES, removed_at__isnull=True).exists():
        missing.append("Appoint the panel chair and the overview author first: the section names them.")
    return missing


# --- The action plan (App 13) -------------------------------------------------------------------------


def _by_whom(action: Action, merge) -> str:
    """The action's owner. Outside the board only their post and agency (domain brief §8.1): App 13
    itself names posts ("Head of police training"), not people."""
    owner = action.owner
    post = ", ".join(part for part in (owner.job_title, action.agency.name) if part)
    if merge.anonymised:
        return post or action.agency.name
    return f"{owner.full_name} ({post})" if post else owner.full_name


def action_plan_context(review: Review, request: BuildRequest) -> dict:
    merge = request.merge
    plan = ActionPlan.objects.filter(review=review).first()
    recommendations = []
    if plan is not None:
        queryset = (
            Recommendation.objects.filter(plan=plan)
            .select_related("agency")
            .prefetch_related("actions__owner", "actions__agency")
            .order_by("number")
        )
        for recommendation in queryset:
            actions = sorted(recommendation.actions.all(), key=lambda action: (action.due_date, action.pk))
            recommendations.append(
                {
                    "number": str(recommendation.number),
                    "source": recommendation.get_source_display(),
                    "outcome": merge.text(recommendation.outcome),
                    "text": merge.text(recommendation.text),
                    "agency": recommendation.agency.name if recommendation.agency else "",
                    "addressed_to": merge.text(recommendation.addressed_to),
                    "actions": [
                        {
                            "number": str(position),
                            "text": merge.text(action.text),
                            "by_whom": _by_whom(action, merge),
                            "by_when": short_date(action.due_date),
                            "status": action.get_state_display(),
                            "actions_taken": merge.text(action.actions_taken),
                            "audit_information": merge.text(action.audit_information),
                        }
                        for position, action in enumerate(actions, start=1)
                    ],
                }
            )
    return {
        **_common(review, request),
        "plan": {
            "state": plan.get_state_display() if plan else "",
            "agreed_on": short_date(plan.agreed_on) if plan else "",
            "adopted_on": short_date(plan.adopted_on) if plan else "",
        },
        "recommendations": recommendations,
    }


def _action_plan_missing(review: Review) -> list[str]:
    plan = ActionPlan.objects.filter(review=review).first()
    if plan is None or not plan.recommendations.exists():
        return ["Add the recommendations to the action plan first."]
    return []
