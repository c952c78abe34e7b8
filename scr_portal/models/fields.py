"""Field definitions the apps' models repeat."""

from django.conf import settings
from django.db import models


def user_field(**options) -> models.ForeignKey:
    """The user who did something to a record (wrote, decided, signed…): kept while the record is, with no
    reverse accessor on the user. `null=True, blank=True` for a step not taken yet."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **options)
