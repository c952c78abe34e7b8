"""When a review closes or is stood down, the access its people had for it ends (issue 16 clause 7): panel
members lose their object permissions on the review here, and IMR authors' review access, which asks
whether the review is open, with it. Higher apps that grant permissions on their own records of the
review (the imr app on each IMR, for its author) register a function taking the review."""

from collections.abc import Callable

from scr_portal.services import sync_object_perms

from .models import Review
from .permissions import ALL_REVIEW_PERMS

_enders: list[Callable[[Review], None]] = []


def register_access_ender(ender: Callable[[Review], None]) -> None:
    if ender not in _enders:
        _enders.append(ender)


def end_review_access(review: Review) -> None:
    for membership in review.panel.select_related("user"):
        sync_object_perms(user=membership.user, obj=review, wanted=set(), every=ALL_REVIEW_PERMS)
    for ender in _enders:
        ender(review)
