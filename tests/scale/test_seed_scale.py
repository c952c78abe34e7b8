"""seed_scale at a small size: it runs, it is deterministic, and what it makes is coherent (decided
referrals have a Decision, reviews come from decided referrals, IMRs fit their review's state, every
deadline has a responsible person), and the pages open on it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from imr.models import IMR, ChronologyEntry
from portal_site import scale
from referrals.models import Decision, Referral, ReferralState
from reviews.models import Review, ReviewState
from scr_portal.models import Board, Deadline, User

pytestmark = pytest.mark.django_db


def signature() -> list:
    return list(Referral.objects.order_by("reference").values_list("reference", "state", "child_name"))


def test_seed_small_is_coherent_and_pages_open(client_as):
    call_command("seed_scale", boards=2, scale=0.15, seed=3)
    assert scale.existing_boards() == 2
    referrals = Referral.objects.filter(board__short_name__startswith="SC")
    assert referrals.count() == 2 * 30
    states = set(referrals.values_list("state", flat=True))
    assert {ReferralState.DECIDED, ReferralState.SUBMITTED} <= states
    decided = referrals.filter(state=ReferralState.DECIDED)
    assert Decision.objects.filter(referral__in=decided).count() == decided.count()
    for review in Review.objects.select_related("referral"):
        assert review.referral.state == ReferralState.DECIDED
        assert review.referral.decision.outcome in ("scr", "alternative")
    assert Review.objects.count() == 2 * 6
    commissioned = [s for s in ReviewState.values][ReviewState.values.index("imrs_commissioned") :]
    for review in Review.objects.all():
        expected = 5 if review.state in commissioned else 0
        assert IMR.objects.filter(review=review).count() == expected
    assert ChronologyEntry.objects.exists()
    from reviews.models.alternative import STEPS_BY_TYPE, AlternativeReview

    others = Review.objects.filter(review_type__in=list(STEPS_BY_TYPE))
    assert others.exists()
    assert AlternativeReview.objects.filter(review__in=others).count() == others.count()
    assert not Deadline.objects.filter(responsible_users=None).exists()
    assert Deadline.objects.filter(board__short_name="SC001").count() > 60
    # Issue 20: SC001 runs England 2023 with its older cases still SCRs; SC002 runs SCRs only.
    assert dict(
        Board.objects.filter(short_name__startswith="SC").values_list("short_name", "review_framework")
    ) == {
        "SC001": "england-2023",
        "SC002": "scr-2010-2015",
    }
    on_england = referrals.filter(board__short_name="SC001").values_list("review_framework", flat=True)
    assert set(on_england) == {"england-2023", "scr-2010-2015"}
    assert set(referrals.filter(board__short_name="SC002").values_list("review_framework", flat=True)) == {
        "scr-2010-2015"
    }
    for review in Review.objects.select_related("referral"):
        assert review.review_framework == review.referral.review_framework
    assert set(Deadline.objects.values_list("review_framework", flat=True)) == {
        "england-2023",
        "scr-2010-2015",
    }
    first = signature()

    # Deterministic: the same seed gives the same data; a second run without --reset does nothing.
    call_command("seed_scale", boards=2, scale=0.15, seed=3)
    assert signature() == first
    call_command("seed_scale", boards=2, scale=0.15, seed=3, reset=True)
    assert signature() == first

    manager = User.objects.get(email=scale.user_email(1, "manager"))
    client = client_as(manager)
    board = Board.objects.get(short_name="SC001")
    review = Review.objects.filter(board=board, imrs__isnull=False).first()
    imr = IMR.objects.filter(review__board=board).first()
    referral = referrals.filter(board=board).exclude(state=ReferralState.DRAFT).first()
    for path in [
        reverse("home"),
        reverse("deadline_dashboard"),
        reverse("referral_list"),
        reverse("referral_detail", args=[referral.pk]),
        reverse("decisions_awaiting"),
        reverse("check_list"),
        reverse("review_list"),
        reverse("review_detail", args=[review.pk]),
        reverse("imr_list"),
        reverse("review_imrs", args=[review.pk]),
        reverse("imr_detail", args=[imr.pk]),
        reverse("integrated_chronology", args=[review.pk]),
        *[reverse("review_detail", args=[other.pk]) for other in others.filter(board=board)],
        *[reverse("review_alternative", args=[other.pk]) for other in others.filter(board=board)],
    ]:
        assert client.get(path).status_code == 200, path
