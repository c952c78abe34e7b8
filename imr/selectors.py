"""Reads about IMRs that the reviews app relies on."""

from .models import COMPLETE_STATES, IMR


def imr_authors(review) -> list:
    """(author, agency) of every IMR of the review that has a nominated author."""
    return [
        (imr.author, imr.agency)
        for imr in IMR.objects.filter(review=review, author__isnull=False).select_related("author", "agency")
    ]


def is_imr_author_for_review(user, review) -> bool:
    return IMR.objects.filter(review=review, author=user).exists()


def review_imrs_complete(review) -> bool:
    """True when the review has IMRs and every one is accepted (or later) or a nil return."""
    imrs = IMR.objects.filter(review=review)
    return imrs.exists() and not imrs.exclude(state__in=COMPLETE_STATES).exists()
