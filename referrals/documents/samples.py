"""Sample contexts: the documented fields of each referral document, with the values the wording editor's
preview shows."""

from __future__ import annotations

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
        # No terms of reference agreed yet: every field of Part 3 is empty.
        "terms_of_reference": {
            "present": False,
            **dict.fromkeys(
                (
                    "version",
                    "dated",
                    "period",
                    "scope",
                    "key_issues",
                    "agencies",
                    "approved_by",
                    "approved_on",
                ),
                "",
            ),
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
