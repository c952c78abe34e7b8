"""The end of the review: adoption by the LSCB, submission to Ofsted, Ofsted's evaluation against its
descriptors, and publication (domain brief §4.2, §6.10; Solihull §13.3.6–13.3.7, §14.1, §18, App 12)."""

from django.db import models

from scr_portal.models.fields import user_field

from .review import Review


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    SATISFACTORY = "satisfactory", "Satisfactory"
    INADEQUATE = "inadequate", "Inadequate"


class OfstedElement(models.Model):
    """An element Ofsted grades (domain brief §6.10): the three headline elements of Solihull §18.1.1 and
    the eleven descriptor rows of App 12. Data, so a board can follow a later set of descriptors."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    descriptor = models.TextField(blank=True)
    headline = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Adoption(models.Model):
    """The LSCB's adoption of the full SCR, recorded by the LSCB Chair."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="adoption")
    adopted_on = models.DateField()
    meeting = models.CharField(max_length=200, help_text="The LSCB meeting that adopted it.")
    dissemination = models.TextField(help_text="Dissemination and media arrangements agreed.")
    open_processes_note = models.TextField(
        blank=True, help_text="Parallel processes still open at adoption, as warned at the time."
    )
    recorded_by = user_field()
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Adoption of {self.review}"


class SubmissionItem(models.TextChoices):
    OVERVIEW = "overview_report", "Overview report (with integrated chronology)"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    IMRS = "imrs", "IMRs with their action plans"
    ACTION_PLAN = "action_plan", "Inter-agency action plan"


class OtherRecipient(models.TextChoices):
    DFE = "dfe", "Department for Education"
    SHA = "sha", "Strategic health authority"


class OfstedSubmission(models.Model):
    """The full SCR sent to Ofsted (and the SHA and DfE): the six-month target (domain brief §9)."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="ofsted_submission")
    submitted_on = models.DateField()
    items = models.JSONField(default=list)
    other_items = models.TextField(blank=True)
    also_sent_to = models.JSONField(default=list, blank=True)
    recorded_by = user_field()
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Submission of {self.review}"

    def item_labels(self) -> list[str]:
        labels = dict(SubmissionItem.choices)
        return [labels.get(item, item) for item in self.items]


class OfstedEvaluation(models.Model):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="ofsted_evaluation")
    letter_date = models.DateField()
    inspector = models.CharField(max_length=200)
    regional_manager = models.CharField(max_length=200, blank=True)
    overall_grade = models.CharField(max_length=20, choices=Grade.choices)
    recorded_by = user_field()
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Ofsted evaluation of {self.review}"


class ElementGrade(models.Model):
    evaluation = models.ForeignKey(OfstedEvaluation, on_delete=models.CASCADE, related_name="grades")
    element = models.ForeignKey(OfstedElement, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=20, choices=Grade.choices)

    class Meta:
        ordering = ["element__position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "element"], name="element_graded_once")]

    def __str__(self) -> str:
        return f"{self.element}: {self.grade}"


class PublishedItem(models.TextChoices):
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    OVERVIEW = "overview_report", "Overview report (anonymised)"
    ACTION_PLAN = "action_plan", "Action plan"


class Publication(models.Model):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="publication")
    published_on = models.DateField()
    items = models.JSONField(default=list)
    where = models.CharField(max_length=300, blank=True, help_text="Where it was published.")
    overview_withheld_reason = models.TextField(blank=True)
    evaluation_override_reason = models.TextField(
        blank=True, help_text="Why it was published before Ofsted's evaluation, where the board waits for it."
    )
    summary_sent_on = models.DateField(
        null=True, blank=True, help_text="When the published summary went to Ofsted (due within a month)."
    )
    recorded_by = user_field()
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Publication of {self.review}"

    def item_labels(self) -> list[str]:
        labels = dict(PublishedItem.choices)
        return [labels.get(item, item) for item in self.items]
