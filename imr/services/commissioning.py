"""Commissioning an IMR from each agency once the terms of reference are approved, the agency's nil return,
and the author's nomination with the independence declaration and an invitation to the portal (domain brief
§4.3; Solihull §9)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from guardian.shortcuts import assign_perm, remove_perm

from referrals.models import AgencyCheck
from reviews.models import Review
from reviews.scr_clock import IMR_LETTERS_SENT
from reviews.selectors import approved_tor
from reviews.services import review_follow_imrs
from scr_portal.clock.services import deadline_cancel, deadline_meet_for, deadlines_of
from scr_portal.models import AccessAction, User
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.people import agency_contacts, business_unit
from scr_portal.roles import invitation_path, role_change_record
from scr_portal.transitions import log_transition

from .. import permissions
from ..models import (
    IMR,
    AuthorDeclaration,
)
from ._common import acting, active_deadline, imr_change, local_today, now_or, open_deadline, tell

NO_APPROVED_TOR = "The terms of reference must be approved before IMRs are commissioned."
NO_AGENCIES = "Select at least one agency to commission an IMR from."
AGENCY_OF_OTHER_BOARD = "That agency does not belong to this review's board."
ALREADY_COMMISSIONED = "An IMR has already been commissioned from {names}."
NOMINATE_BY_PAST = "The date to name the author by must be today or in the future."
REASON_REQUIRED = "Give the reason for the nil return."
AUTHOR_INVOLVED = (
    "The author must not have been directly involved with the child or family. Nominate someone else."
)
AUTHOR_LINE_MANAGER = (
    "The author must not be the immediate line manager of the practitioners involved. Nominate someone else."
)
SHOULD_REASON_REQUIRED = (
    "Explain why this author is suitable although they are not senior enough or do not know child "
    "protection practice."
)
SAME_AUTHOR = "That person is already the author. Enter the new author's email address."
AUTHOR_INACTIVE = "That person's account has been closed. Ask the business unit, or nominate someone else."

# --- Commissioning ------------------------------------------------------------------------------------


@transaction.atomic
def imr_commission(*, review: Review, actor, agencies, nominate_by: dt.date, now=None) -> list[IMR]:
    """One IMR per agency that confirmed involvement (out-of-area agencies included), from a review with
    approved terms of reference (Solihull App 5; domain brief §4.2 IMR_COMMISSIONED). The IMR is due about
    a month after commissioning: rule 'imr-completed', at the board's own timescale where it has set one."""
    now = now_or(now)
    Review.objects.select_for_update().filter(pk=review.pk).first()  # one commissioning at a time
    access = permissions.review_imr_access(actor, review)
    access.require("commission")
    if approved_tor(review) is None:
        raise ValidationError(NO_APPROVED_TOR)
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": NO_AGENCIES})
    if any(agency.board_id != review.board_id for agency in agencies):
        raise ValidationError({"agencies": AGENCY_OF_OTHER_BOARD})
    taken = set(IMR.objects.filter(review=review).values_list("agency_id", flat=True))
    already = [agency.name for agency in agencies if agency.pk in taken]
    if already:
        raise ValidationError({"agencies": ALREADY_COMMISSIONED.format(names=", ".join(already))})
    if nominate_by < local_today(now):
        raise ValidationError({"nominate_by": NOMINATE_BY_PAST})
    created = []
    secured = records_secured_by_agency(review)
    for agency in sorted(agencies, key=lambda a: a.name):
        try:
            with transaction.atomic():
                imr = IMR.objects.create(
                    review=review,
                    agency=agency,
                    commissioned_at=now,
                    commissioned_by=actor,
                    nominate_by=nominate_by,
                    records_secured_on=secured.get(agency.pk),
                )
        except IntegrityError:
            raise ValidationError({"agencies": ALREADY_COMMISSIONED.format(names=agency.name)}) from None
        imr.review = review
        reason = f"Author to be named by {nominate_by:%d/%m/%Y}"
        log_transition(imr, "commission", "", actor, reason, board=review.board)
        contacts = agency_contacts(imr.agency_id)
        open_deadline(imr, "imr-completed", actor=actor, now=now, responsible_users=contacts)
        open_deadline(
            imr, "imr-author-named", actor=actor, now=now, responsible_users=contacts, due_date=nominate_by
        )
        tell(
            contacts,
            imr,
            "IMR requested",
            f"An Individual Management Review has been requested from your agency for case "
            f"{imr.case_reference}. Name the author by {nominate_by:%d/%m/%Y}, or record a nil return.",
        )
        created.append(imr)
    deadline_meet_for(
        subject=review, rule_code="tor-and-imr-letters", title=IMR_LETTERS_SENT, actor=actor, at=now
    )
    # The letters going out is the review's "IMRs commissioned" too (issue 19): no second step to record.
    review_follow_imrs(review=review, actor=actor, transition="commission_imrs")
    return created


def records_secured_by_agency(review: Review) -> dict[int, dt.date]:
    """The date each agency said its records were secured when it answered the referral's check: the IMR
    starts with it, so the author is not asked again (issue 19)."""
    if review.referral_id is None:
        return {}
    return dict(
        AgencyCheck.objects.filter(
            referral_id=review.referral_id, records_secured_on__isnull=False
        ).values_list("agency_id", "records_secured_on")
    )


# --- The agency's answer: an author or a nil return ---------------------------------------------------


@transaction.atomic
def imr_record_nil_return(*, imr: IMR, actor, reason: str, now=None) -> IMR:
    """The agency had no involvement or nothing to contribute: terminal, and counts as complete."""
    now = now_or(now)
    current = acting(imr, actor, "nil_return", "record_nil_return")
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    with imr_change(current, "nil_return", actor=actor, reason=reason.strip(), fields=["nil_return_reason"]):
        current.record_nil_return(reason=reason.strip())
    deadline_meet_for(subject=current, rule_code="imr-completed", actor=actor, at=now)
    named = active_deadline(current, "imr-author-named")
    if named is not None:
        deadline_cancel(deadline=named, actor=actor, reason="Nil return: no author needed.", now=now)
    tell(
        business_unit(current.review.board),
        current,
        "Nil return",
        f"A nil return has been recorded for case {current.case_reference}.",
    )
    return current


def _declared_author(
    imr: IMR,
    *,
    actor,
    email: str,
    full_name: str,
    job_title: str,
    directly_involved: bool,
    line_manager_of_practitioners: bool,
    senior_enough: bool,
    knows_cp_practice: bool,
    now,
    external_author: bool = False,
    should_reason: str = "",
) -> tuple[User, bool, dict]:
    """The author named for `imr` once the independence declaration passes (domain brief §2.2): an existing
    active account, or a new one without a password (True: invited). Also the declaration to record."""
    failures = {}
    if directly_involved:
        failures["directly_involved"] = AUTHOR_INVOLVED
    if line_manager_of_practitioners:
        failures["line_manager_of_practitioners"] = AUTHOR_LINE_MANAGER
    if failures:
        raise ValidationError(failures)
    if (not senior_enough or not knows_cp_practice) and not should_reason.strip():
        raise ValidationError({"should_reason": SHOULD_REASON_REQUIRED})

    email = User.objects.normalize_email(email.strip())
    author = User.objects.filter(email__iexact=email).first()
    invited = author is None
    if author is None:
        author = User.objects.create_user(
            email=email,
            password=None,  # unusable until they set one through the invitation
            full_name=full_name.strip(),
            job_title=job_title.strip(),
            organisation="" if external_author else imr.agency.name,
        )
    elif not author.is_active:
        raise ValidationError({"email": AUTHOR_INACTIVE})
    declaration = {
        "author": author,
        "directly_involved": directly_involved,
        "line_manager_of_practitioners": line_manager_of_practitioners,
        "senior_enough": senior_enough,
        "knows_cp_practice": knows_cp_practice,
        "external_author": external_author,
        "should_reason": should_reason.strip(),
        "declared_by": actor,
        "declared_at": now,
    }
    return author, invited, declaration


def _tell_author(imr: IMR, author: User, invited: bool) -> None:
    named = "You have been named as the author of an Individual Management Review for case "
    body, path = f"{named}{imr.case_reference}.", ""
    if invited:
        body = (
            f"{named}{imr.case_reference}. Use the link below to choose a password; you will then set up "
            "an authenticator app for a second sign-in step. The link works once and expires after a few "
            "days: ask the business unit for a new one if it has."
        )
        path = invitation_path(author)
    tell([author], imr, "You have been named as an IMR author", body, path)


def _log_author(imr: IMR, actor, person: User, action: str) -> None:
    """The access log's row for the author's access to the IMR given or taken."""
    label = f"{person}: IMR author, {imr.case_reference}"
    role_change_record(actor=actor, board=imr.review.board, person=person, action=action, label=label)


def _seat_author(
    current: IMR, transition: str, reason: str, *, actor, author, author_role, declaration, now, old=None
) -> None:
    """The author's transition (nominate or replace_author) with their declaration and their permissions
    on this IMR; `old`, the author replaced, loses theirs."""
    fields = ["author", "author_role", "author_nominated_at"]
    with imr_change(current, transition, actor=actor, reason=reason, fields=fields) as change:
        getattr(current, transition)(author=author, author_role=author_role.strip(), at=now)
        change.save()
        AuthorDeclaration.objects.create(imr=current, **declaration)
        for codename in permissions.AUTHOR_PERMS:
            if old is not None:
                remove_perm(codename, old, current)
            assign_perm(codename, author, current)


@transaction.atomic
def imr_nominate_author(
    *,
    imr: IMR,
    actor,
    author_role: str,
    now=None,
    **named,
) -> IMR:
    """The chief officer or designated representative names the author (Cambridgeshire §8; Solihull
    §10.1.4). The independence declaration must pass: an author directly involved with the child or family,
    or the immediate line manager of the practitioners, is refused (domain brief §2.2). The author gets an
    account if they have none (an emailed set-password link) and permissions on this IMR only. `named`:
    email, full_name, job_title and the declaration's answers (`_declared_author`)."""
    now = now_or(now)
    current = acting(imr, actor, "nominate", "nominate")
    author, invited, declaration = _declared_author(current, actor=actor, now=now, **named)
    _seat_author(
        current,
        "nominate",
        "Author named; independence declaration passed.",
        actor=actor,
        author=author,
        author_role=author_role,
        declaration=declaration,
        now=now,
    )

    deadline_meet_for(subject=current, rule_code="imr-author-named", actor=actor, at=now)
    completed = active_deadline(current, "imr-completed")
    if completed is not None:
        completed.responsible_users.add(author)
    open_deadline(current, "chronology-collated", actor=actor, now=now, responsible_users=[author])
    _tell_author(current, author, invited)
    _log_author(current, actor, author, AccessAction.GRANT)
    tell(
        business_unit(current.review.board),
        current,
        "IMR author named",
        f"The agency has named the author of the IMR for case {current.case_reference}.",
    )
    return current


@transaction.atomic
def imr_replace_author(*, imr: IMR, actor, author_role: str, now=None, **named) -> IMR:
    """Another author takes the IMR over, after the same independence declaration. The old author loses
    access to the IMR (their object permissions go) and its deadlines pass to the new one."""
    now = now_or(now)
    current = acting(imr, actor, "replace_author", "replace_author")
    old = current.author
    author, invited, declaration = _declared_author(current, actor=actor, now=now, **named)
    if old is not None and author.pk == old.pk:
        raise ValidationError({"email": SAME_AUTHOR})
    _seat_author(
        current,
        "replace_author",
        "Author replaced; independence declaration passed.",
        actor=actor,
        author=author,
        author_role=author_role,
        declaration=declaration,
        now=now,
        old=old,
    )
    for deadline in deadlines_of(current).filter(status__in=ACTIVE_STATUSES):
        if old is not None and deadline.responsible_users.filter(pk=old.pk).exists():
            deadline.responsible_users.remove(old)
            deadline.responsible_users.add(author)
    _tell_author(current, author, invited)
    if old is not None:
        _log_author(current, actor, old, AccessAction.REVOKE)
    _log_author(current, actor, author, AccessAction.GRANT)
    return current
