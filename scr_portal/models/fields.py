"""Field definitions the apps' models repeat."""

from django.conf import settings
from django.db import models


def user_field(**options) -> models.ForeignKey:
    """The user who did something to a record (wrote, decided, signed…): kept while the record is, with no
    reverse accessor on the user. `null=True, blank=True` for a step not taken yet."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **options)


def who_and_when(**options) -> tuple[models.ForeignKey, models.DateTimeField]:
    """Who did something to a record and when, as two fields: `approved_by, approved_at = who_and_when()`.
    `null=True, blank=True` (given to both) for a step not taken yet."""
    return user_field(**options), models.DateTimeField(**options)


class Recorded(models.Model):
    """A record someone entered in the portal: who entered it, and when."""

    recorded_by, recorded_at = who_and_when()

    class Meta:
        abstract = True
