"""Issue 16, clause 7: IMRs sent to Ofsted pass the anonymisation check, as the overview report does. An
IMR report whose latest version names the child is refused until a corrected version passes or the
business manager overrides the check with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from imr.models import IMR
from imr.selectors import REPORT_KIND
from reviews import services
from reviews.models import ReviewState
from scr_portal.documents import services as document_services
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
