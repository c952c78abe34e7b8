"""Issue 16, clause 7: IMRs sent to Ofsted pass the anonymisation check, as the overview report does. An
IMR report whose latest version names the child is refused until a corrected version passes or the
business manager overrides the check with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from imr.models import IMR
from imr.selectors import REPORT_KIND
from reviews import services
from reviews.models import ReviewState
from scr_portal.documents import services as document_services
from scr_portal.models import TransitionLog
from scr_portal.uploads import CheckedUpload, store_file

from ..factories import zipped

pytestmark = pytest.mark.django_db

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def imr_report(imr: IMR, text: str, actor):
    """A version of the IMR's report, uploaded while it was written, and its check (as the upload does)."""
    body = f"<w:document {W}><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    data = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": body})
    checked = CheckedUpload(name="imr.docx", data=data, file_type="docx")
    stored = store_file(checked=checked, board=imr.review.board, owner=imr, kind=REPORT_KIND, actor=actor)
    document_services.case_key_fill(owner=imr, actor=actor)
    return document_services.uploaded_file_check(stored_file=stored, owner=imr, actor=actor)


def submit(review, manager, items):
    return services.review_submit_to_ofsted(
        review=review, actor=manager, submitted_on=dt.date(2027, 3, 11), items=items
    )


def test_imrs_go_to_ofsted_only_once_their_reports_pass_the_anonymisation_check(journey, manager_a):
    review = journey.to(ReviewState.ADOPTED)
    imr = IMR.objects.filter(review=review).order_by("agency__name").first()
    child = review.referral.child_name
    check = imr_report(imr, f"{child} was seen at home by the officer.", manager_a)
    assert check.outcome == "blocked"
    with pytest.raises(ValidationError) as caught:
        submit(review, manager_a, ["overview_report", "imrs"])
    assert f"The IMR of {imr.agency.name}: version 1 of its report names people" in " ".join(
        caught.value.messages
    )
    document_services.anonymisation_override(check=check, actor=manager_a, reason="Agreed with Ofsted.")
    assert submit(review, manager_a, ["overview_report", "imrs"]).state == ReviewState.SUBMITTED_TO_OFSTED


def test_a_corrected_imr_report_lets_the_imrs_go(journey, manager_a):
    review = journey.to(ReviewState.ADOPTED)
    imr = IMR.objects.filter(review=review).order_by("agency__name").first()
    imr_report(imr, f"{review.referral.child_name} was seen at home.", manager_a)
    corrected = imr_report(imr, "The child was seen at home by the officer.", manager_a)
    assert corrected.outcome == "passed", corrected.findings
    assert submit(review, manager_a, ["imrs"]).state == ReviewState.SUBMITTED_TO_OFSTED


# --- The page on which the business manager overrides a blocked IMR report ----------------------------


def blocked_report(journey, manager):
    review = journey.to(ReviewState.ADOPTED)
    imr = IMR.objects.filter(review=review).order_by("agency__name").first()
    check = imr_report(imr, f"{review.referral.child_name} was seen at home by the officer.", manager)
    assert check.outcome == "blocked"
    return review, imr, check


def override_url(imr, check):
    return reverse("imr_report_check_override", args=[imr.pk, check.stored_file_id])


def test_the_business_manager_overrides_a_blocked_imr_report_from_the_imr_page(journey, manager_a, client_as):
    review, imr, check = blocked_report(journey, manager_a)
    client = client_as(manager_a)
    page = client.get(reverse("imr_detail", args=[imr.pk]))
    assert "Override the check with a reason" in page.content.decode()
    assert override_url(imr, check) in page.content.decode()

    refused = client.post(override_url(imr, check), {"reason": " "})
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    check.refresh_from_db()
    assert check.overridden_at is None

    done = client.post(override_url(imr, check), {"reason": "Ofsted asked for the agency's own wording."})
    assert done.status_code == 302
    check.refresh_from_db()
    assert check.overridden_by == manager_a
    assert check.override_reason == "Ofsted asked for the agency's own wording."
    assert TransitionLog.objects.filter(transition="anonymisation_override", actor=manager_a).exists()
    assert submit(review, manager_a, ["imrs"]).state == ReviewState.SUBMITTED_TO_OFSTED
    again = client.get(override_url(imr, check))
    assert again.status_code == 302, "nothing left to override"


def test_only_the_business_manager_of_the_board_may_override(
    journey, manager_a, chair_a, manager_b, imr_author_x, client_as
):
    _, imr, check = blocked_report(journey, manager_a)
    assert client_as(chair_a).get(override_url(imr, check)).status_code == 403
    assert client_as(manager_b).get(override_url(imr, check)).status_code == 404
    author = imr.author or imr_author_x
    assert client_as(author).post(override_url(imr, check), {"reason": "Mine."}).status_code in (403, 404)
    check.refresh_from_db()
    assert check.overridden_at is None
