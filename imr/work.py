"""The IMR work on a person's home page (issue 19): for the IMRs they write, their agency's IMRs and those of
the reviews whose panel they are on — on any board — what they can do now (the same `IMRAccess.may` and
django-fsm guards the services use) and whom they wait for. Four queries, whatever other boards hold."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django_fsm import can_proceed

from reviews.models import FINAL_STATES as REVIEW_FINAL_STATES
from scr_portal.models import AGENCY_ROLES, Membership, Role
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


def imr_work(user, *, today: dt.date) -> list[WorkItem]:
    roles: dict[int, set[str]] = {}
    for agency_id, role in Membership.objects.filter(
        user=user, role__in=AGENCY_ROLES, agency__isnull=False
    ).values_list("agency_id", "role"):
        roles.setdefault(agency_id, set()).add(role)
    panel = panel_review_ids(user)
    imrs = list(
        IMR.objects.filter(Q(author=user) | Q(agency_id__in=list(roles)) | Q(review_id__in=panel))
        .exclude(state__in=IMR.FINAL_STATES)
        .exclude(review__state__in=REVIEW_FINAL_STATES)
        .select_related("review__board", "agency")
        .order_by("review__reference", "agency__name")
    )
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
        )
        due = dues.get(imr.pk)
        label = f"{imr.case_reference} ({imr.agency.name})"
        board = imr.review.board.name
        acted = False
        for state, action, transition, what, page in ACTS:
            if imr.state == state and access.may(action) and can_proceed(getattr(imr, transition)):
                items.append(WorkItem(board, label, what, reverse(page, args=[imr.pk]), due))
                acted = True
        if not acted and imr.state in WAITS and (access.is_author or access.is_agency):
            url = reverse("imr_detail", args=[imr.pk])
            items.append(WorkItem(board, label, "The IMR", url, due, WAITS[imr.state]))
    return items
