"""Sample contexts: the documented fields of each review document, with the values the wording editor's
preview shows."""

from __future__ import annotations

from referrals.documents import SAMPLE_BOARD, SAMPLE_COMMON

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
