"""The review's communications plan (Solihull §16.1, Appendix 9 "comm. Plan.v1/2010"; domain brief §6.8):
who owns it, who leads the media work, the dates around publication, the key messages and holding statement,
and one row for each audience: what they are told, by whom, how and when."""

from django.db import models

from scr_portal.models.fields import Recorded

from .review import of_review


class CommunicationsPlan(Recorded):
    """One plan a review, drawn up by the panel at scoping and revisited before publication."""

    review = of_review("communications_plan", one=True)
    owner_name = models.CharField(max_length=200, help_text="The person responsible for the plan.")
    owner_post = models.CharField(max_length=200, blank=True, help_text="Their post and organisation.")
    media_lead = models.CharField(
        max_length=200,
        blank=True,
        help_text="The agency leading media work and press releases on the board's behalf (§16.1.3).",
    )
    press_contact = models.CharField(max_length=200, blank=True, help_text="The press officer to call.")
    planned_publication_on = models.DateField(null=True, blank=True)
    embargo_until = models.DateField(
        null=True, blank=True, help_text="Copies given to the press before publication are embargoed until."
    )
    key_messages = models.TextField(blank=True)
    holding_statement = models.TextField(
        blank=True, help_text="What is said if asked before publication (media interest, a trial)."
    )
    channels = models.TextField(blank=True, help_text="How the lessons are made public.")
    family_support = models.TextField(blank=True)
    resources = models.TextField(blank=True, help_text="Resources available for publication.")
    debriefing = models.TextField(blank=True, help_text="Debriefing arrangements for those involved.")
    media_training = models.TextField(blank=True, help_text="Who needs media training, if anyone.")

    def __str__(self) -> str:
        return f"Communications plan of {self.review}"

    @property
    def publication_date(self):
        """The day the review is published: the day recorded once it is, the day planned until then."""
        publication = getattr(self.review, "publication", None)
        return publication.published_on if publication else self.planned_publication_on


class Audience(models.TextChoices):
    FAMILY = "family", "The child's family"
    PRACTITIONERS = "practitioners", "Practitioners involved in the case"
    AGENCY_STAFF = "agency_staff", "Staff of the partner agencies"
    LSCB = "lscb", "LSCB members"
    ELECTED_MEMBERS = "elected_members", "Elected and appointed members"
    OFSTED = "ofsted", "Ofsted"
    DFE = "dfe", "Department for Education"
    INSPECTORATES = "inspectorates", "Other inspectorates and regulators"
    MEDIA = "media", "The media"
    PUBLIC = "public", "The public"
    OTHER = "other", "Other"


# Who App 9 and §16.1 expect every plan to reach: the page lists those the plan does not cover yet.
EXPECTED_AUDIENCES = (
    Audience.FAMILY,
    Audience.PRACTITIONERS,
    Audience.AGENCY_STAFF,
    Audience.ELECTED_MEMBERS,
    Audience.OFSTED,
    Audience.DFE,
    Audience.MEDIA,
)


class Timing(models.TextChoices):
    """When a communication falls against publication: inspectorates, the family and those who contributed
    are briefed before it (§16.1.3); press releases go out on the day."""

    BEFORE = "before", "Before publication"
    ON = "on", "On the day of publication"
    AFTER = "after", "After publication"


class CommunicationItem(Recorded):
    """What one audience is told, by whom, how and when."""

    plan = models.ForeignKey(CommunicationsPlan, on_delete=models.CASCADE, related_name="items")
    audience = models.CharField(max_length=30, choices=Audience.choices)
    audience_detail = models.CharField(max_length=200, blank=True, help_text="Which, when other.")
    message = models.TextField()
    delivered_by = models.CharField(max_length=200)
    method = models.CharField(max_length=200, help_text="For example a meeting, a letter, a press release.")
    timing = models.CharField(max_length=10, choices=Timing.choices)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "due_on", "pk"]

    def __str__(self) -> str:
        return self.audience_label

    @property
    def audience_label(self) -> str:
        if self.audience == Audience.OTHER and self.audience_detail:
            return self.audience_detail
        label = self.get_audience_display()
        return f"{label}: {self.audience_detail}" if self.audience_detail else label
