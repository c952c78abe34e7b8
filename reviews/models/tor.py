"""Terms of reference: dated versions, panel comments, agency consultation, LSCB Chair approval (domain
brief §4.4; Solihull §2.2.2–2.2.5)."""

from django.db import models
from django_fsm import FSMField, transition

from scr_portal.models import Agency
from scr_portal.models.fields import Recorded, who_and_when
from scr_portal.models.fsm import ConcurrentTransitionMixin, move

from .comments import VersionComment
from .review import of_review


class ToRState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_CONSULTATION = "in_consultation", "In consultation"
    PANEL_AGREED = "panel_agreed", "Agreed by the panel"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


WORKING_TOR_STATES = (ToRState.DRAFT, ToRState.IN_CONSULTATION, ToRState.PANEL_AGREED)


class ToRVersion(ConcurrentTransitionMixin, models.Model):
    """One dated version of a review's terms of reference (domain brief §4.4). A version's text never
    changes once saved: a change is a new version. Approval by the LSCB Chair freezes it; a later change
    is a new version needing approval again, and the approved version stays current until then."""

    review = of_review("tor_versions")
    number = models.PositiveSmallIntegerField()
    state = FSMField(default=ToRState.DRAFT, choices=ToRState.choices, protected=True)
    FINAL_STATES = frozenset({ToRState.SUPERSEDED})
    dated = models.DateField(help_text="The date printed in the document's footer.")
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    scope = models.TextField(blank=True)
    key_issues = models.TextField(blank=True)
    agencies = models.TextField(blank=True)
    family_involvement = models.TextField(blank=True)
    parallel_processes = models.TextField(blank=True)
    methodology = models.TextField(blank=True)
    other = models.TextField(blank=True)
    created_by, created_at = who_and_when()
    agreed_by, agreed_at = who_and_when(null=True, blank=True)
    approved_by, approved_at = who_and_when(null=True, blank=True)

    class Meta:
        ordering = ["review", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="tor_version_number"),
            models.UniqueConstraint(
                fields=["review"], condition=models.Q(state="approved"), name="tor_one_approved_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Terms of reference v{self.number} of {self.review}"

    @property
    def is_draft(self) -> bool:
        """Every version not approved is marked DRAFT (domain brief §7 build note)."""
        return self.approved_at is None

    @property
    def draft_mark(self) -> bool:
        """The DRAFT mark beside the version's state, unless the state already says "Draft"."""
        return self.is_draft and self.state != ToRState.DRAFT

    # Agencies are asked for their views (their designated representatives consult internally).
    send_for_consultation = move(state, "send_for_consultation", ToRState.DRAFT, ToRState.IN_CONSULTATION)

    @transition(field=state, source=[ToRState.DRAFT, ToRState.IN_CONSULTATION], target=ToRState.PANEL_AGREED)
    def panel_agree(self, *, by, at) -> None:
        self.agreed_by = by
        self.agreed_at = at

    @transition(field=state, source=ToRState.PANEL_AGREED, target=ToRState.APPROVED)
    def approve(self, *, by, at) -> None:
        self.approved_by = by
        self.approved_at = at

    # A newer version replaced this one (a working draft) or was approved after it.
    supersede = move(state, "supersede", [*WORKING_TOR_STATES, ToRState.APPROVED], ToRState.SUPERSEDED)


class ToRComment(VersionComment):
    version = models.ForeignKey(ToRVersion, on_delete=models.CASCADE, related_name="comments")


class ToRConsultation(Recorded):
    """One agency asked for its views on one version, and its reply (Solihull §2.2.3)."""

    version = models.ForeignKey(ToRVersion, on_delete=models.CASCADE, related_name="consultations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["version", "agency"], name="tor_consult_once")]

    def __str__(self) -> str:
        return f"{self.agency} on {self.version}"
