"""England 2023 (domain brief §10): the safeguarding partners' decision is recorded by their business unit
on the referral's Decision and stands only once each of the three partners' leads has confirmed it from
their own account; the national Panel's response to the rapid review is kept beside it. Imported by
`referrals.models`, so the models are the app's."""

from django.db import models

from scr_portal.models import SafeguardingPartner
from scr_portal.models.fields import Recorded, who_and_when


class PartnerConfirmation(models.Model):
    """One safeguarding partner's lead confirming the decision recorded for the partners."""

    decision = models.ForeignKey("referrals.Decision", on_delete=models.CASCADE, related_name="confirmations")
    partner = models.CharField(max_length=30, choices=SafeguardingPartner.choices)
    agency = models.ForeignKey("scr_portal.Agency", on_delete=models.PROTECT, related_name="+")
    confirmed_by, confirmed_at = who_and_when()

    class Meta:
        ordering = ["decision", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "partner"], name="partner_confirms_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_partner_display()} confirmed {self.decision}"


class PanelResponseKind(models.TextChoices):
    AGREES = "agrees", "Agrees with the partners' decision"
    DISAGREES = "disagrees", "Disagrees with the partners' decision"
    MORE_INFORMATION = "more_information", "Asks for more information"
    NATIONAL_REVIEW = "national_review", "Will hold a national review"


class PanelResponse(Recorded):
    """What the Child Safeguarding Practice Review Panel said of the rapid review, recorded when it came.
    It does not change the partners' decision: it is kept beside it."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="panel_responses"
    )
    kind = models.CharField(max_length=20, choices=PanelResponseKind.choices)
    received_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"Panel response on {self.referral}: {self.get_kind_display()}"
