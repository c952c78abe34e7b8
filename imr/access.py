"""An IMR author's access ends with the review (issue 16 clause 7; Solihull §15): when the review closes or
is stood down, each author loses the object permissions their IMR gave them. Registered with the reviews
app's `reviews/access_end.py` from ImrConfig.ready()."""

from guardian.shortcuts import remove_perm

from reviews.models import FINAL_STATES as REVIEW_FINAL_STATES

from .models import IMR
from .permissions import AUTHOR_PERMS


def end_authors_access(review) -> None:
    for imr in IMR.objects.filter(review=review, author__isnull=False).select_related("author"):
        for codename in AUTHOR_PERMS:
            remove_perm(codename, imr.author, imr)


def authored_boards(user):
    """The boards of the open reviews whose IMRs `user` writes (the header's board for an IMR author, who
    holds no membership: scr_portal.selectors.case_boards)."""
    return (
        IMR.objects.filter(author=user)
        .exclude(review__state__in=REVIEW_FINAL_STATES)
        .values_list("review__board_id", flat=True)
    )
