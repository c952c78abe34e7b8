"""The review's kinds of document, registered with the document engine. Letters to agencies and practitioners
stay inside the partnership (internal); the executive summary's cover and membership section and the action
plan go to Ofsted, the DfE or the public (external), so an anonymised version is made beside them and checked
before they leave the board (§8.1)."""

from __future__ import annotations

from reviews.selectors.tor import approved_tor
from scr_portal.documents.registry import (
    DocumentKind,
    Wording,
    extend,
    register,
)

from .contexts import (
    _action_plan_missing,
    _briefing_missing,
    _commission_missing,
    _debrief_missing,
    _exec_summary_missing,
    _progress_missing,
    _tor_missing,
    _tor_preapproved,
    action_plan_context,
    authors_briefing_context,
    debrief_context,
    exec_summary_context,
    imr_commission_context,
    progress_context,
    tor_context,
)
from .samples import (
    COMMON_DESCRIPTIONS,
    COPIES_DESCRIPTIONS,
    TOR_DESCRIPTIONS,
    _meeting_descriptions,
    sample_action_plan,
    sample_briefing,
    sample_commission,
    sample_debrief,
    sample_exec_summary,
    sample_progress,
    sample_tor,
)

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
