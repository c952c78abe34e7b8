"""The documents of a review, built from what the review holds (Solihull guidance App 4, 5, 10 and 13, §4.1.2,
§13.2.1; domain brief §7, §8): the terms of reference (each version, dated), the invitation to the
authors' briefing (App 4), the IMR commissioning letter with the approved terms of reference attached
(App 5), the invitation to the practitioners' debriefing with its reply slip (App 10), the monthly
progress report to the LSCB Chair, the executive summary's cover and membership section, and the action
plan in the App 13 layout.

Letters to agencies and practitioners stay inside the partnership and are internal. What goes to Ofsted,
the DfE or the public — the executive summary's cover and membership section and the action plan — is
external, so an anonymised version is made beside it and checked before it can leave the board (§8.1).

Context functions return plain strings, lists and dicts only, dates already worded, so that wording
edited in the portal can reach nothing but what is documented here.

Also the review's owner type (who may see and produce these documents, what its anonymisation key is
filled from). IMRs sit above reviews, so this module reads them only through the `review.imrs` relation,
and the practitioners the IMRs name come in through the "review-key-practitioners" extension."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from referrals.documents import SAMPLE_BOARD, SAMPLE_COMMON, referral_key_rows
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
from reviews.permissions import get_review_for_user, review_access
from reviews.selectors import approved_tor, executive_summary_membership
from scr_portal.clock.services import board_working_day, deadlines_of
from scr_portal.documents.owners import KeyRow, OwnerType, add_practitioners, register_owner_type, senior_may
from scr_portal.documents.registry import (
    BuildRequest,
    DocumentKind,
    Wording,
    extend,
    extensions,
    long_date,
    register,
    short_date,
)
from scr_portal.models import KeyRole, Membership, Role, TransitionLog
from scr_portal.permissions import WORK_CASES, user_has_board_perm

# App 4: authors confirm they will come within this many working days of the letter, and at the latest
# the working day before the briefing. App 10: replies come back this many working days before the
# debriefing, so the business unit can send the papers.
BRIEFING_REPLY_WORKING_DAYS = 5
DEBRIEF_REPLY_WORKING_DAYS_BEFORE = 5


# --- Shared pieces ------------------------------------------------------------------------------------


def _board(review: Review) -> dict:
    board = review.board
    return {
        "name": board.name,
        "address": board.address,
        "phone": board.phone,
        "secure_mailbox": board.secure_mailbox,
        "email": board.contact_email,
    }


def _board_people(board, role) -> list[str]:
    return list(
        Membership.objects.filter(board=board, role=role, user__is_active=True)
        .order_by("granted_at", "pk")
        .values_list("user__full_name", flat=True)
    )


def _panel_person(review: Review, role: str) -> dict:
    membership = review.panel.filter(role=role, removed_at__isnull=True).select_related("user").first()
    if membership is None:
        return {"name": "", "post": "", "organisation": ""}
    return {
        "name": membership.user.full_name,
        "post": membership.post,
        "organisation": membership.organisation,
    }


def _child(review: Review, request: BuildRequest) -> dict:
    referral = review.referral
    merge = request.merge
    if referral is None:
        return {"name": "", "date_of_birth": "", "date_of_death": "", "age": ""}
    return {
        "name": merge.name(referral.child_name),
        "date_of_birth": merge.dob(referral.child_date_of_birth),
        "date_of_death": short_date(referral.child_date_of_death),
        "age": merge.age(referral.child_date_of_birth),
    }


def _common(review: Review, request: BuildRequest) -> dict:
    """The LSCB Chair, the panel chair and the overview author are named in everything (domain brief
    §8.1); the business manager only in what stays inside the board."""
    chairs = _board_people(review.board, Role.LSCB_CHAIR)
    managers = _board_people(review.board, Role.BUSINESS_MANAGER)
    referral = review.referral
    return {
        "board": _board(review),
        "case": {
            "reference": review.reference,
            "referral_reference": referral.reference if referral else "",
            "review_type": review.get_review_type_display(),
            "decided_on": long_date(review.decision_date),
        },
        "child": _child(review, request),
        "today": long_date(request.today),
        "chair": {"name": chairs[0] if chairs else "", "title": f"Chair, {review.board.name}"},
        "business_manager": {
            "name": managers[0] if managers and not request.merge.anonymised else "",
            "title": f"Business Manager, {review.board.name}",
        },
        "panel_chair": {
            **_panel_person(review, PanelRole.INDEPENDENT_CHAIR),
            "title": "Chair, Serious Case Review Panel",
        },
        "overview_author": _panel_person(review, PanelRole.OVERVIEW_AUTHOR),
    }


def _meeting(review: Review, kind: str) -> Meeting | None:
    """The meeting of `kind` to write about: the next one not yet held, else the latest."""
    meetings = Meeting.objects.filter(review=review, kind=kind)
    return (
        meetings.filter(held_on__isnull=True).order_by("meeting_date", "pk").first()
        or meetings.order_by("-meeting_date", "-pk").first()
    )


def _meeting_fields(meeting: Meeting | None) -> dict:
    if meeting is None:
        return {"present": False, "date": "", "venue": ""}
    return {"present": True, "date": long_date(meeting.meeting_date), "venue": meeting.venue}


def _no_referral(review: Review) -> list[str]:
    return [] if review.referral_id else ["This review has no referral, so there is no child to name."]


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
    by post and organisation (DCSF ¶3.10; Solihull §13.2.1), as reviews.selectors builds the section."""
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


# --- Sample contexts: the documented fields, with the values the wording editor's preview shows ----------

SAMPLE_REVIEW_COMMON = {
    "board": SAMPLE_BOARD,
    "case": {
        "reference": "EXLSCB-SCR-2026-01",
        "referral_reference": "EXLSCB-2026-0001",
        "review_type": "Serious case review",
        "decided_on": "Thursday 10 December 2026",
    },
    "child": {"name": "Child A", "date_of_birth": "1 May 2020", "date_of_death": "", "age": "6 years"},
    "today": "Tuesday 22 December 2026",
    "chair": SAMPLE_COMMON["chair"],
    "business_manager": SAMPLE_COMMON["business_manager"],
    "panel_chair": {
        "name": "Pat Independent",
        "post": "Independent reviewer",
        "organisation": "Independent Reviews Ltd",
        "title": "Chair, Serious Case Review Panel",
    },
    "overview_author": {"name": "Olu Author", "post": "Independent author", "organisation": "Reviews Ltd"},
}
SAMPLE_MEETING = {"present": True, "date": "Wednesday 13 January 2027", "venue": "Council House, Room 2"}
SAMPLE_TOR = {
    "present": True, "version": "2", "dated": "5 January 2027", "state": "Approved", "approved": True,
    "approved_by": "Pat Chair", "approved_on": "6 January 2027", "period": "1 May 2020 to 20 November 2026",
    "scope": "The agencies' work with the child and family.", "key_issues": "Information sharing.",
    "agencies": "Police, health, children's services.", "family_involvement": "The family will be invited.",
    "parallel_processes": "A police investigation.", "methodology": "Systems approach.", "other": "",
}  # fmt: skip
SAMPLE_COPIES = [{"role": "Agency representative", "organisation": "Example Police"}]


def sample_tor() -> dict:
    return {**SAMPLE_REVIEW_COMMON, "terms_of_reference": SAMPLE_TOR}


def sample_briefing() -> dict:
    return {
        **SAMPLE_REVIEW_COMMON,
        "recipients": [{"name": "Practitioner 1", "role": "IMR author", "agency": "Example Police"}],
        "copies": SAMPLE_COPIES,
        "briefing": SAMPLE_MEETING,
        "reply_by": "Wednesday 30 December 2026",
    }


def sample_commission() -> dict:
    return {
        **SAMPLE_REVIEW_COMMON,
        "recipient": {"agency": "Example Police", "address": "Police HQ", "chief_officer": "Chief Constable"},
        "commissioned_agencies": ["Example Police", "Example Health"],
        "briefing": SAMPLE_MEETING,
        "presentation": {"present": True, "date": "Monday 1 March 2027", "venue": "Council House"},
        "due": "Friday 12 February 2027",
        "nominate_by": "Wednesday 6 January 2027",
        "imr_reference": "EXLSCB-SCR-2026-01-IMR-1",
        "terms_of_reference": SAMPLE_TOR,
    }


def sample_debrief() -> dict:
    return {
        **SAMPLE_REVIEW_COMMON,
        "debriefing": {"date": "Monday 5 July 2027", "time": "10:00", "venue": "Council House"},
        "reply_by": "Monday 28 June 2027",
        "copies": SAMPLE_COPIES,
    }


def sample_progress() -> dict:
    return {
        **SAMPLE_REVIEW_COMMON,
        "report": {
            "month": "March 2027",
            "made_on": "1 March 2027",
            "stage": "IMRs in progress",
            "planned_completion": "10 June 2027",
            "original_completion": "10 June 2027",
            "met": [{"title": "Terms of reference approved", "due": "8 January 2027"}],
            "missed": [{"title": "IMR from Example Police", "due": "12 February 2027", "status": "Overdue"}],
            "open": "3",
            "risks": ["A parallel process is open: criminal investigation (Example Police)."],
        },
    }


def sample_exec_summary() -> dict:
    return {
        **SAMPLE_REVIEW_COMMON,
        "adopted_on": "14 June 2027",
        "named": [{"role": "LSCB Chair", "name": "Pat Chair", "text": "LSCB Chair: Pat Chair"}],
        "members": [{"role": "Agency representative", "text": "Detective Inspector, Example Police"}],
    }


def sample_action_plan() -> dict:
    return {
        **SAMPLE_REVIEW_COMMON,
        "plan": {"state": "Agreed", "agreed_on": "1 July 2027", "adopted_on": ""},
        "recommendations": [
            {
                "number": "1",
                "source": "Overview report",
                "outcome": "Officers know the risks of domestic abuse to children.",
                "text": "The police should train every officer on domestic abuse and child abuse.",
                "agency": "Example Police",
                "addressed_to": "Assistant Chief Constable",
                "actions": [
                    {
                        "number": "1",
                        "text": "Arrange the courses.",
                        "by_whom": "Head of training, Example Police",
                        "by_when": "1 October 2027",
                        "status": "Open",
                        "actions_taken": "",
                        "audit_information": "Numbers trained against numbers in post.",
                    }
                ],
            }
        ],
    }


COMMON_DESCRIPTIONS = {
    "board.name": "The board's name",
    "board.address": "The board's postal address",
    "board.phone": "The business unit's telephone number",
    "board.secure_mailbox": "The secure email address for papers",
    "board.email": "The business unit's email address",
    "case.reference": "The review's reference",
    "case.referral_reference": "The referral's reference",
    "case.review_type": "The type of review",
    "case.decided_on": "The date the LSCB Chair decided to hold the review",
    "child.name": "The child's name (the pseudonym, such as Child A, in an anonymised version)",
    "child.date_of_birth": "The child's date of birth (their age in an anonymised version)",
    "child.date_of_death": "The date the child died, if they did",
    "child.age": "The child's age",
    "today": "Today's date",
    "chair.name": "The LSCB Chair's name",
    "chair.title": "The LSCB Chair's title",
    "business_manager.name": "The business manager's name (left out of an anonymised version)",
    "business_manager.title": "The business manager's title",
    "panel_chair.name": "The independent panel chair's name",
    "panel_chair.post": "The panel chair's post",
    "panel_chair.organisation": "The panel chair's organisation",
    "panel_chair.title": "The panel chair's title in letters",
    "overview_author.name": "The independent overview author's name",
    "overview_author.post": "The overview author's post",
    "overview_author.organisation": "The overview author's organisation",
}
MEETING_DESCRIPTIONS = {
    "{0}.present": "Whether the {1} has been arranged",
    "{0}.date": "The date of the {1}",
    "{0}.venue": "Where the {1} is held",
}
TOR_DESCRIPTIONS = {
    "terms_of_reference.present": "Whether there are terms of reference",
    "terms_of_reference.version": "Their version number",
    "terms_of_reference.dated": "The date of the version",
    "terms_of_reference.state": "Where the version stands (draft, agreed, approved…)",
    "terms_of_reference.approved": "Whether the LSCB Chair approved this version",
    "terms_of_reference.approved_by": "Who approved it",
    "terms_of_reference.approved_on": "When",
    "terms_of_reference.period": "The period the review covers",
    "terms_of_reference.scope": "The scope",
    "terms_of_reference.key_issues": "The key issues",
    "terms_of_reference.agencies": "The agencies asked for reports",
    "terms_of_reference.family_involvement": "How the family will be involved",
    "terms_of_reference.parallel_processes": "Processes running alongside",
    "terms_of_reference.methodology": "The methodology",
    "terms_of_reference.other": "Anything else agreed",
}
COPIES_DESCRIPTIONS = {
    "copies": "The panel members sent a copy, by role and organisation (a list)",
    "copies[each].role": "Their role on the panel",
    "copies[each].organisation": "Their organisation",
}


def _meeting_descriptions(name: str, label: str) -> dict:
    return {key.format(name): text.format(name, label) for key, text in MEETING_DESCRIPTIONS.items()}


register(
    DocumentKind(
        code="terms-of-reference",
        title="Terms of reference",
        source="Solihull guidance §2.2; domain brief §4.4",
        description="One version of the review's terms of reference, with its date. Marked DRAFT unless the "
        "LSCB Chair has approved that version.",
        layout="documents/review_tor.html",
        owner_type="review",
        build=tor_context,
        sample=sample_tor,
        descriptions={**COMMON_DESCRIPTIONS, **TOR_DESCRIPTIONS},
        wordings={"intro": "tor-intro"},
        missing=_tor_missing,
        preapproved=_tor_preapproved,
        options_form="reviews.document_forms.ToRVersionOptionsForm",
    ),
    wordings=[Wording("tor-intro", "Terms of reference: the introduction", "terms-of-reference")],
)

register(
    DocumentKind(
        code="authors-briefing",
        title="Invitation to the authors' briefing",
        source="Solihull guidance, Appendix 4",
        description="The panel chair's invitation to the IMR authors and the overview author to the "
        "briefing, with the date and place if the meeting is recorded and the date to reply by.",
        layout="documents/authors_briefing.html",
        owner_type="review",
        build=authors_briefing_context,
        sample=sample_briefing,
        descriptions={
            **COMMON_DESCRIPTIONS,
            **COPIES_DESCRIPTIONS,
            **_meeting_descriptions("briefing", "briefing"),
            "recipients": "The authors invited (a list)",
            "recipients[each].name": "The author's name",
            "recipients[each].role": "IMR author or overview author",
            "recipients[each].agency": "Their agency or organisation",
            "reply_by": "The date to confirm attendance by (5 working days, from the clock)",
        },
        wordings={"letter": "authors-briefing-letter"},
        missing=_briefing_missing,
    ),
    wordings=[
        Wording("authors-briefing-letter", "Authors' briefing (App 4): the letter", "authors-briefing")
    ],
)

register(
    DocumentKind(
        code="imr-commission",
        title="IMR commissioning letter",
        source="Solihull guidance, Appendix 5",
        description="The letter asking one agency for its individual management review, with the date it is "
        "due and the approved terms of reference attached.",
        layout="documents/imr_commission.html",
        owner_type="review",
        build=imr_commission_context,
        sample=sample_commission,
        descriptions={
            **COMMON_DESCRIPTIONS,
            **TOR_DESCRIPTIONS,
            **_meeting_descriptions("briefing", "authors' briefing"),
            **_meeting_descriptions("presentation", "presentation meeting"),
            "recipient.agency": "The agency written to",
            "recipient.address": "Its address",
            "recipient.chief_officer": "Its chief officer",
            "commissioned_agencies": "Every agency asked for an IMR (a list of names)",
            "due": "The date the IMR is due (from the clock)",
            "nominate_by": "The date to name the IMR author by",
            "imr_reference": "The IMR's reference",
        },
        wordings={"letter": "imr-commission-letter"},
        missing=_commission_missing,
        options_form="reviews.document_forms.IMROptionsForm",
    ),
    wordings=[Wording("imr-commission-letter", "IMR commissioning letter (App 5)", "imr-commission")],
)

register(
    DocumentKind(
        code="practitioners-debrief",
        title="Invitation to the practitioners' debriefing",
        source="Solihull guidance §16.2, Appendix 10",
        description="The LSCB Chair's invitation to the practitioners who worked with the family, once the "
        "LSCB has adopted the review, with a reply slip to tear off.",
        layout="documents/practitioners_debrief.html",
        owner_type="review",
        build=debrief_context,
        sample=sample_debrief,
        descriptions={
            **COMMON_DESCRIPTIONS,
            **COPIES_DESCRIPTIONS,
            "debriefing.date": "The date of the debriefing",
            "debriefing.time": "Its start time",
            "debriefing.venue": "Where it is held",
            "reply_by": "The date to reply by (5 working days before, from the clock)",
        },
        wordings={"letter": "practitioners-debrief-letter"},
        missing=_debrief_missing,
        options_form="reviews.document_forms.DebriefOptionsForm",
    ),
    wordings=[
        Wording(
            "practitioners-debrief-letter",
            "Practitioners' debriefing (App 10): the letter",
            "practitioners-debrief",
        )
    ],
)

register(
    DocumentKind(
        code="progress-report",
        title="Monthly progress report",
        source="Solihull guidance §4.1.2",
        description="A month's progress report on the review for the LSCB Chair: the stage, the deadlines "
        "met and missed, the planned completion and the risks.",
        layout="documents/progress_report.html",
        owner_type="review",
        build=progress_context,
        sample=sample_progress,
        descriptions={
            **COMMON_DESCRIPTIONS,
            "report.month": "The month reported on",
            "report.made_on": "The date the report was made",
            "report.stage": "The review's stage",
            "report.planned_completion": "The planned completion date",
            "report.original_completion": "The completion date first set",
            "report.met": "Deadlines met (a list)",
            "report.met[each].title": "The deadline",
            "report.met[each].due": "When it was due",
            "report.missed": "Deadlines missed (a list)",
            "report.missed[each].title": "The deadline",
            "report.missed[each].due": "When it was due",
            "report.missed[each].status": "Where it stands",
            "report.open": "How many deadlines are still open",
            "report.risks": "The risks (a list of sentences)",
        },
        wordings={"note": "progress-report-note"},
        missing=_progress_missing,
        options_form="reviews.document_forms.ProgressReportOptionsForm",
    ),
    wordings=[Wording("progress-report-note", "Progress report: the covering note", "progress-report")],
)

register(
    DocumentKind(
        code="exec-summary-cover",
        title="Executive summary: cover and membership section",
        source="Solihull guidance §13.2.1; DCSF ¶3.10; domain brief §8.2",
        description="The cover of the executive summary and its membership section: the LSCB Chair, the "
        "panel chair and the overview author by name, every other panel member by post and organisation.",
        layout="documents/exec_summary_cover.html",
        owner_type="review",
        build=exec_summary_context,
        sample=sample_exec_summary,
        descriptions={
            **COMMON_DESCRIPTIONS,
            "adopted_on": "The date the LSCB adopted the review",
            "named": "The named officers (a list)",
            "named[each].role": "Their role",
            "named[each].name": "Their name",
            "named[each].text": "The line as printed",
            "members": "The other panel members (a list)",
            "members[each].role": "Their role",
            "members[each].text": "Their post and organisation",
        },
        wordings={"cover": "exec-summary-cover-text"},
        external=True,
        missing=_exec_summary_missing,
    ),
    wordings=[Wording("exec-summary-cover-text", "Executive summary: the cover text", "exec-summary-cover")],
)

register(
    DocumentKind(
        code="action-plan",
        title="Action plan",
        source="Solihull guidance §17.1.1, Appendix 13",
        description="The review's recommendations and actions in the App 13 layout: outcome, "
        "recommendation, actions, by whom, by when, actions taken and the information for audit.",
        layout="documents/action_plan.html",
        owner_type="review",
        build=action_plan_context,
        sample=sample_action_plan,
        descriptions={
            **COMMON_DESCRIPTIONS,
            "plan.state": "Where the plan stands",
            "plan.agreed_on": "When the agencies agreed it",
            "plan.adopted_on": "When the LSCB adopted it",
            "recommendations": "The recommendations (a list)",
            "recommendations[each].number": "Its number",
            "recommendations[each].source": "Where it comes from",
            "recommendations[each].outcome": "The outcome it should achieve",
            "recommendations[each].text": "The recommendation",
            "recommendations[each].agency": "The agency it is addressed to",
            "recommendations[each].addressed_to": "The post with authority to act",
            "recommendations[each].actions": "Its actions (a list)",
        },
        wordings={"intro": "action-plan-intro"},
        external=True,
        missing=_action_plan_missing,
        orientation="landscape",
    ),
    wordings=[Wording("action-plan-intro", "Action plan (App 13): the introduction", "action-plan")],
)

# Referrals sit below reviews: the referral form's Part 3 gets the approved terms of reference from here.
extend("approved-terms-of-reference", approved_tor)


# --- The review as the owner of documents -------------------------------------------------------------


def _review_named_users(review) -> set[int]:
    """Who the documents of a review name even when anonymised: the LSCB Chair, the panel chair and the
    overview author (domain brief §8.1; Solihull §1.9.1). They stay out of the key."""
    chairs = set(
        Membership.objects.filter(board=review.board, role=Role.LSCB_CHAIR).values_list("user_id", flat=True)
    )
    independents = set(
        review.panel.filter(role__in=INDEPENDENT_ROLES, removed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    return chairs | independents


def _review_key_rows(review) -> list[KeyRow]:
    """The referral's people (child, family, workers, referrer), then the professionals the review adds:
    the panel members who are not named in anything that leaves the board (agency representatives,
    advisers, experts: listed by post and organisation only, domain brief §8.2), the IMR authors and the
    owners of actions in the action plan, and the practitioners the IMRs name. Professionals are anonymised
    too (§8.1)."""
    rows = referral_key_rows(review.referral) if review.referral_id else []
    named = _review_named_users(review)
    seen: set[int] = set()

    def add(user, source: str) -> None:
        if user.pk in named or user.pk in seen or not user.full_name.strip():
            return
        seen.add(user.pk)
        rows.append(
            KeyRow(
                source_ref=f"{source}:{user.pk}",
                real_name=user.full_name.strip(),
                role=KeyRole.PRACTITIONER,
                pseudonym_hint="Practitioner",
            )
        )

    for membership in review.panel.select_related("user").order_by("pk"):
        add(membership.user, "panel")
    for imr in review.imrs.filter(author__isnull=False).select_related("author").order_by("pk"):
        add(imr.author, "imr-author")
    for action in (
        Action.objects.filter(recommendation__plan__review=review).select_related("owner").order_by("pk")
    ):
        add(action.owner, "action-owner")
    # The practitioners each agency's IMR names (its staff key and interviews), as in that IMR's own key:
    # the IMR app reads them (imr/documents.py), as it alone knows how a staff key is written.
    named_in_imrs = []
    for named in extensions("review-key-practitioners"):
        named_in_imrs += named(review)
    return add_practitioners(rows, named_in_imrs)


def _review_may(user, review, action: str) -> bool:
    """View: those who see the whole review (business unit, LSCB Chair, auditors, its panel); an IMR
    author sees only the approved terms of reference and the final draft, not these documents."""
    access = review_access(user, review)
    if not access.sees_all:
        return False
    if action == "view":
        return True
    board = review.board
    if action in {"request", "edit_key"}:
        return user_has_board_perm(user, board, WORK_CASES)
    return senior_may(user, board, action)


def _review_get(user, pk):
    review, _ = get_review_for_user(user, pk)
    return review


def review_reference_date(review):
    """Ages in anonymised text are given at the incident, or else at the Chair's decision."""
    referral = review.referral
    if referral is not None and referral.incident_date:
        return referral.incident_date
    return review.decision_date


def _review_data_as_of(review):
    """The last recorded change to the review (its transition log), else when it was set up."""
    last = (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(review), object_id=review.pk
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return last or review.created_at


register_owner_type(
    OwnerType(
        key="review",
        model="reviews.Review",
        label="review",
        get_for_user=_review_get,
        may=_review_may,
        board=lambda review: review.board,
        reference=lambda review: review.reference,
        reference_date=review_reference_date,
        data_as_of=_review_data_as_of,
        key_rows=_review_key_rows,
        detail_url_name="review_detail",
        documents_url_name="review_documents",
        key_url_name="review_case_key",
    )
)
