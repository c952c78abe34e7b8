"""The two frameworks the portal ships with (issue 20): their names, words, timescales and criteria.
Each app declares how its own state machine serves them (`referrals.frameworks`, `reviews.frameworks`)."""

from .frameworks import ENGLAND_2023, SCR_2010, Framework, register_framework
from .models.people import Role

SCR = Framework(
    code=SCR_2010,
    name="Serious case review (Working Together 2010 and 2015)",
    source="Working Together 2010 ch. 8 and 2015 ch. 4; the domain brief §1–§9",
    description="The Local Safeguarding Children Board's process: a referral, the LSCB Chair's decision "
    "within one month, a review panel, agencies' IMRs, an overview report and executive summary, Ofsted, "
    "publication and action plans.",
    wording={
        "review": "serious case review",
        "review_short": "SCR",
        "referral": "referral",
        "decision_maker": "LSCB Chair",
        "decision": "the Chair's decision",
        "national_body": "Ofsted",
        "author": "overview author",
        "report": "overview report",
        "adoption": "the LSCB's adoption",
        "adopting_meeting": "LSCB meeting that adopted it",
        "agency_reports": "IMRs",
        "agency_report_authors": "IMR authors",
    },
    criteria="scr-wt2015",
)

ENGLAND = Framework(
    code=ENGLAND_2023,
    name="Local child safeguarding practice review (England, Working Together 2023)",
    source="Working Together to Safeguard Children 2023, chapter 5; the domain brief §10",
    description="The safeguarding partners' process: the local authority's serious incident notification "
    "within 5 working days, a rapid review sent to the Child Safeguarding Practice Review Panel within 15 "
    "working days, the partners' decision, and where they hold one a local child safeguarding practice "
    "review reported within 6 months, copied to the Panel and the Secretary of State at least 7 working "
    "days before publication.",
    wording={
        "review": "local child safeguarding practice review",
        "review_short": "LCSPR",
        "referral": "serious incident notification",
        "decision_maker": "safeguarding partners",
        "decision": "the safeguarding partners' decision",
        "national_body": "the Child Safeguarding Practice Review Panel and the Secretary of State",
        "author": "reviewer",
        "report": "reviewer's report",
        "adoption": "the partners' agreement",
        "adopting_meeting": "Partners' meeting that agreed it",
        "agency_reports": "agency reports",
        "agency_report_authors": "authors of the agency reports",
    },
    criteria="england-2023",
    deadline_rules=(
        "e23-notify-panel",
        "e23-tell-partners",
        "e23-rapid-review",
        "e23-lcspr-report",
        "e23-copy-before-publication",
    ),
    roles=(Role.PARTNER_LEAD,),
    documents=("rapid-review",),
)


def register() -> None:
    register_framework(SCR)
    register_framework(ENGLAND)
