"""The documents of a referral, built from the data the referral holds (Solihull guidance App 1–3; domain
brief §7): the referral form (Parts 1 to 3), the App 2 notice to agencies with the referral attached, the
App 3 letter and leaflet for the family, and the notifications to Ofsted, the DfE and the National Panel
(anonymised, as everything that leaves the board). Also the referral's owner type (who may see and
produce these documents, what its anonymisation key is filled from) and its family as a genogram (App 15),
which the genogram document (imr/documents.py) and the referral page draw.

Context functions return plain strings, lists and dicts only, dates already worded, so that wording
edited in the portal can reach nothing but what is documented here."""

from __future__ import annotations

import re
from functools import partial

from django.contrib.contenttypes.models import ContentType

from referrals.models import (
    AgencyCheck,
    AgencyCheckState,
    CpPlan,
    NotificationEvent,
    Recommendation,
    Referral,
    ReferralState,
    Trigger,
)
from referrals.permissions import get_referral_for_user, sees_all_referrals
from scr_portal.clock.services import deadlines_of, effective_timescale
from scr_portal.documents import genogram
from scr_portal.documents.owners import KeyRow, OwnerType, register_owner_type, senior_may
from scr_portal.documents.registry import (
    BuildRequest,
    DocumentKind,
    Wording,
    extensions,
    long_date,
    register,
    short_date,
)
from scr_portal.models import Board, Deadline, DeadlineRule, KeyRole, Membership, Role
from scr_portal.permissions import WORK_CASES, user_has_board_perm

ACTIVE = ["open", "overdue", "extended"]


def _yes_no(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not answered")


def _board_people(board, role) -> list[str]:
    return list(
        Membership.objects.filter(board=board, role=role, user__is_active=True)
        .order_by("granted_at", "pk")
        .values_list("user__full_name", flat=True)
    )


def _board(referral: Referral) -> dict:
    board = referral.board
    return {
        "name": board.name,
        "address": board.address,
        "phone": board.phone,
        "secure_mailbox": board.secure_mailbox,
        "email": board.contact_email,
    }


def _people(referral: Referral, merge) -> dict:
    """The LSCB Chair is named in everything; other professionals, the business manager included, only
    by their post in what leaves the board (domain brief §8.1)."""
    chairs = _board_people(referral.board, Role.LSCB_CHAIR)
    managers = _board_people(referral.board, Role.BUSINESS_MANAGER)
    return {
        "chair": {"name": chairs[0] if chairs else "", "title": f"Chair, {referral.board.name}"},
        "business_manager": {
            "name": managers[0] if managers and not merge.anonymised else "",
            "title": f"Business Manager, {referral.board.name}",
        },
    }


def _child(referral: Referral, request: BuildRequest) -> dict:
    merge = request.merge
    return {
        "name": merge.name(referral.child_name),
        "date_of_birth": merge.dob(referral.child_date_of_birth),
        "age": merge.age(referral.child_date_of_birth),
        "date_of_death": short_date(referral.child_date_of_death),
        "incident_date": short_date(referral.incident_date),
        "address": merge.address(referral.child_address),
        "address_line": ", ".join(
            line.strip() for line in merge.address(referral.child_address).splitlines() if line.strip()
        ),
        "ethnicity": referral.child_ethnicity,
        "cp_plan": dict(CpPlan.choices).get(referral.child_cp_plan, "Not answered"),
        "whereabouts": merge.text(referral.child_whereabouts),
        "carer": merge.text(referral.child_carer),
    }


def _case(referral: Referral) -> dict:
    received = referral.received_at.date() if referral.received_at else referral.received_on
    review = getattr(referral, "review", None)
    return {
        "reference": referral.reference,
        "received_on": long_date(received),
        "submitted_on": short_date(referral.submitted_at.date()) if referral.submitted_at else "",
        "review_reference": review.reference if review else "",
    }


def _common(referral: Referral, request: BuildRequest) -> dict:
    return {
        "board": _board(referral),
        "case": _case(referral),
        "child": _child(referral, request),
        "today": long_date(request.today),
        **_people(referral, request.merge),
    }


def _decision(referral: Referral, merge) -> dict:
    decision = getattr(referral, "decision", None)
    if decision is None:
        return {
            "present": False,
            "outcome": "",
            "alternative": "",
            "reasons": "",
            "members_consulted": "",
            "legal_advice": "",
            "suggested_author": "",
            "decided_by": "",
            "decided_on": "",
            "summary": "",
        }
    decided_on = long_date(decision.decided_at.date())
    if decision.outcome == Recommendation.SCR:
        summary = f"On {decided_on} the LSCB Chair decided that a serious case review will be held."
    elif decision.outcome == Recommendation.ALTERNATIVE:
        summary = (
            f"On {decided_on} the LSCB Chair decided that the criteria for a serious case review are not "
            f"met and that an alternative review will be held: "
            f"{decision.get_alternative_type_display().lower()}."
        )
    else:
        summary = f"On {decided_on} the LSCB Chair decided that no review will be held."
    return {
        "present": True,
        "outcome": decision.get_outcome_display(),
        "alternative": decision.get_alternative_type_display() if decision.alternative_type else "",
        "reasons": merge.text(decision.reasons),
        "members_consulted": merge.text(decision.members_consulted),
        "legal_advice": "has" if decision.legal_advice_sought else "has not",
        "suggested_author": decision.suggested_author,
        "decided_by": decision.decided_by.full_name,
        "decided_on": decided_on,
        "summary": summary,
    }


def _terms_of_reference(referral: Referral, merge) -> dict:
    """Part 3: the terms of reference the panel agreed, once the LSCB Chair has approved a version."""
    empty = {"present": False, "version": "", "dated": "", "period": "", "scope": "", "key_issues": "",
             "agencies": "", "approved_by": "", "approved_on": ""}  # fmt: skip
    review = getattr(referral, "review", None)
    if review is None:
        return empty
    # Reviews own the terms of reference and sit above referrals, so they hand the approved version in.
    tor = None
    for approved_tor in extensions("approved-terms-of-reference"):
        tor = approved_tor(review)
    if tor is None:
        return empty
    period = ""
    if tor.period_from or tor.period_to:
        period = (
            f"{short_date(tor.period_from) or 'the start'} to {short_date(tor.period_to) or 'the present'}"
        )
    return {
        "present": True,
        "version": str(tor.number),
        "dated": short_date(tor.dated),
        "period": period,
        "scope": merge.text(tor.scope),
        "key_issues": merge.text(tor.key_issues),
        "agencies": merge.text(tor.agencies),
        "approved_by": tor.approved_by.full_name if tor.approved_by else "",
        "approved_on": short_date(tor.approved_at.date()) if tor.approved_at else "",
    }


def referral_form_context(referral: Referral, request: BuildRequest) -> dict:
    merge = request.merge
    cp = dict(CpPlan.choices)
    triggers = dict(Trigger.choices)
    return {
        **_common(referral, request),
        "referrer": {
            "name": merge.name(referral.referrer_name),
            "agency": referral.referrer_agency.name if referral.referrer_agency else "",
            "job_title": referral.referrer_job_title,
            "email": "" if merge.anonymised else referral.referrer_email,
            "phone": "" if merge.anonymised else referral.referrer_phone,
            "line_manager": merge.name(referral.referrer_line_manager),
        },
        "brief_account": merge.text(referral.brief_account),
        "family": [
            {
                "name": merge.name(member.name),
                "relationship": member.relationship,
                "date_of_birth": merge.dob(member.date_of_birth),
                "address": merge.address(member.address),
                "legal_status": member.legal_status,
                "ethnicity": member.ethnicity,
                "cp_plan": cp.get(member.cp_plan, ""),
            }
            for member in referral.family.all()
        ],
        "agencies": [
            {
                "worker": merge.name(involved.worker_name),
                "agency": involved.agency.name,
                "contact": "" if merge.anonymised else involved.contact_details,
                "still_involved": _yes_no(involved.still_involved),
            }
            for involved in referral.involved_agencies.select_related("agency")
        ],
        "triggers": [triggers.get(code, code) for code in referral.triggers],
        "trigger_account": merge.text(referral.trigger_account),
        "key_dates": [
            {
                "date": short_date(event.date),
                "time": event.time.strftime("%H:%M") if event.time else "",
                "event": merge.text(event.event),
            }
            for event in referral.key_dates.all()
        ],
        "other_children_at_risk": merge.text(referral.other_children_at_risk),
        "designated_professional_consulted": _yes_no(referral.designated_professional_consulted),
        "csc_referral_made": _yes_no(referral.csc_referral_made),
        "media_interest": _yes_no(referral.media_interest),
        "lead_board": referral.board.name
        if referral.lead_board_is_this_board in (True, None)
        else referral.lead_board_name,
        "advice": referral.get_advice_display() if referral.advice else "",
        "decision": _decision(referral, merge),
        "terms_of_reference": _terms_of_reference(referral, merge),
    }


def _not_submitted(referral: Referral) -> list[str]:
    return ["Submit the referral first."] if referral.state == ReferralState.DRAFT else []


def _reply_by(referral: Referral) -> str:
    """The agencies' reply date: the App 2 deadline of the agency checks (3 working days), from the clock.
    The earliest still open, else (all answered) the earliest there was."""
    deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(AgencyCheck),
        object_id__in=referral.agency_checks.values("pk"),
        rule__code="agency-reply",
    ).order_by("due_date")
    deadline = deadlines.filter(status__in=ACTIVE).first() or deadlines.first()
    return long_date(deadline.due_date) if deadline else ""


def _decision_due(referral: Referral) -> str:
    deadline = deadlines_of(referral).filter(rule__code="decision").order_by("-pk").first()
    return long_date(deadline.due_date) if deadline else ""


def agency_notice_context(referral: Referral, request: BuildRequest) -> dict:
    checks = referral.agency_checks.select_related("agency").exclude(state=AgencyCheckState.CANCELLED)
    return {
        **referral_form_context(referral, request),
        "recipients": [
            {
                "agency": check.agency.name,
                "address": check.agency.address,
                "chief_officer": check.agency.chief_officer_name,
            }
            for check in checks
        ],  # fmt: skip
        "reply_by": _reply_by(referral),
        "decision_due": _decision_due(referral),
    }


def _agency_notice_missing(referral: Referral) -> list[str]:
    if referral.state == ReferralState.DRAFT:
        return ["Submit the referral first."]
    if not referral.agency_checks.exists():
        return ["Send the agency checks first: the notice gives the agencies the date their reply is due."]
    return []


def _completion(referral: Referral) -> str:
    rule = DeadlineRule.objects.filter(code="review-completion").first()
    if rule is None:
        return "6 months"
    timescale = effective_timescale(board=referral.board, rule=rule)
    singular = {
        "calendar_months": "month",
        "weeks": "week",
        "calendar_days": "day",
        "working_days": "working day",
        "hours": "hour",
    }.get(timescale.unit, timescale.unit)
    return f"{timescale.amount} {singular}{'s' if timescale.amount != 1 else ''}"


def family_letter_context(referral: Referral, request: BuildRequest) -> dict:
    merge = request.merge
    member = referral.family.filter(pk=request.options.get("recipient")).first()
    return {
        **_common(referral, request),
        "recipient": {
            "name": merge.name(member.name) if member else "",
            "relationship": member.relationship if member else "",
            "address": merge.address(member.address) if member else "",
        },
        "contact": {
            "name": request.options.get("contact_name", ""),
            "phone": request.options.get("contact_phone", ""),
        },
        "completion": _completion(referral),
    }  # fmt: skip


def _family_missing(referral: Referral) -> list[str]:
    if referral.state == ReferralState.DRAFT:
        return ["Submit the referral first."]
    if not referral.family.exclude(name="").exists():
        return ["The referral names no family members to write to. Add them to the referral first."]
    return []


def notification_context(referral: Referral, request: BuildRequest, *, body: str, body_name: str) -> dict:
    merge = request.merge
    triggers = dict(Trigger.choices)
    event = request.options.get("event", NotificationEvent.INCIDENT)
    recorded = referral.notifications.filter(body=body, event=event).first()
    return {
        **_common(referral, request),
        "recipient_body": {"code": body, "name": body_name},
        "event": {"code": event, "label": dict(NotificationEvent.choices).get(event, event)},
        "triggers": [triggers.get(code, code) for code in referral.triggers],
        "trigger_account": merge.text(referral.trigger_account),
        "brief_account": merge.text(referral.brief_account),
        "decision": _decision(referral, merge),
        "previously_sent": short_date(recorded.sent_on) if recorded else "",
        "anonymised": merge.anonymised,
    }


def _notification_missing(referral: Referral) -> list[str]:
    return _not_submitted(referral)


# --- Sample contexts: the documented fields, with the values the wording editor's preview shows ----------

SAMPLE_BOARD = {
    "name": "Example Local Safeguarding Children Board",
    "address": "Council House\nHigh Street\nExampletown\nEX1 1AA",
    "phone": "01234 567890",
    "secure_mailbox": "lscb@example.gcsx.gov.uk",
    "email": "lscb@example.gov.uk",
}
SAMPLE_COMMON = {
    "board": SAMPLE_BOARD,
    "case": {
        "reference": "EXLSCB-2026-0001",
        "received_on": "Monday 23 November 2026",
        "submitted_on": "23 November 2026",
        "review_reference": "",
    },
    "child": {
        "name": "Child A",
        "date_of_birth": "1 May 2020",
        "age": "6 years",
        "date_of_death": "",
        "incident_date": "20 November 2026",
        "address": "1 Example Road\nExampletown",
        "address_line": "1 Example Road, Exampletown",
        "ethnicity": "White British",
        "cp_plan": "Yes, in the past",
        "whereabouts": "At home",
        "carer": "Mother",
    },
    "today": "Tuesday 24 November 2026",
    "chair": {"name": "Pat Chair", "title": "Chair, Example Local Safeguarding Children Board"},
    "business_manager": {
        "name": "Sam Manager",
        "title": "Business Manager, Example Local Safeguarding Children Board",
    },
}
SAMPLE_DECISION = {
    "present": True,
    "outcome": "Hold a serious case review",
    "alternative": "",
    "reasons": "The criteria are met.",
    "members_consulted": "Children's services, police, health.",
    "legal_advice": "has not",
    "suggested_author": "",
    "decided_by": "Pat Chair",
    "decided_on": "Thursday 10 December 2026",
    "summary": "On Thursday 10 December 2026 the LSCB Chair decided that a serious case review will be held.",
}


def sample_referral_form() -> dict:
    return {
        **SAMPLE_COMMON,
        "referrer": {
            "name": "Rita Referrer",
            "agency": "Example Police",
            "job_title": "Detective Sergeant",
            "email": "rita@example.org",
            "phone": "01234 000000",
            "line_manager": "Lee Manager",
        },
        "brief_account": "A short account of what happened and who is in the family.",
        "family": [
            {
                "name": "Mother",
                "relationship": "Mother",
                "date_of_birth": "3 February 1995",
                "address": "1 Example Road",
                "legal_status": "Parental responsibility",
                "ethnicity": "White British",
                "cp_plan": "No",
            }
        ],
        "agencies": [
            {
                "worker": "Practitioner 1",
                "agency": "Example Health",
                "contact": "01234 111111",
                "still_involved": "Yes",
            }
        ],  # fmt: skip
        "triggers": ["(a) The child has died"],
        "trigger_account": "What happened, in relation to the criteria.",
        "key_dates": [{"date": "20 November 2026", "time": "14:30", "event": "The incident."}],
        "other_children_at_risk": "",
        "designated_professional_consulted": "Yes",
        "csc_referral_made": "Yes",
        "media_interest": "No",
        "lead_board": "Example Local Safeguarding Children Board",
        "advice": "Must review",
        "decision": SAMPLE_DECISION,
        "terms_of_reference": {
            "present": False,
            "version": "",
            "dated": "",
            "period": "",
            "scope": "",
            "key_issues": "",
            "agencies": "",
            "approved_by": "",
            "approved_on": "",
        },
    }


def sample_agency_notice() -> dict:
    return {
        **sample_referral_form(),
        "recipients": [
            {"agency": "Example Police", "address": "Police HQ", "chief_officer": "Chief Constable"}
        ],
        "reply_by": "Thursday 26 November 2026",
        "decision_due": "Wednesday 23 December 2026",
    }  # fmt: skip


def sample_family_letter() -> dict:
    return {
        **SAMPLE_COMMON,
        "recipient": {
            "name": "Jo Parent",
            "relationship": "Mother",
            "address": "1 Example Road\nExampletown",
        },
        "contact": {"name": "Alex Contact", "phone": "01234 222222"},
        "completion": "6 months",
    }


def sample_notification(body: str, body_name: str) -> dict:
    return {
        **SAMPLE_COMMON,
        "recipient_body": {"code": body, "name": body_name},
        "event": {"code": "incident", "label": "Serious incident"},
        "triggers": ["(a) The child has died"],
        "trigger_account": "What happened, in relation to the criteria.",
        "brief_account": "A short, anonymised account of what happened.",
        "decision": SAMPLE_DECISION,
        "previously_sent": "",
        "anonymised": True,
    }


COMMON_DESCRIPTIONS = {
    "board.name": "The board's name",
    "board.address": "The board's postal address",
    "board.phone": "The business unit's telephone number",
    "board.secure_mailbox": "The secure email address for papers",
    "board.email": "The business unit's email address",
    "case.reference": "The referral's reference",
    "case.received_on": "The date the referral was received",
    "case.submitted_on": "The date the referral was submitted",
    "case.review_reference": "The review's reference, once a review is held",
    "child.name": "The child's name (the pseudonym, such as Child A, in an anonymised version)",
    "child.date_of_birth": "The child's date of birth (their age in an anonymised version)",
    "child.age": "The child's age at the time of the incident",
    "child.date_of_death": "The date the child died, if they did",
    "child.incident_date": "The date of the incident",
    "child.address": "The child's home address (left out of an anonymised version)",
    "child.address_line": "The child's home address on one line",
    "child.ethnicity": "The child's ethnic origin",
    "child.cp_plan": "Whether the child is or was on a child protection plan",
    "child.whereabouts": "Where the child was at the time of the incident",
    "child.carer": "Who was caring for the child",
    "today": "Today's date",
    "chair.name": "The LSCB Chair's name",
    "chair.title": "The LSCB Chair's title",
    "business_manager.name": "The business manager's name (left out of an anonymised version)",
    "business_manager.title": "The business manager's title",
}
DECISION_DESCRIPTIONS = {
    "decision.present": "Whether the LSCB Chair has decided",
    "decision.outcome": "The decision",
    "decision.alternative": "The type of alternative review, if one",
    "decision.reasons": "The Chair's reasons",
    "decision.members_consulted": "The LSCB members consulted",
    "decision.legal_advice": "'has' or 'has not' (legal advice sought)",
    "decision.suggested_author": "The overview author the Chair suggests",
    "decision.decided_by": "Who decided",
    "decision.decided_on": "When the Chair decided",
    "decision.summary": "One sentence saying what was decided and when",
}
FORM_DESCRIPTIONS = {
    **COMMON_DESCRIPTIONS,
    **DECISION_DESCRIPTIONS,
    "referrer.name": "The referrer's name",
    "referrer.agency": "The referrer's agency",
    "referrer.job_title": "The referrer's job title",
    "referrer.email": "The referrer's email address",
    "referrer.phone": "The referrer's telephone number",
    "referrer.line_manager": "The referrer's line manager",
    "brief_account": "The brief account of the facts and the family",
    "family": "The family and significant others (a list)",
    "family[each].name": "Name",
    "family[each].relationship": "Relationship to the child",
    "family[each].date_of_birth": "Date of birth",
    "family[each].address": "Address",
    "family[each].legal_status": "Legal status",
    "family[each].ethnicity": "Ethnic origin",
    "family[each].cp_plan": "Child protection plan",
    "agencies": "Other agencies involved (a list)",
    "agencies[each].worker": "The worker's name",
    "agencies[each].agency": "The agency",
    "agencies[each].contact": "Contact details",
    "agencies[each].still_involved": "Still involved",
    "triggers": "The circumstances that triggered the referral (a list)",
    "trigger_account": "The referrer's account of those circumstances",
    "key_dates": "The chronology of key dates (a list)",
    "key_dates[each].date": "Date",
    "key_dates[each].time": "Time",
    "key_dates[each].event": "Event",
    "other_children_at_risk": "Other children who may be at risk",
    "designated_professional_consulted": "Designated professional consulted",
    "csc_referral_made": "Referral made to children's social care",
    "media_interest": "Media interest",
    "lead_board": "The lead board",
    "advice": "The portal's advice from the criteria",
    "terms_of_reference.present": "Whether approved terms of reference exist",
    "terms_of_reference.version": "Their version",
    "terms_of_reference.dated": "Their date",
    "terms_of_reference.period": "The period the review covers",
    "terms_of_reference.scope": "The scope",
    "terms_of_reference.key_issues": "The key issues",
    "terms_of_reference.agencies": "The agencies asked for reports",
    "terms_of_reference.approved_by": "Who approved them",
    "terms_of_reference.approved_on": "When",
}

register(
    DocumentKind(
        code="referral-form",
        title="Referral form (Parts 1 to 3)",
        source="Solihull guidance, Appendix 1",
        description="The referral as received (Part 1), the LSCB Chair's decision (Part 2) and the agreed "
        "terms of reference (Part 3), as far as each exists.",
        layout="documents/referral_form.html",
        owner_type="referral",
        build=referral_form_context,
        sample=sample_referral_form,
        descriptions=FORM_DESCRIPTIONS,
        wordings={"note": "referral-form-note"},
        missing=_not_submitted,
    ),
    wordings=[Wording("referral-form-note", "Referral form: note at the top", "referral-form")],
)

register(
    DocumentKind(
        code="agency-notice",
        title="Notice to agencies that a serious case review has been requested",
        source="Solihull guidance, Appendix 2",
        description="The LSCB Chair's letter to core LSCB members and the agencies that may have been "
        "involved, asking them to check and secure their records and reply by the date set by the clock, "
        "with the referral attached.",
        layout="documents/agency_notice.html",
        owner_type="referral",
        build=agency_notice_context,
        sample=sample_agency_notice,
        descriptions={
            **FORM_DESCRIPTIONS,
            "recipients": "The agencies written to (a list)",
            "recipients[each].agency": "The agency's name",
            "recipients[each].address": "The agency's address",
            "recipients[each].chief_officer": "The agency's chief officer",
            "reply_by": "The date agencies must reply by (3 working days, from the clock)",
            "decision_due": "The date the Chair's decision is due (one month, from the clock)",
        },
        wordings={"letter": "agency-notice-letter"},
        missing=_agency_notice_missing,
    ),
    wordings=[Wording("agency-notice-letter", "Notice to agencies (App 2): the letter", "agency-notice")],
)

register(
    DocumentKind(
        code="family-letter",
        title="Letter and leaflet for the family",
        source="Solihull guidance, Appendix 3",
        description="A covering letter to a parent or significant relative with the leaflet explaining "
        "what a serious case review is. Send it when the panel, with the police, agrees the timing.",
        layout="documents/family_letter.html",
        owner_type="referral",
        build=family_letter_context,
        sample=sample_family_letter,
        descriptions={
            **COMMON_DESCRIPTIONS,
            "recipient.name": "The family member written to",
            "recipient.relationship": "Their relationship to the child",
            "recipient.address": "Their address",
            "contact.name": "The family's personal contact, if one is named",
            "contact.phone": "The personal contact's telephone number",
            "completion": "How long a review aims to take (the board's setting, such as 6 months)",
        },
        wordings={"letter": "family-letter", "leaflet": "family-leaflet"},
        missing=_family_missing,
        options_form="scr_portal.documents.forms.FamilyLetterOptionsForm",
    ),
    wordings=[
        Wording("family-letter", "Letter to the family (App 3)", "family-letter"),
        Wording("family-leaflet", "Leaflet for families (App 3)", "family-letter"),
    ],
)

NOTIFICATION_DESCRIPTIONS = {
    **COMMON_DESCRIPTIONS,
    **DECISION_DESCRIPTIONS,
    "recipient_body.code": "ofsted, dfe or national_panel",
    "recipient_body.name": "The body written to",
    "event.code": "incident or decision",
    "event.label": "What the notification is about",
    "triggers": "The circumstances that triggered the referral (a list)",
    "trigger_account": "The referrer's account of those circumstances (anonymised)",
    "brief_account": "The brief account of the facts (anonymised)",
    "previously_sent": "When a notification of this kind was recorded as sent, if it was",
    "anonymised": "Whether this is the anonymised version (the one that may be sent)",
}

for _body, _name, _title in (
    ("ofsted", "Ofsted", "Notification to Ofsted"),
    ("dfe", "Department for Education", "Notification to the Department for Education"),
    ("national_panel", "National Panel of Independent Experts", "Notification to the National Panel"),
):
    _code = f"notification-{_body.replace('_', '-')}"
    register(
        DocumentKind(
            code=_code,
            title=_title,
            source="Domain brief §7 (notification of incident and decision)",
            description=f"The anonymised notification of the serious incident or of the decision, for "
            f"{_name}. Only the anonymised version may be sent.",
            layout="documents/notification.html",
            owner_type="referral",
            build=partial(notification_context, body=_body, body_name=_name),
            sample=partial(sample_notification, _body, _name),
            descriptions=NOTIFICATION_DESCRIPTIONS,
            wordings={"body": _code},
            external=True,
            missing=_notification_missing,
            options_form="scr_portal.documents.forms.NotificationOptionsForm",
        ),
        wordings=[Wording(_code, f"{_title}: the text", _code)],
    )


# --- The referral's family as a genogram ----------------------------------------------------------


def referral_family(referral: Referral, merge, *, reference_date=None) -> genogram.Family:
    """The referral's family composition as a genogram: names (pseudonyms when anonymised), the dates of
    birth worded (ages when anonymised), the child as the subject, deceased if a date of death is
    recorded."""
    child = genogram.Person(
        key="child",
        name=merge.name(referral.child_name) or "The child",
        relationship="The child",
        born=merge.dob(referral.child_date_of_birth),
        deceased=referral.child_date_of_death is not None,
        subject=True,
        birth_key=referral.child_date_of_birth.isoformat() if referral.child_date_of_birth else "",
    )
    relatives = [
        genogram.Relative(
            key=f"family-{member.pk}",
            name=merge.name(member.name) or member.relationship,
            relationship=member.relationship,
            born=merge.dob(member.date_of_birth),
            birth_key=member.date_of_birth.isoformat() if member.date_of_birth else "",
        )
        for member in referral.family.all()
    ]
    return genogram.family_from_relationships(child=child, relatives=relatives)


# --- The referral as the owner of documents ----------------------------------------------------------

RELATIONSHIP_PSEUDONYMS = [
    (r"step[\s-]?mother|step[\s-]?mum", "Stepmother", KeyRole.PARENT),
    (r"step[\s-]?father|step[\s-]?dad", "Stepfather", KeyRole.PARENT),
    (r"grand[\s-]?mother|grandma|\bnan\b|nanna|granny", "Grandmother", KeyRole.RELATIVE),
    (r"grand[\s-]?father|grandad|grandpa", "Grandfather", KeyRole.RELATIVE),
    (r"foster", "Foster carer", KeyRole.PARENT),
    (r"mother|\bmum\b|\bmom\b", "Mother", KeyRole.PARENT),
    (r"father|\bdad\b", "Father", KeyRole.PARENT),
    (r"brother|sister|sibling|half", "Sibling", KeyRole.SIBLING),
    (r"\baunt", "Aunt", KeyRole.RELATIVE),
    (r"\buncle", "Uncle", KeyRole.RELATIVE),
    (r"cousin", "Cousin", KeyRole.RELATIVE),
    (r"partner|boyfriend|girlfriend|husband|wife", "Partner", KeyRole.SIGNIFICANT_OTHER),
]


def pseudonym_for_relationship(relationship: str) -> tuple[str, str]:
    """(pseudonym hint, role) for a relationship as the referrer typed it."""
    text = relationship.lower()
    for pattern, hint, role in RELATIONSHIP_PSEUDONYMS:
        if re.search(pattern, text):
            if hint == "Partner" and "mother" in text:
                return "Mother's partner", role
            if hint == "Partner" and "father" in text:
                return "Father's partner", role
            return hint, role
    return "Adult", KeyRole.SIGNIFICANT_OTHER


def referral_key_rows(referral) -> list[KeyRow]:
    rows = []
    if referral.child_name.strip():
        rows.append(
            KeyRow(
                source_ref="child",
                real_name=referral.child_name.strip(),
                role=KeyRole.CHILD,
                pseudonym_hint="Child A",
                date_of_birth=referral.child_date_of_birth,
                address=referral.child_address,
            )
        )
    for member in referral.family.all():
        if not member.name.strip():
            continue
        hint, role = pseudonym_for_relationship(member.relationship)
        rows.append(
            KeyRow(
                source_ref=f"family:{member.pk}",
                real_name=member.name.strip(),
                role=role,
                pseudonym_hint=hint,
                date_of_birth=member.date_of_birth,
                address=member.address,
            )
        )
    for involved in referral.involved_agencies.all():
        if involved.worker_name.strip():
            rows.append(
                KeyRow(
                    source_ref=f"agency-worker:{involved.pk}",
                    real_name=involved.worker_name.strip(),
                    role=KeyRole.PRACTITIONER,
                    pseudonym_hint="Practitioner",
                )
            )
    for source_ref, name in (
        ("referrer", referral.referrer_name),
        ("referrer-manager", referral.referrer_line_manager),
    ):
        if name.strip():
            rows.append(
                KeyRow(
                    source_ref=source_ref,
                    real_name=name.strip(),
                    role=KeyRole.PRACTITIONER,
                    pseudonym_hint="Practitioner",
                )
            )
    return rows


def _referral_may(user, referral, action: str) -> bool:
    board = referral.board
    if not sees_all_referrals(user, board):
        return False
    if action == "view":
        return True
    if action in {"request", "edit_key"}:
        return user_has_board_perm(user, board, WORK_CASES)
    return senior_may(user, board, action)


def _referral_get(user, pk):
    return get_referral_for_user(user, pk)


def _referral_board(referral) -> Board:
    return referral.board


register_owner_type(
    OwnerType(
        key="referral",
        model="referrals.Referral",
        label="referral",
        get_for_user=_referral_get,
        may=_referral_may,
        board=_referral_board,
        reference=lambda referral: referral.reference,
        reference_date=lambda referral: (
            referral.incident_date or (referral.received_at.date() if referral.received_at else None)
        ),
        data_as_of=lambda referral: referral.updated_at,
        key_rows=referral_key_rows,
        detail_url_name="referral_detail",
        documents_url_name="referral_documents",
        key_url_name="referral_case_key",
        family=referral_family,
    )
)
