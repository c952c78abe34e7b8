"""The reviews app's case record in the kernel's registry (scr_portal/records.py). Pages of any app that
take a `review_pk` are about the review. Registered from ReviewsConfig.ready()."""

from scr_portal import records
from scr_portal.records import CaseRecord

from .models import Review
from .models.plans import Action as PlanAction
from .permissions import get_review_for_user


def register() -> None:
    records.register(
        CaseRecord(
            kind="review",
            model=Review,
            url_prefix="review_",
            url_kwarg="review_pk",
            route="reviews/<int:pk>/",
            title="Review",
            get_for_user=get_review_for_user,
        ),
        # An action of a review's action plan (its pages under "actions/<int:pk>/").
        CaseRecord(
            kind="plan_action",
            model=PlanAction,
            url_prefix="action_",
            route="actions/<int:pk>/",
            reference="recommendation__plan__review__reference",
        ),
    )
