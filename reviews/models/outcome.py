"""The end of the review: adoption by the LSCB, submission to Ofsted, Ofsted's evaluation against its
descriptors, and publication (domain brief §4.2, §6.10; Solihull §13.3.6–13.3.7, §14.1, §18, App 12)."""

from django.db import models

from scr_portal.models.fields import Recorded, user_field

from .review import of_review


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


class OutcomeRecord(Recorded):
    """One step at the end of the review, recorded once; the subclass adds `review` and names the step."""

    step: str

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.step} of {self.review}"


class Adoption(OutcomeRecord):
    """The LSCB's adoption of the full SCR, recorded by the LSCB Chair."""

    step = "Adoption"
    review = of_review("adoption", one=True)
    adopted_on = models.DateField()
    meeting = models.CharField(max_length=200, help_text="The LSCB meeting that adopted it.")
    dissemination = models.TextField(help_text="Dissemination and media arrangements agreed.")
    open_processes_note = models.TextField(
        blank=True, help_text="Parallel processes still open at adoption, as warned at the time."
    )


class ItemsRecord(OutcomeRecord):
    """A step that sent or published some of the review's documents, ticked from `item_choices`."""

    item_choices: type[models.TextChoices]
    items = models.JSONField(default=list)

    class Meta:
        abstract = True

    def item_labels(self) -> list[str]:
        labels = dict(self.item_choices.choices)
        return [labels.get(item, item) for item in self.items]


class SubmissionItem(models.TextChoices):
    OVERVIEW = "overview_report", "Overview report (with integrated chronology)"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    IMRS = "imrs", "IMRs with their action plans"
    ACTION_PLAN = "action_plan", "Inter-agency action plan"


class OtherRecipient(models.TextChoices):
    DFE = "dfe", "Department for Education"
    SHA = "sha", "Strategic health authority"


class OfstedSubmission(ItemsRecord):
    """The full SCR sent to Ofsted (and the SHA and DfE): the six-month target (domain brief §9)."""

    step = "Submission"
    item_choices = SubmissionItem
    review = of_review("ofsted_submission", one=True)
    submitted_on = models.DateField()
    other_items = models.TextField(blank=True)
    also_sent_to = models.JSONField(default=list, blank=True)


class OfstedEvaluation(OutcomeRecord):
    step = "Ofsted evaluation"
    review = of_review("ofsted_evaluation", one=True)
    letter_date = models.DateField()
    inspector = models.CharField(max_length=200)
    regional_manager = models.CharField(max_length=200, blank=True)
    overall_grade = models.CharField(max_length=20, choices=Grade.choices)


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


class Publication(ItemsRecord):
    step = "Publication"
    item_choices = PublishedItem
    review = of_review("publication", one=True)
    published_on = models.DateField()
    where = models.CharField(max_length=300, blank=True, help_text="Where it was published.")
    overview_withheld_reason = models.TextField(blank=True)
    evaluation_override_reason = models.TextField(
        blank=True, help_text="Why it was published before Ofsted's evaluation, where the board waits for it."
    )
    process_override_reason = models.TextField(
        blank=True, help_text="Why it was published while a parallel process marked as blocking was open."
    )
    # The LSCB Chair who overrode a hold (the evaluation awaited, a blocking process open), if anyone did.
    overridden_by = user_field(null=True, blank=True)
    summary_sent_on = models.DateField(
        null=True, blank=True, help_text="When the published summary went to Ofsted (due within a month)."
    )
