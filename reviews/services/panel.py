"""Appointing and removing panel members (domain brief §2.1, §2.2, §6.11). Appointing the panel chair
or the overview author runs the independence rules of `reviews.independence`: a broken 'must' rule
refuses the appointment, naming the rule; a broken 'should' rule needs the LSCB Chair's reason. Each
appointment keeps its conflict declaration. Appointed members get object permissions on this review
alone, and lose them when removed."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from scr_portal.models import AccessAction, Membership, Role
from scr_portal.roles import role_change_record
from scr_portal.services import blank, refuse_problems, sync_object_perms
from scr_portal.transitions import log_transition

from .. import independence
from ..models import (
    INDEPENDENT_ROLES,
    ConflictDeclaration,
    PanelMembership,
    PanelRole,
    Review,
)
from ..permissions import ALL_REVIEW_PERMS, ROLE_REVIEW_PERMS, require
from ._common import REVIEW_CLOSED, locked, notify, now_or

DECLARATION_INCOMPLETE = "Answer every question of the conflict declaration."
ROLE_TAKEN = "The review already has an {role}. Remove them before appointing another."
ALREADY_MEMBER = "This person is already on the panel in that role."
MUST_BROKEN = "{rule} This rule cannot be overridden, so the appointment has not been made."
SHOULD_BROKEN = "{rule} Only the LSCB Chair can override this, with a reason."
OVERRIDE_CHAIR_ONLY = "Only the LSCB Chair can override an independence rule. Leave the reason blank."
OVERRIDE_REASON_REQUIRED = "Give the reason for overriding the rules above."
OVERRIDE_NOT_NEEDED = "No rule needs overriding. Leave the reason blank."
REMOVAL_REASON_REQUIRED = "Give the reason for removing this person from the panel."
ALREADY_REMOVED = "This person has already been removed from the panel."
ORGANISATION_REQUIRED = "Enter the organisation they come from."
POST_REQUIRED = "Enter their post."


def involved_agency_ids(review: Review) -> set[int]:
    """Agencies involved in the case: those with an IMR, and those that answered the agency check
    'involved'."""
    from referrals.models import AgencyCheckState

    ids = set(review.imrs.values_list("agency_id", flat=True))
    if review.referral_id:
        ids |= set(
            review.referral.agency_checks.filter(state=AgencyCheckState.INVOLVED).values_list(
                "agency_id", flat=True
            )
        )
    return ids


def candidate_for(
    *,
    review: Review,
    user,
    role: str,
    answers: dict,
    competences=(),
    competence_evidence: str = "",
    indemnity_confirmed: bool = False,
    supervision_confirmed: bool = False,
    data_protection_confirmed: bool = False,
    contract_issued_on: dt.date | None = None,
) -> independence.Candidate:
    """The candidate as the rules see it: what they declared plus what the portal knows about them."""
    memberships = list(Membership.objects.filter(user=user, board=review.board))
    involved = involved_agency_ids(review)
    return independence.Candidate(
        role=role,
        answers=dict(answers),
        board_roles=frozenset(m.role for m in memberships),
        other_panel_roles=frozenset(
            PanelMembership.objects.filter(review=review, user=user, removed_at__isnull=True).values_list(
                "role", flat=True
            )
        ),
        contact_of_involved_agency=any(
            m.role == Role.AGENCY_CONTACT and m.agency_id in involved for m in memberships
        ),
        competences=frozenset(competences),
        competence_evidence=competence_evidence,
        indemnity_confirmed=indemnity_confirmed,
        supervision_confirmed=supervision_confirmed,
        data_protection_confirmed=data_protection_confirmed,
        contract_issued=contract_issued_on is not None,
    )


def sync_review_perms(*, user, review: Review) -> None:
    """Make the user's object permissions on `review` exactly those their active panel roles give."""
    roles = PanelMembership.objects.filter(review=review, user=user, removed_at__isnull=True).values_list(
        "role", flat=True
    )
    wanted = {perm for role in roles for perm in ROLE_REVIEW_PERMS[role]}
    sync_object_perms(user=user, obj=review, wanted=wanted, every=ALL_REVIEW_PERMS)


@transaction.atomic
def panel_appoint(
    *,
    review: Review,
    actor,
    user,
    role: str,
    organisation: str,
    post: str,
    answers: dict,
    declared_on: dt.date,
    other_interests: str = "",
    competences=(),
    competence_evidence: str = "",
    indemnity_confirmed: bool = False,
    supervision_confirmed: bool = False,
    data_protection_confirmed: bool = False,
    contract_issued_on: dt.date | None = None,
    override_reason: str = "",
    now=None,
) -> PanelMembership:
    now = now_or(now)
    review = locked(review)
    access = require(actor, review, "appoint")
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    incomplete = any(not isinstance(answers.get(code), bool) for code, _ in independence.QUESTIONS)
    refuse_problems(
        {
            "organisation": blank(organisation, ORGANISATION_REQUIRED),
            "post": blank(post, POST_REQUIRED),
            "__all__": DECLARATION_INCOMPLETE if incomplete else None,
        }
    )
    if role in INDEPENDENT_ROLES and review.panel.filter(role=role, removed_at__isnull=True).exists():
        raise ValidationError(ROLE_TAKEN.format(role=PanelRole(role).label.lower()))
    if review.panel.filter(role=role, user=user, removed_at__isnull=True).exists():
        raise ValidationError(ALREADY_MEMBER)
    independent = role in INDEPENDENT_ROLES
    appointment = {
        "competences": sorted(set(competences)) if independent else [],
        "competence_evidence": competence_evidence if independent else "",
        "indemnity_confirmed": indemnity_confirmed and independent,
        "supervision_confirmed": supervision_confirmed and independent,
        "data_protection_confirmed": data_protection_confirmed and independent,
        "contract_issued_on": contract_issued_on if independent else None,
    }
    verdict = independence.check(
        candidate_for(review=review, user=user, role=role, answers=answers, **appointment)
    )
    if verdict.broken_musts:
        raise ValidationError([MUST_BROKEN.format(rule=rule.message) for rule in verdict.broken_musts])
    override_reason = override_reason.strip()
    if verdict.broken_shoulds:
        messages = [SHOULD_BROKEN.format(rule=rule.message) for rule in verdict.broken_shoulds]
        if not access.may("override"):
            if override_reason:
                raise ValidationError({"override_reason": OVERRIDE_CHAIR_ONLY})
            raise ValidationError(messages)
        if not override_reason:
            raise ValidationError({"__all__": messages, "override_reason": OVERRIDE_REASON_REQUIRED})
    elif override_reason:
        raise ValidationError({"override_reason": OVERRIDE_NOT_NEEDED})
    overridden = [rule.code for rule in verdict.broken_shoulds]
    membership = PanelMembership.objects.create(
        review=review,
        user=user,
        role=role,
        organisation=organisation.strip(),
        post=post.strip(),
        appointed_at=now,
        appointed_by=actor,
        overridden_rules=overridden,
        override_reason=override_reason if overridden else "",
        override_by=actor if overridden else None,
        **appointment,
    )
    ConflictDeclaration.objects.create(
        membership=membership,
        answers={code: bool(answers[code]) for code, _ in independence.QUESTIONS},
        other_interests=other_interests,
        declarant=user,
        declared_on=declared_on,
        approver=actor if overridden else None,
        recorded_by=actor,
        recorded_at=now,
    )
    sync_review_perms(user=user, review=review)
    reason = f"{user.full_name}, {membership.post}, {membership.organisation}"
    if overridden:
        reason += f". The LSCB Chair overrode: {', '.join(overridden)}. Reason: {override_reason}"
    log_transition(review, "appoint", "", actor, reason, to_state=role)
    _log_access(membership, actor, AccessAction.GRANT)
    notify(
        [user],
        review,
        "You have been appointed to a review panel",
        f"You have been appointed {PanelRole(role).label.lower()} of a review. You can now see it in the "
        "portal.",
    )
    return membership


@transaction.atomic
def panel_remove(*, membership: PanelMembership, actor, reason: str, now=None) -> PanelMembership:
    now = now_or(now)
    review = locked(membership.review)
    require(actor, review, "appoint")
    membership = PanelMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.removed_at is not None:
        raise ValidationError(ALREADY_REMOVED)
    if not reason.strip():
        raise ValidationError({"reason": REMOVAL_REASON_REQUIRED})
    membership.removed_at = now
    membership.removed_by = actor
    membership.removal_reason = reason.strip()
    membership.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    sync_review_perms(user=membership.user, review=review)
    log_transition(
        review, "remove", membership.role, actor, f"{membership.user.full_name}: {reason}", to_state=""
    )
    _log_access(membership, actor, AccessAction.REVOKE)
    return membership


def _log_access(membership: PanelMembership, actor, action: str) -> None:
    """The access log's row for the panel member's access to the review given or taken."""
    review = membership.review
    label = f"{membership.user}: {membership.get_role_display()}, {review.reference}"
    role_change_record(actor=actor, board=review.board, person=membership.user, action=action, label=label)
