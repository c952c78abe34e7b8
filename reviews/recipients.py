"""Who the panel chair of a deadline is, for the clock's overdue escalation (business unit → panel chair →
LSCB Chair). Registered with scr_portal.clock.recipients in ReviewsConfig.ready()."""

from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from .models import PanelMembership, PanelRole, Review


def panel_chairs_of_deadlines(deadlines: Sequence) -> Mapping[int, list]:
    """{deadline id: [panel chair]} for deadlines of reviews and of their IMRs, in at most three queries
    however many deadlines there are. Deadlines of anything else are left out (the business managers get
    them)."""
    review_type = ContentType.objects.get_for_model(Review)
    imr_model = apps.get_model("imr", "IMR")
    imr_type = ContentType.objects.get_for_model(imr_model)
    review_of: dict[int, int] = {}
    imr_ids = [d.object_id for d in deadlines if d.content_type_id == imr_type.pk]
    imr_reviews = (
        dict(imr_model.objects.filter(pk__in=imr_ids).values_list("pk", "review_id")) if imr_ids else {}
    )
    for deadline in deadlines:
        if deadline.content_type_id == review_type.pk:
            review_of[deadline.pk] = deadline.object_id
        elif deadline.content_type_id == imr_type.pk and deadline.object_id in imr_reviews:
            review_of[deadline.pk] = imr_reviews[deadline.object_id]
    if not review_of:
        return {}
    chairs: dict[int, list] = defaultdict(list)
    for membership in PanelMembership.objects.filter(
        review_id__in=set(review_of.values()), role=PanelRole.INDEPENDENT_CHAIR, removed_at__isnull=True
    ).select_related("user"):
        chairs[membership.review_id].append(membership.user)
    return {
        deadline_id: chairs[review_id] for deadline_id, review_id in review_of.items() if chairs[review_id]
    }


def panel_boards(user):
    """The boards of the reviews whose panel `user` is on (the header's board for a panel member from
    elsewhere, scr_portal.selectors.case_boards)."""
    return PanelMembership.objects.filter(user=user, removed_at__isnull=True).values_list(
        "review__board_id", flat=True
    )
