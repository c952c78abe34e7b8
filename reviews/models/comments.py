"""A panel member's comment on one version of a document the review writes. Comments sit beside the text,
never in it (Solihull §13.1: the final text is the author's independent view)."""

from django.db import models

from scr_portal.models.fields import user_field


class VersionComment(models.Model):
    """Each kind of version has its own table: the subclass adds `version`, the version commented on."""

    author = user_field()
    text = models.TextField()
    at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.version}"
