"""An IMR author's access to their IMR ends when the review is stood down or closed (issue 16 clause 7)."""

from django.urls import reverse

from imr.permissions import AUTHOR_PERMS
from reviews import services
from scr_portal.models import User


def test_the_author_loses_the_imr_when_the_review_is_stood_down(client_as, preparing, chair_a):
    author = preparing.author
    assert client_as(author).get(reverse("imr_detail", args=[preparing.pk])).status_code == 200

    services.review_stand_down(review=preparing.review, actor=chair_a, reason="Another process covers it.")

    author = User.objects.get(pk=author.pk)  # a fresh object: guardian caches permissions per instance
    assert not any(author.has_perm(codename, preparing) for codename in AUTHOR_PERMS)
    assert client_as(author).get(reverse("imr_detail", args=[preparing.pk])).status_code in (403, 404)
