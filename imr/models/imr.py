"""Individual Management Reviews: each agency's critical review of its own involvement (domain brief §4.3,
§6.4–6.7, §6.9). IMR authors come from outside the board and see only their own commission.

State changes are django-fsm transitions that only set fields; `imr.services` locks the row, checks the
permission and the guard, calls the transition, saves, writes the transition log and moves the deadlines
in one transaction."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from reviews.models import Review
from scr_portal.models import Agency, StoredFile
from scr_portal.models.fields import Recorded, user_field, who_and_when
from scr_portal.models.fsm import ConcurrentTransitionMixin, move

from ..parts import ALL_PARTS, titles


class IMRState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    NIL_RETURN = "nil_return", "Nil return"
    AUTHOR_NOMINATED = "author_nominated", "Author nominated"
    IN_PREPARATION = "in_preparation", "In preparation"
    FACTUAL_CHECK = "factual_check", "Factual check"
    AGENCY_QA = "agency_qa", "Agency quality assurance"
    AUTHOR_SIGNED = "author_signed", "Signed by the author"
    SIGNED_OFF = "signed_off", "Signed off"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED_FOR_REWORK = "returned_for_rework", "Returned for rework"
    PRESENTED = "presented", "Presented"
    FURTHER_INFO_REQUESTED = "further_info_requested", "Further information requested"
    FURTHER_INFO_PROVIDED = "further_info_provided", "Further information added: to be signed"
    FURTHER_INFO_AUTHOR_SIGNED = "further_info_author_signed", "Further information signed by the author"
    FINAL = "final", "Final"
    CANCELLED = "cancelled", "Cancelled"


# A cancelled IMR no longer holds the review up.
COMPLETE_STATES = (
    IMRState.NIL_RETURN,
    IMRState.ACCEPTED,
    IMRState.PRESENTED,
    IMRState.FINAL,
    IMRState.CANCELLED,
)
ENDED_STATES = (IMRState.NIL_RETURN, IMRState.FINAL, IMRState.CANCELLED)
# The author can be replaced while the IMR is being written, not while their signature stands on it.
AUTHOR_REPLACEABLE_STATES = (
    IMRState.AUTHOR_NOMINATED,
    IMRState.IN_PREPARATION,
    IMRState.FACTUAL_CHECK,
    IMRState.AGENCY_QA,
    IMRState.RETURNED_FOR_REWORK,
    IMRState.FURTHER_INFO_REQUESTED,
    IMRState.FURTHER_INFO_PROVIDED,
)
# Accepted by the panel (or later): these IMRs' chronologies make the review's integrated chronology.
INTEGRATED_STATES = (
    IMRState.ACCEPTED,
    IMRState.PRESENTED,
    IMRState.FURTHER_INFO_REQUESTED,
    IMRState.FURTHER_INFO_PROVIDED,
    IMRState.FURTHER_INFO_AUTHOR_SIGNED,
    IMRState.FINAL,
)
# The author may change the report, chronology, genogram, interviews and action plan. Sign-off freezes
# the IMR; a return for rework or a request for further information opens it again.
AUTHOR_WRITES_STATES = (
    IMRState.IN_PREPARATION,
    IMRState.FACTUAL_CHECK,
    IMRState.AGENCY_QA,
    IMRState.FURTHER_INFO_REQUESTED,
)


class IMR(ConcurrentTransitionMixin, models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="imrs")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="imrs")
    state = FSMField(default=IMRState.REQUESTED, choices=IMRState.choices, protected=True)
    FINAL_STATES = frozenset({IMRState.NIL_RETURN, IMRState.FINAL, IMRState.CANCELLED})
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imrs_authored",
    )
    commissioned_by, commissioned_at = who_and_when()
    nominate_by = models.DateField(
        null=True, blank=True, help_text="The date by which the agency names its author (Solihull App 5)."
    )
    author_role = models.CharField(
        max_length=200, blank=True, help_text="The author's role within the organisation (App 6 header)."
    )
    author_nominated_at = models.DateTimeField(null=True, blank=True)
    nil_return_reason = models.TextField(blank=True)
    records_secured_on = models.DateField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    # The standard format (Solihull App 6), as text the panel reads in the browser.
    contextual_information = models.TextField(blank=True)
    methodology = models.TextField(blank=True)
    documents_seen = models.TextField(blank=True)
    interviews_held = models.TextField(blank=True)
    information_missing = models.TextField(blank=True)
    staff_informed = models.TextField(blank=True)
    staff_key = models.TextField(blank=True, help_text="Staff names and job titles: for the panel only.")
    sufficient_time = models.TextField(blank=True)
    summary_of_facts = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    lessons = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "agency__name"]
        verbose_name = "IMR"
        constraints = [models.UniqueConstraint(fields=["review", "agency"], name="imr_one_per_agency")]
        indexes = [models.Index(fields=["review", "state"]), models.Index(fields=["author"])]
        permissions = [
            ("author_imr", "Write the IMR as its nominated author"),
            ("view_imr_interviews", "See the IMR's interview records"),
        ]

    def __str__(self) -> str:
        return f"IMR of {self.agency} for {self.review}"

    @property
    def case_reference(self) -> str:
        """What reminders and emails show instead of any name (domain brief §8 item 3)."""
        return f"{self.review.reference}-IMR-{self.pk}"

    @property
    def has_author(self) -> bool:
        """The agency has named its author (not waiting for one, nor a nil return): the IMR has a report."""
        return self.state not in (IMRState.REQUESTED, IMRState.NIL_RETURN)

    def open_information_request(self) -> "FurtherInformationRequest | None":
        """The panel's request for further information the author has not answered yet."""
        return self.information_requests.filter(provided_at__isnull=True).order_by("-requested_at").first()

    def writable_parts(self) -> frozenset[str]:
        """The parts (`imr.parts`) the author may change now: every part while the IMR is being written,
        only those the panel asked for while a request for further information is open, none otherwise."""
        if self.state not in AUTHOR_WRITES_STATES:
            return frozenset()
        if self.state != IMRState.FURTHER_INFO_REQUESTED:
            return ALL_PARTS
        asked = self.open_information_request()
        return frozenset(asked.parts) & ALL_PARTS if asked else frozenset()

    # --- Transitions (fields only; see imr.services) ------------------------------------------------

    @transition(field=state, source=IMRState.REQUESTED, target=IMRState.NIL_RETURN)
    def record_nil_return(self, *, reason: str) -> None:
        self.nil_return_reason = reason

    @transition(field=state, source=IMRState.REQUESTED, target=IMRState.AUTHOR_NOMINATED)
    def nominate(self, *, author, author_role: str, at) -> None:
        self.author = author
        self.author_role = author_role
        self.author_nominated_at = at

    @transition(
        field=state,
        source=[IMRState.AUTHOR_NOMINATED, IMRState.RETURNED_FOR_REWORK],
        target=IMRState.IN_PREPARATION,
    )
    def start_preparation(self, *, records_secured_on) -> None:
        self.records_secured_on = records_secured_on

    send_for_factual_check = move(
        state, "send_for_factual_check", IMRState.IN_PREPARATION, IMRState.FACTUAL_CHECK
    )

    send_for_agency_qa = move(state, "send_for_agency_qa", IMRState.FACTUAL_CHECK, IMRState.AGENCY_QA)

    # Each of the three sign-off steps serves two paths: the IMR before submission, and the fresh sign-off
    # of the further information, which returns the IMR to "presented" (or, returned, to the author with
    # the panel's request open again).
    author_sign = transition(
        field=state, source=IMRState.FURTHER_INFO_PROVIDED, target=IMRState.FURTHER_INFO_AUTHOR_SIGNED
    )(move(state, "author_sign", IMRState.AGENCY_QA, IMRState.AUTHOR_SIGNED))

    sign_off = transition(field=state, source=IMRState.FURTHER_INFO_AUTHOR_SIGNED, target=IMRState.PRESENTED)(
        move(state, "sign_off", IMRState.AUTHOR_SIGNED, IMRState.SIGNED_OFF)
    )

    return_to_author = transition(
        field=state,
        source=[IMRState.FURTHER_INFO_PROVIDED, IMRState.FURTHER_INFO_AUTHOR_SIGNED],
        target=IMRState.FURTHER_INFO_REQUESTED,
    )(move(state, "return_to_author", [IMRState.AGENCY_QA, IMRState.AUTHOR_SIGNED], IMRState.IN_PREPARATION))

    @transition(field=state, source=AUTHOR_REPLACEABLE_STATES, target=None)
    def replace_author(self, *, author, author_role: str, at) -> None:
        self.author = author
        self.author_role = author_role
        self.author_nominated_at = at

    @transition(
        field=state,
        source=[choice for choice in IMRState.values if choice not in ENDED_STATES],
        target=IMRState.CANCELLED,
    )
    def cancel(self, *, reason: str) -> None:
        self.cancelled_reason = reason

    submit = move(state, "submit", IMRState.SIGNED_OFF, IMRState.SUBMITTED)

    accept = move(state, "accept", IMRState.SUBMITTED, IMRState.ACCEPTED)

    return_for_rework = move(state, "return_for_rework", IMRState.SUBMITTED, IMRState.RETURNED_FOR_REWORK)

    present = move(state, "present", IMRState.ACCEPTED, IMRState.PRESENTED)

    request_further_information = move(
        state, "request_further_information", IMRState.PRESENTED, IMRState.FURTHER_INFO_REQUESTED
    )

    @transition(
        field=state,
        source=IMRState.FURTHER_INFO_REQUESTED,
        target=IMRState.FURTHER_INFO_PROVIDED,
        conditions=[lambda imr: imr.open_information_request() is not None],
    )
    def provide_further_information(self) -> None:
        """The addendum is written; the IMR is signed again (author, then head) before it is presented."""

    finalise = move(state, "finalise", IMRState.PRESENTED, IMRState.FINAL)


def of_imr(related_name: str) -> models.ForeignKey:
    """The IMR a part of the author's work or of its review belongs to, and goes with."""
    return models.ForeignKey(IMR, on_delete=models.CASCADE, related_name=related_name)


class AuthorDeclaration(models.Model):
    """The nominated author's independence declaration (domain brief §2.2: not directly involved with the
    child or family, not the immediate line manager of the practitioners; senior enough and knowing child
    protection practice). Only a passing declaration is saved: a failing "must" answer blocks the
    nomination."""

    imr = of_imr("declarations")
    author = user_field()
    directly_involved = models.BooleanField()
    line_manager_of_practitioners = models.BooleanField()
    senior_enough = models.BooleanField()
    knows_cp_practice = models.BooleanField()
    external_author = models.BooleanField(default=False)
    should_reason = models.TextField(blank=True)
    declared_by, declared_at = who_and_when()

    class Meta:
        ordering = ["imr", "-declared_at"]

    def __str__(self) -> str:
        return f"Independence declaration for {self.imr}"


class SignOff(Recorded):
    """The author's and the head of agency's signatures (Solihull App 6; App 14 §4.4, §8.3: chief
    executive or director level, with name and job title printed), each from their own account: the author
    signs first (recorded_by), then the head. A return (by the panel or the agency's QA) supersedes it, so
    the reworked IMR needs fresh sign-off; superseded sign-offs are kept."""

    imr = of_imr("sign_offs")
    author_signature = models.CharField(max_length=200)
    author_signed_on = models.DateField()
    no_recommendations_reason = models.TextField(
        blank=True, help_text="Why the IMR makes no recommendations, when its action plan is empty."
    )
    head_name = models.CharField(max_length=200, blank=True)
    head_title = models.CharField(max_length=200, blank=True)
    head_signature = models.CharField(max_length=200, blank=True)
    head_signed_on = models.DateField(null=True, blank=True)
    head_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["imr", "-recorded_at"]

    def __str__(self) -> str:
        return f"Sign-off of {self.imr}"

    @property
    def is_complete(self) -> bool:
        return all(
            [
                self.author_signature.strip(),
                self.author_signed_on,
                self.head_name.strip(),
                self.head_title.strip(),
                self.head_signature.strip(),
                self.head_signed_on,
            ]
        )


class QADecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned for rework"


class QualityAssurance(models.Model):
    """One panel quality assurance of a submitted IMR against the checklist in `imr.quality`. Every round
    is kept, so the history of returns and the guidance given stays with the IMR."""

    imr = of_imr("quality_assurances")
    decision = models.CharField(max_length=20, choices=QADecision.choices)
    points = models.JSONField(default=list, help_text='[{"code": …, "met": true/false, "guidance": …}]')
    comments = models.TextField(blank=True)
    new_due_date = models.DateField(null=True, blank=True)
    decided_by, decided_at = who_and_when()

    class Meta:
        ordering = ["imr", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.imr}"


class FurtherInformationRequest(models.Model):
    """A panel request after the presentation, with its deadline and the parts of the IMR it reopens, and
    the author's addendum explaining what was added (Solihull App 14 §5, §9.5)."""

    imr = of_imr("information_requests")
    parts = models.JSONField(default=list, help_text="The parts of the IMR reopened (imr.parts slugs).")
    request = models.TextField()
    due_date = models.DateField()
    requested_by, requested_at = who_and_when()
    response = models.TextField(blank=True)
    provided_by, provided_at = who_and_when(null=True, blank=True)

    class Meta:
        ordering = ["imr", "requested_at", "pk"]

    def __str__(self) -> str:
        return f"Further information for {self.imr}"

    @property
    def part_titles(self) -> list[str]:
        return titles(self.parts)


class Appendix(models.Model):
    """A document appended to the IMR (App 6: conference minutes, criminal antecedents, growth charts, the
    agency's procedures; App 14 §3.2 a legal appendix; §4.6 the glossary)."""

    imr = of_imr("appendices")
    title = models.CharField(max_length=200)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    added_by, added_at = who_and_when()

    class Meta:
        ordering = ["imr", "added_at", "pk"]
        verbose_name_plural = "appendices"

    def __str__(self) -> str:
        return self.title
