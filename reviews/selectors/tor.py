"""Reads about the terms of reference that other apps rely on."""

from ..models import ToRState, ToRVersion


def approved_tor(review) -> ToRVersion | None:
    """The one approved terms of reference of a review, which IMR authors work to."""
    return ToRVersion.objects.filter(review=review, state=ToRState.APPROVED).first()
