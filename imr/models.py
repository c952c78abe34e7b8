"""Individual Management Reviews: each agency's critical review of its own involvement (domain brief §4.3,
§6.4–6.7). IMR authors come from outside the board and see only their own commission."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField

from reviews.models import Review
from scr_portal.models import Agency


class IMRState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    NIL_RETURN = "nil_return", "Nil return"
    AUTHOR_NOMINATED = "author_nominated", "Author nominated"
    IN_PREPARATION = "in_preparation", "In preparation"
    FACTUAL_CHECK = "factual_check", "Factual check"
    AGENCY_QA = "agency_qa", "Agency quality assurance"
    SIGNED_OFF = "signed_off", "Signed off"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED_FOR_REWORK = "returned_for_rework", "Returned for rework"
    PRESENTED = "presented", "Presented"
    FURTHER_INFO_REQUESTED = "further_info_requested", "Further information requested"
    FINAL = "final", "Final"


COMPLETE_STATES = (IMRState.NIL_RETURN, IMRState.ACCEPTED, IMRState.PRESENTED, IMRState.FINAL)


class IMR(ConcurrentTransitionMixin, models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="imrs")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="imrs")
    state = FSMField(default=IMRState.REQUESTED, choices=IMRState.choices, protected=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imrs_authored",
    )
    commissioned_at = models.DateTimeField()
    commissioned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["review", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["review", "agency"], name="imr_one_per_agency")]
        indexes = [models.Index(fields=["review", "state"]), models.Index(fields=["author"])]

    def __str__(self) -> str:
        return f"IMR of {self.agency} for {self.review}"
