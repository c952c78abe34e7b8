"""The single-agency action plan (Solihull App 13)."""

from django.db import models
from django.db.models import Q

from .imr import of_imr


class ActionPlanRecommendation(models.Model):
    """A recommendation of the single-agency action plan (Solihull App 13): the outcome sought, the
    recommendation addressed to a post with authority, and the information for audit agreed at the
    start. Sign-off needs at least one action for every recommendation (App 14 §8)."""

    imr = of_imr("plan_recommendations")
    number = models.PositiveSmallIntegerField()
    outcome = models.TextField()
    recommendation = models.TextField()
    audit_information = models.TextField(blank=True)

    class Meta:
        ordering = ["imr", "number"]
        constraints = [models.UniqueConstraint(fields=["imr", "number"], name="plan_recommendation_once")]

    def __str__(self) -> str:
        return f"Recommendation {self.number} of {self.imr}"


class ActionPlanAction(models.Model):
    recommendation = models.ForeignKey(
        ActionPlanRecommendation, on_delete=models.CASCADE, related_name="actions"
    )
    number = models.PositiveSmallIntegerField()
    action = models.TextField()
    by_whom = models.CharField(max_length=200)
    by_when = models.DateField(null=True, blank=True)
    ongoing = models.BooleanField(default=False)
    actions_taken = models.TextField(blank=True)

    class Meta:
        ordering = ["recommendation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="plan_action_once"),
            models.CheckConstraint(
                condition=Q(ongoing=True) | Q(by_when__isnull=False), name="plan_action_has_timescale"
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.recommendation.number}.{self.number}"
