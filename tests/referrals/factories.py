"""Referrals in each meaningful state, built through the services so every state is a real one."""

import datetime as dt
from zoneinfo import ZoneInfo

from referrals import services
from referrals.models import CriterionQuestion, Referral
from scr_portal.frameworks import ENGLAND_2023
from scr_portal.models import Role, SafeguardingPartner

from ..factories import AgencyFactory, member

LONDON = ZoneInfo("Europe/London")
INCIDENT = dt.date(2026, 11, 20)
RECEIVED = dt.datetime(2026, 11, 23, 10, tzinfo=LONDON)

MUST_REVIEW_ANSWERS = {"ABUSE": True, "M1": True}


def complete_answers(**yes) -> dict:
    answers = {code: False for code in CriterionQuestion.objects.values_list("code", flat=True)}
    answers.update(yes)
    return answers


def draft(*, board, author, **overrides) -> Referral:
    referral = services.referral_create_draft(board=board, actor=author, now=RECEIVED)
    fields = {
        "referrer_name": "Rita Referrer",
        "referrer_email": "rita@example.org",
        "referrer_agency": referral.referrer_agency,
        "child_name": "Child Testcase",
        "child_date_of_birth": dt.date(2020, 5, 1),
        "incident_date": INCIDENT,
        "child_cp_plan": "before",
        "brief_account": "Brief account.",
        "triggers": ["a"],
        "trigger_account": "The child died.",
        "other_children_at_risk": "A sibling, aged 3.",
        "designated_professional_consulted": True,
        "csc_referral_made": True,
        "lead_board_is_this_board": True,
        "criteria_answers": complete_answers(**{code: True for code in MUST_REVIEW_ANSWERS}),
    }
    if referral.review_framework == ENGLAND_2023:  # the notification's date of awareness, its criteria
        fields |= {"aware_on": INCIDENT, "criteria_answers": complete_answers(ABUSE=True, S1=True)}
    fields.update(overrides)
    if fields["referrer_agency"] is None:
        fields["referrer_agency"] = AgencyFactory(board=board)
    return services.referral_update(referral=referral, actor=author, **fields)


def submitted(*, board, author, **overrides) -> Referral:
    return services.referral_submit(
        referral=draft(board=board, author=author, **overrides), actor=author, now=RECEIVED
    )


def with_checks(*, board, author, manager, agencies, **overrides) -> Referral:
    referral = submitted(board=board, author=author, **overrides)
    return services.referral_send_agency_checks(
        referral=referral, actor=manager, agencies=agencies, now=RECEIVED + dt.timedelta(hours=2)
    )


def recommended(*, board, author, manager, agencies, recommendation="scr", **overrides) -> Referral:
    referral = with_checks(board=board, author=author, manager=manager, agencies=agencies, **overrides)
    services.referral_schedule_screening(
        referral=referral,
        actor=manager,
        meeting_date=dt.date(2026, 12, 7),
        now=RECEIVED + dt.timedelta(days=1),
    )
    member_of_subcommittee = member(board=board, role=Role.SUBCOMMITTEE_MEMBER)
    return services.referral_record_recommendation(
        referral=referral,
        actor=manager,
        members_present=[member_of_subcommittee],
        recommendation=recommendation,
        reasons="Threshold met.",
        now=dt.datetime(2026, 12, 7, 15, tzinfo=LONDON),
    )


DECISION = {"outcome": "scr", "reasons": "", "members_consulted": "All", "legal_advice_sought": False}


def decide(referral, *, actor, **fields):
    """The Chair's decision through the service: a review, legal advice not sought, unless fields say
    otherwise."""
    return services.referral_decide(referral=referral, actor=actor, **{**DECISION, **fields})


INVOLVED = {
    "involved": True,
    "open_file_copied": True,
    "outline": "Known to the team since 2024.",
    "staff_told": True,
}


def answer_involved(check, *, actor, records_secured_on):
    """An agency's reply: involved, records secured, the open file copied and staff told."""
    return services.agency_check_answer(
        check=check, actor=actor, records_secured_on=records_secured_on, **INVOLVED
    )


PARTNERS = (
    (SafeguardingPartner.LOCAL_AUTHORITY, "Alpha Council"),
    (SafeguardingPartner.POLICE, "Alpha Constabulary"),
    (SafeguardingPartner.INTEGRATED_CARE_BOARD, "Alpha ICB"),
)


def partner_leads(board) -> dict:
    """The three safeguarding partners' agencies of an England 2023 board, each with its lead."""
    leads = {}
    for partner, name in PARTNERS:
        agency = AgencyFactory(board=board, name=name, partner=partner)
        leads[partner] = member(board=board, role=Role.PARTNER_LEAD, agency=agency, full_name=f"Lead {name}")
    return leads


def notify(referral, actor, body, event, sent_on, **fields):
    """Record that a body was told of an event by secure email (fields: anonymised_text, now...)."""
    fields = {"method": "Secure email", "anonymised_text": "Child A", **fields}
    return services.external_notification_record(
        referral=referral, actor=actor, body=body, event=event, sent_on=sent_on, **fields
    )
