"""Markup typed into the case record (a child's name, an agency's chronology event, a practitioner's name)
is shown as text on every page that displays it, never run as script."""

import pytest
from django.urls import reverse

from imr.models import ChronologyEntry, IMRState
from referrals.models import Referral

from .factories import advance

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def hostile_case(review_a, imr_x, contact_x, panel_a):
    Referral.objects.filter(pk=review_a.referral_id).update(child_name=PAYLOAD)
    imr = advance(imr_x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    ChronologyEntry.objects.filter(imr=imr).update(event=PAYLOAD, agency_source=PAYLOAD)
    return review_a, imr


def pages(review, imr) -> dict[str, str]:
    return {
        "review page": reverse("review_detail", args=[review.pk]),
        "review list": reverse("review_list"),
        "IMR page": reverse("imr_detail", args=[imr.pk]),
        "IMR list": reverse("imr_list"),
        "chronology": reverse("imr_chronology", args=[imr.pk]),
        "integrated chronology": reverse("integrated_chronology", args=[review.pk]),
        "referral page": reverse("referral_detail", args=[review.referral_id]),
        "deadlines": reverse("deadline_dashboard"),
    }


def test_markup_in_the_record_is_text_on_every_page(client_as, manager_a, hostile_case):
    review, imr = hostile_case
    client = client_as(manager_a)
    shown_escaped = []
    for name, path in pages(review, imr).items():
        response = client.get(path)
        assert response.status_code == 200, name
        assert PAYLOAD not in response.text, name
        assert "<script>alert" not in response.text, name
        if ESCAPED in response.text:
            shown_escaped.append(name)
    # The pages that show the event or the child's name show it escaped, character for character.
    assert {"chronology", "integrated chronology", "referral page"} <= set(shown_escaped)
