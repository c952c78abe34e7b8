"""The records rules of issue 16 clause 7 on the reviews side: the drafts of the overview report and the
executive summary destroyed a board-set time after adoption, each leaving its row as a tombstone; the
panel's and IMR authors' access ending at closure and at standing down."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from guardian.shortcuts import get_user_perms

from reviews import access_end, services
from reviews.models import ReportVersion, ReviewState
from reviews.permissions import review_access
from reviews.services import drafts
from scr_portal.clock.services import deadlines_of
from scr_portal.uploads import file_path

from .factories import LONDON, NOW, pdf

pytestmark = pytest.mark.django_db


def test_drafts_are_destroyed_the_boards_time_after_adoption_and_the_adopted_versions_kept(
    journey, manager_a, overview_author
):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    services.report_upload(review=review, actor=overview_author, kind="overview_report", upload=pdf("v1.pdf"))
    review = journey.to(ReviewState.ADOPTED)
    draft = ReportVersion.objects.get(review=review, number=1, kind="overview_report")
    assert draft.is_draft and file_path(draft.file).exists()
    deadline = deadlines_of(review).get(rule__code=drafts.DRAFTS_RULE)
    assert deadline.due_date == dt.date(2027, 4, 15)  # one calendar month after the adoption, by default
    with pytest.raises(ValidationError) as error:
        services.review_destroy_drafts(review=review, actor=manager_a)
    assert "kept until Thursday 15 April 2027" in error.value.messages[0]

    with time_machine.travel(dt.datetime(2027, 4, 15, 9, tzinfo=LONDON), tick=False):
        assert services.review_destroy_drafts(review=review, actor=manager_a) == 1
    draft.refresh_from_db()
    assert draft.destroyed and draft.destroyed_by == manager_a and not file_path(draft.file).exists()
    kept = ReportVersion.objects.filter(review=review, adopted_at__isnull=False)
    assert kept.count() == 2 and all(file_path(v.file).exists() and not v.destroyed for v in kept)
    assert deadlines_of(review).get(rule__code=drafts.DRAFTS_RULE).status in ("met", "met_late")
    with pytest.raises(ValidationError):
        services.review_destroy_drafts(review=review, actor=manager_a, now=NOW + dt.timedelta(days=40))


def test_closure_ends_the_panels_and_imr_authors_access_and_calls_the_registered_enders(
    journey, panel_chair, overview_author, imr_author_x, monkeypatch
):
    review = journey.to(ReviewState.MONITORING)
    assert "view_review" in get_user_perms(panel_chair, review)
    assert review_access(imr_author_x, review).level == "imr_author"
    ended = []
    monkeypatch.setattr(access_end, "_enders", [ended.append])
    review = journey.to(ReviewState.CLOSED)
    for person in (panel_chair, overview_author):
        assert not get_user_perms(person, review) and review_access(person, review).level is None
    assert review_access(imr_author_x, review).level is None
    assert ended == [review]


def test_the_drafts_deadline_outlives_the_closure_while_drafts_are_left(journey, overview_author):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    services.report_upload(review=review, actor=overview_author, kind="overview_report", upload=pdf("v1.pdf"))
    review = journey.to(ReviewState.CLOSED)
    assert deadlines_of(review).get(rule__code=drafts.DRAFTS_RULE).status == "open"


def test_standing_down_ends_the_panels_access(journey, chair_a, panel_chair, imr_author_x):
    review = journey.to(ReviewState.IMRS_IN_PROGRESS)
    review = services.review_stand_down(
        review=review, actor=chair_a, reason="Another process covers the learning."
    )
    assert not get_user_perms(panel_chair, review)
    assert review_access(panel_chair, review).level is None
    assert review_access(imr_author_x, review).level is None


def test_a_destroyed_draft_is_listed_without_its_download(client_as, journey, manager_a, overview_author):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    services.report_upload(review=review, actor=overview_author, kind="overview_report", upload=pdf("v1.pdf"))
    review = journey.to(ReviewState.ADOPTED)
    draft = ReportVersion.objects.get(review=review, number=1, kind="overview_report")
    services.review_destroy_drafts(review=review, actor=manager_a, now=NOW + dt.timedelta(days=40))
    client = client_as(manager_a)
    page = client.get(reverse("review_reports", args=[review.pk, "overview"])).content.decode()
    assert "Destroyed on" in page
    assert client.get(reverse("review_report_download", args=[review.pk, draft.pk])).status_code == 404


def test_the_business_unit_destroys_the_drafts_from_the_reports_page(
    client_as, journey, manager_a, overview_author, auditor_a
):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    services.report_upload(review=review, actor=overview_author, kind="overview_report", upload=pdf("v1.pdf"))
    review = journey.to(ReviewState.ADOPTED)
    draft = ReportVersion.objects.get(review=review, number=1, kind="overview_report")
    url = reverse("review_drafts_destroy", args=[review.pk])
    assert client_as(auditor_a).get(url).status_code in (403, 404)  # the business unit's work only

    with time_machine.travel(dt.datetime(2027, 4, 15, 9, tzinfo=LONDON), tick=False):
        client = client_as(manager_a)
        reports = client.get(reverse("review_reports", args=[review.pk, "overview"])).content.decode()
        assert url in reports
        page = client.get(url).content.decode()
        assert "1 draft version" in page and "cannot be undone" in page
        assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.destroyed and draft.destroyed_by == manager_a
    assert url not in client.get(reverse("review_reports", args=[review.pk, "overview"])).content.decode()
