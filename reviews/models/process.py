"""What runs alongside the review's stages: meetings and attendance, parallel processes, the family's and
victims' involvement, prompts to the family's contact, and the monthly progress reports (domain brief
§4.2, §4.7, §5 #12, #18, #24)."""

from django.db import models

from scr_portal.models.fields import Recorded, user_field, who_and_when

from .panel import PanelMembership
from .review import of_review


class MeetingKind(models.TextChoices):
    SCOPING = "scoping", "Scoping meeting"
    PANEL = "panel", "Panel meeting"
    AUTHORS_BRIEFING = "authors_briefing", "Authors' briefing"
    PRESENTATION = "presentation", "Presentation meeting"
    # After the overview, before publication (Cambridgeshire §8; Solihull §16.2.1, App 10).
    STAFF_DEBRIEF = "staff_debrief", "Practitioners' debriefing"


class Meeting(models.Model):
    review = of_review("meetings")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    meeting_date = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    scheduled_by, scheduled_at = who_and_when()
    held_on = models.DateField(null=True, blank=True)
    other_attendees = models.TextField(blank=True, help_text="People present who are not on the panel.")
    notes = models.TextField(blank=True)
    recorded_by = user_field(null=True, blank=True)
    # The presentation meeting only: when the IMRs went to the panel, chair and author (≥2 weeks before).
    imrs_circulated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting_date", "pk"]
        indexes = [models.Index(fields=["review", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.meeting_date:%d/%m/%Y}"

    @property
    def is_presentation(self) -> bool:
        return self.kind == MeetingKind.PRESENTATION

    @property
    def held(self) -> bool:
        return self.held_on is not None


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DEPUTY = "deputy", "Sent a deputy"
    APOLOGIES = "apologies", "Sent apologies"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(PanelMembership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["membership__role", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.membership} at {self.meeting}: {self.status}"


class ParallelProcessKind(models.TextChoices):
    CRIMINAL_INVESTIGATION = "criminal_investigation", "Criminal investigation"
    CRIMINAL_TRIAL = "criminal_trial", "Criminal trial"
    INQUEST = "inquest", "Coroner's inquest"
    CARE_PROCEEDINGS = "care_proceedings", "Care proceedings"
    DOMESTIC_HOMICIDE_REVIEW = "domestic_homicide_review", "Domestic homicide review"
    NHS_SERIOUS_INCIDENT = "nhs_serious_incident", "NHS serious untoward incident investigation"
    SERIOUS_FURTHER_OFFENCE = "serious_further_offence", "Serious further offence review"
    MAPPA_SCR = "mappa_scr", "MAPPA serious case review"
    PPO_INVESTIGATION = "ppo_investigation", "Prisons and Probation Ombudsman investigation"
    CHILD_DEATH_REVIEW = "child_death_review", "Child death review"
    OTHER = "other", "Other"


# Where these run, the family is approached with the police (Cambridgeshire §9; Solihull §6.1.3).
CRIMINAL_KINDS = (ParallelProcessKind.CRIMINAL_INVESTIGATION, ParallelProcessKind.CRIMINAL_TRIAL)


class ParallelProcess(Recorded):
    """A process running alongside the review (Solihull §2.1.1, §1.7, §14.1.3). Open until concluded."""

    review = of_review("parallel_processes")
    kind = models.CharField(max_length=40, choices=ParallelProcessKind.choices)
    description = models.CharField(max_length=200, blank=True, help_text="Which one, when the type is other.")
    lead_body = models.CharField(max_length=200)
    started_on = models.DateField(null=True, blank=True)
    key_dates = models.TextField(blank=True, help_text="Hearings, trial dates and other key dates.")
    next_key_date = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    blocks_publication = models.BooleanField(
        default=False,
        help_text="The panel holds publication while this process is open (Solihull §13.3.6).",
    )

    class Meta:
        ordering = ["review", "concluded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.lead_body})"

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None


class FamilyMethod(models.TextChoices):
    NOTIFICATION_ONLY = "notification_only", "Notification only"
    WRITTEN_VIEWS = "written_views", "Written views"
    INTERVIEW = "interview", "Interview"


class NotificationRoute(models.TextChoices):
    DIRECT = "direct", "Letter and leaflet sent direct"
    SOLICITOR = "solicitor", "Through a solicitor"
    TRUSTED_PROFESSIONAL = "trusted_professional", "Hand-delivered by a trusted professional"


class FamilyInvolvement(models.Model):
    """One family member's or victim's involvement: TO_DECIDE → NOTIFIED → INVITED → CONTRIBUTED /
    DECLINED → FEEDBACK_GIVEN (domain brief §4.7). The stage follows from what has been recorded."""

    review = of_review("family")
    who = models.CharField(max_length=200, help_text="Relationship to the child, for example mother.")
    is_victim = models.BooleanField(default=False)
    method = models.CharField(max_length=30, choices=FamilyMethod.choices, blank=True)
    timing = models.TextField(blank=True)
    police_consulted = models.BooleanField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    notified_on = models.DateField(null=True, blank=True)
    notification_route = models.CharField(max_length=30, choices=NotificationRoute.choices, blank=True)
    invited_on = models.DateField(null=True, blank=True)
    contributed_on = models.DateField(null=True, blank=True)
    contribution = models.TextField(blank=True)
    declined = models.BooleanField(default=False)
    no_involvement_reason = models.TextField(blank=True)
    feedback_on = models.DateField(null=True, blank=True)
    feedback_note = models.TextField(blank=True)
    recorded_by, updated_at = who_and_when()

    class Meta:
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return self.who

    @property
    def stage(self) -> str:
        if self.feedback_on:
            return "Feedback given"
        if self.declined:
            return "Not involved"
        if self.contributed_on:
            return "Contributed"
        if self.invited_on:
            return "Invited"
        if self.notified_on:
            return "Notified"
        if self.decided_on:
            return "Method decided"
        return "To decide"


class FamilyPrompt(models.Model):
    """Something the family's contact must do, for example explain an extension (Solihull App 3)."""

    review = of_review("family_prompts")
    text = models.TextField()
    extension = models.ForeignKey(
        "scr_portal.DeadlineExtension", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by, created_at = who_and_when()
    done_on = models.DateField(null=True, blank=True)
    done_by = user_field(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ProgressReport(models.Model):
    """The monthly report to the LSCB Chair (Solihull §4.1.2), generated by a sweep; the unique constraint
    makes a second report for the same month impossible."""

    review = of_review("progress_reports")
    month = models.DateField(help_text="The first day of the month reported on.")
    generated_at = models.DateTimeField()
    content = models.JSONField(default=dict)
    text = models.TextField()

    class Meta:
        ordering = ["review", "-month"]
        constraints = [models.UniqueConstraint(fields=["review", "month"], name="progress_report_monthly")]

    def __str__(self) -> str:
        return f"Progress report {self.month:%B %Y} for {self.review}"
