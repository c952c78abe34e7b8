"""What each referral document holds, built from the data the referral holds (Solihull guidance App 1-3;
domain brief §7): the referral form (Parts 1 to 3), the App 2 notice to agencies with the referral attached,
the App 3 letter and leaflet for the family, and the notifications to Ofsted, the DfE and the National Panel
(anonymised, as everything that leaves the board). Context functions return plain strings, lists and dicts
only, dates already worded, so wording edited in the portal reaches nothing but what is documented."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from referrals.models import (
    AgencyCheck,
    CpPlan,
    NotificationEvent,
    Recommendation,
    Referral,
    ReferralState,
    Trigger,
)
from scr_portal.clock.services import deadlines_of, effective_timescale
from scr_portal.documents.registry import (
    BuildRequest,
    board_fields,
    extensions,
    long_date,
    short_date,
)
from scr_portal.models import Deadline, DeadlineRule, Membership, Role
from scr_portal.models.clock import ACTIVE_STATUSES


def _yes_no(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not answered")


def _board_people(board, role) -> list[str]:
    return list(
        Membership.objects.filter(board=board, role=role, user__is_active=True)
        .order_by("granted_at", "pk")
        .values_list("user__full_name", flat=True)
    )


def _board(referral: Referral) -> dict:
    return board_fields(referral.board)


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


def terms_of_reference_basics(tor, merge) -> dict:
    """What every document says of an approved version of the terms of reference."""
    period = ""
    if tor.period_from or tor.period_to:
        period = (
            f"{short_date(tor.period_from) or 'the start'} to {short_date(tor.period_to) or 'the present'}"
        )
    return {
        "present": True,
        "version": str(tor.number),
        "period": period,
        "scope": merge.text(tor.scope),
        "key_issues": merge.text(tor.key_issues),
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
    return {
        **terms_of_reference_basics(tor, merge),
        "dated": short_date(tor.dated),
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
    deadline = deadlines.filter(status__in=ACTIVE_STATUSES).first() or deadlines.first()
    return long_date(deadline.due_date) if deadline else ""


def _decision_due(referral: Referral) -> str:
    deadline = deadlines_of(referral).filter(rule__code="decision").order_by("-pk").first()
    return long_date(deadline.due_date) if deadline else ""


def agency_notice_context(referral: Referral, request: BuildRequest) -> dict:
    # Every agency asked, whatever became of its check (issue 15).
    checks = referral.agency_checks.select_related("agency")
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
