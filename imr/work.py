"""The IMR work on a person's home page (issue 19): for the IMRs they write, their agency's IMRs and those of
the reviews whose panel they are on — on any board — what they can do now (the same `IMRAccess.may` and
django-fsm guards the services use) and whom they wait for; and, for the business unit, whom each IMR of
its boards waits for. Four queries (five for the business unit), whatever other boards hold."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django_fsm import can_proceed

from reviews.models import FINAL_STATES as REVIEW_FINAL_STATES
from scr_portal.models import AGENCY_ROLES, Role
from scr_portal.permissions import WORK_CASES, board_perms_held, memberships_of
from scr_portal.work import WorkItem, soonest_deadlines

from .models import IMR, IMRState
from .permissions import IMRAccess, panel_review_ids

# (state, permission action, transition, what to do, page)
ACTS = [
    (
        IMRState.REQUESTED,
        "nominate",
        "nominate",
        "Name the IMR's author, or record a nil return",
        "imr_detail",
    ),
    (IMRState.AUTHOR_NOMINATED, "write", "start_preparation", "Start writing the IMR", "imr_start"),
    (IMRState.RETURNED_FOR_REWORK, "write", "start_preparation", "Start the IMR's rework", "imr_start"),
    (IMRState.IN_PREPARATION, "write", "send_for_factual_check", "Write the IMR", "imr_detail"),
    (IMRState.AUTHOR_SIGNED, "sign_off", "sign_off", "Sign off the IMR as head of agency", "imr_sign_off"),
    (
        IMRState.FURTHER_INFO_AUTHOR_SIGNED,
        "sign_off",
        "sign_off",
        "Sign off the further information as head of agency",
        "imr_sign_off",
    ),
    (IMRState.SIGNED_OFF, "submit", "submit", "Submit the IMR to the panel", "imr_detail"),
    (IMRState.SUBMITTED, "quality_assure", "accept", "Quality-assure the IMR", "imr_quality_assurance"),
    (
        IMRState.FURTHER_INFO_REQUESTED,
        "provide_information",
        "provide_further_information",
        "Send the further information the panel asked for",
        "imr_provide_information",
    ),
]
# Whom the IMR's writers (author and agency) wait for.
WAITS = {
    IMRState.REQUESTED: "the agency to name the author",
    IMRState.AUTHOR_SIGNED: "the head of agency's sign-off",
    IMRState.SUBMITTED: "the panel's quality assurance",
}
# Whom the business unit waits for on each IMR of its boards. It may name the author itself, but that is
# the agency's to do: for the business unit a requested IMR is a wait, not an item of its own.
BUSINESS_UNIT_WAITS = {
    **WAITS,
    IMRState.AUTHOR_NOMINATED: "the IMR's author",
    IMRState.IN_PREPARATION: "the IMR's author",
    IMRState.FACTUAL_CHECK: "the IMR's author",
    IMRState.AGENCY_QA: "the agency's quality assurance",
    IMRState.SIGNED_OFF: "the agency to submit the IMR",
    IMRState.RETURNED_FOR_REWORK: "the IMR's author",
    IMRState.FURTHER_INFO_REQUESTED: "the IMR's author",
    IMRState.FURTHER_INFO_PROVIDED: "the IMR's author's signature",
    IMRState.FURTHER_INFO_AUTHOR_SIGNED: "the head of agency's sign-off",
}


def imr_work(user, *, today: dt.date) -> list[WorkItem]:
    roles: dict[int, set[str]] = {}
    for _, role, agency_id in memberships_of(user):
        if role in AGENCY_ROLES and agency_id:
            roles.setdefault(agency_id, set()).add(role)
    panel = panel_review_ids(user)
    perms = board_perms_held(user)
    business_unit = [pk for pk, board_perms in perms.items() if WORK_CASES in board_perms]
    # The business unit's IMRs in a query of their own, from its boards' reviews: ORed with the others, the
    # join would read every IMR of the nation.
    wanted = [Q(author=user) | Q(agency_id__in=list(roles)) | Q(review_id__in=panel)]
    if business_unit:
        wanted.append(Q(review__board_id__in=business_unit))
    found: dict[int, IMR] = {}
    for which in wanted:
        for imr in (
            IMR.objects.filter(which)
            .exclude(state__in=IMR.FINAL_STATES)
            .exclude(review__state__in=REVIEW_FINAL_STATES)
            .select_related("review__board", "agency")
        ):
            found.setdefault(imr.pk, imr)
    imrs = sorted(found.values(), key=lambda imr: (imr.review.reference, imr.agency.name))
    dues = soonest_deadlines(IMR, [imr.pk for imr in imrs], today=today)
    items = []
    for imr in imrs:
        agency_roles = roles.get(imr.agency_id, set())
        # As `imr.permissions.imr_access` works it out; the author's object permission comes with the
        # nomination and goes with a replacement, as `author` does.
        access = IMRAccess(
            is_author=imr.author_id == user.pk,
            is_agency=Role.AGENCY_CONTACT in agency_roles,
            is_head=Role.HEAD_OF_AGENCY in agency_roles,
            is_panel=imr.review_id in panel,
            is_business_unit=imr.review.board_id in business_unit,
        )
        due = dues.get(imr.pk)
        label = f"{imr.case_reference} ({imr.agency.name})"
        board = imr.review.board.name
        acted = False
        writer = access.is_author or access.is_agency or access.is_head
        for state, action, transition, what, page in ACTS:
            if action == "nominate" and not access.is_agency:
                continue
            if imr.state == state and access.may(action) and can_proceed(getattr(imr, transition)):
                items.append(WorkItem(board, label, what, reverse(page, args=[imr.pk]), due))
                acted = True
        waits = WAITS if writer else BUSINESS_UNIT_WAITS if access.is_business_unit else {}
        if not acted and imr.state in waits:
            url = reverse("imr_detail", args=[imr.pk])
            items.append(WorkItem(board, label, "The IMR", url, due, waits[imr.state]))
    return items
