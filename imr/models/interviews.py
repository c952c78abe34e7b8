"""Interviews with practitioners (Solihull §11.1, App 8)."""

from django.db import models
from django_fsm import FSMField, transition

from scr_portal.models.fields import who_and_when
from scr_portal.models.fsm import ConcurrentTransitionMixin

from .imr import of_imr


class InterviewState(models.TextChoices):
    INVITED = "invited", "Invited"
    HELD = "held", "Held"
    SUMMARY_SENT = "summary_sent", "Summary sent for signature"
    SIGNED = "signed", "Summary signed"
    DISAGREEMENT_NOTED = "disagreement_noted", "Disagreement noted"
    CANCELLED = "cancelled", "Cancelled"
    DECLINED = "declined", "Declined"


# An invitation that falls through is cancelled (by the author) or declined (by the interviewee): either
# ends the interview record, with the reason kept.
WITHDRAWN_STATES = (InterviewState.CANCELLED, InterviewState.DECLINED)


class Interview(ConcurrentTransitionMixin, models.Model):
    """An interview with a practitioner (Solihull §11.1, App 8; domain brief §4.7, §6.6). Its summary is for
    the author and the agency only, never the panel (domain brief §2.3)."""

    imr = of_imr("interviews")
    state = FSMField(default=InterviewState.INVITED, choices=InterviewState.choices, protected=True)
    FINAL_STATES = frozenset({InterviewState.SIGNED, InterviewState.DISAGREEMENT_NOTED, *WITHDRAWN_STATES})
    interviewee_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    qualifications = models.CharField(max_length=300, blank=True)
    time_in_post = models.CharField(max_length=100, blank=True)
    employer = models.CharField(max_length=200, blank=True)
    role_in_case = models.TextField(blank=True)
    invited_on = models.DateField()
    interview_date = models.DateField()
    venue = models.CharField(max_length=200)
    supporter = models.CharField(max_length=200, blank=True)
    supporter_not_involved = models.BooleanField(default=False)
    files_access_arranged = models.BooleanField(default=False)
    shorter_notice_agreed = models.BooleanField(default=False)
    held_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    summary_sent_on = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    disagreement = models.TextField(blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_by, created_at = who_and_when()

    class Meta:
        ordering = ["imr", "interview_date", "pk"]

    def __str__(self) -> str:
        return f"Interview {self.pk} for {self.imr}"

    @property
    def is_signed(self) -> bool:
        return self.state == InterviewState.SIGNED

    @transition(field=state, source=InterviewState.INVITED, target=InterviewState.HELD)
    def record_held(self, *, held_on) -> None:
        self.held_on = held_on

    @transition(field=state, source=InterviewState.HELD, target=InterviewState.SUMMARY_SENT)
    def send_summary(self, *, summary: str, sent_on) -> None:
        self.summary = summary
        self.summary_sent_on = sent_on

    @transition(field=state, source=InterviewState.SUMMARY_SENT, target=InterviewState.SIGNED)
    def record_signed(self, *, signed_on) -> None:
        self.signed_on = signed_on

    @transition(field=state, source=InterviewState.SUMMARY_SENT, target=InterviewState.DISAGREEMENT_NOTED)
    def note_disagreement(self, *, disagreement: str, noted_on) -> None:
        self.disagreement = disagreement
        self.signed_on = noted_on

    @transition(field=state, source=InterviewState.INVITED, target=InterviewState.CANCELLED)
    def cancel(self, *, on, reason: str) -> None:
        self.withdrawn_on = on
        self.withdrawn_reason = reason

    @transition(field=state, source=InterviewState.INVITED, target=InterviewState.DECLINED)
    def decline(self, *, on, reason: str) -> None:
        self.withdrawn_on = on
        self.withdrawn_reason = reason
