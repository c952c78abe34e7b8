"""The overview report and executive summary (domain brief §4.5): uploaded versions checked by content and
size with nothing half-saved, DRAFT until adoption; the fair-representation gate; and the executive
summary's generated membership section (§8: three officers named, every other member by post only)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews import guards, services
from reviews.models import AuthorConfirmation, ConfirmationStatus, ReportVersion, ReviewState
from reviews.selectors.panel import executive_summary_membership
from reviews.services import reports as report_services
from scr_portal.models import StoredFile

from ..factories import zipped
from .factories import appoint, independent_person, pdf

pytestmark = pytest.mark.django_db


def docx_bytes() -> bytes:
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"})


def odt_bytes() -> bytes:
    return zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"})


@pytest.fixture
def drafting(journey):
    return journey.to(ReviewState.OVERVIEW_DRAFTING)


def upload(review, actor, file, **kwargs):
    return services.report_upload(review=review, actor=actor, kind="overview_report", upload=file, **kwargs)


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [("draft.pdf", b"%PDF-1.7\n%%EOF", "pdf"), ("draft.docx", None, "docx"), ("draft.odt", None, "odt")],
)
def test_pdf_docx_and_odt_are_accepted_by_content_and_marked_draft(
    drafting, overview_author, name, content, file_type
):
    content = content or (docx_bytes() if file_type == "docx" else odt_bytes())
    version = upload(drafting, overview_author, SimpleUploadedFile(name, content))
    assert (version.number, version.file.file_type, version.is_draft) == (1, file_type, True)


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", b"MZ\x90\x00 an executable renamed"), ("report.docx", b"just some text"), ("a.pdf", b"")],
)
def test_a_file_that_is_not_a_pdf_docx_or_odt_by_content_is_refused_with_nothing_saved(
    drafting, overview_author, settings, name, content
):
    with pytest.raises(ValidationError) as error:
        upload(drafting, overview_author, SimpleUploadedFile(name, content))
    assert "file" in error.value.message_dict
    assert (
        not ReportVersion.objects.exists() and not StoredFile.objects.filter(kind="overview_report").exists()
    )
    assert not (settings.MEDIA_ROOT / "files").exists()


def test_a_file_over_the_size_limit_is_refused(drafting, overview_author, settings):
    settings.REVIEW_UPLOAD_MAX_BYTES = 1024 * 1024
    big = pdf(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        upload(drafting, overview_author, big)
    assert error.value.message_dict == {"file": ["The selected file must be smaller than 1MB"]}
    assert not ReportVersion.objects.exists()


def test_the_default_limit_is_25_mb():
    assert report_services.upload_max_bytes() == 25 * 1024 * 1024


def test_only_the_overview_author_or_the_business_unit_uploads(drafting, panel_chair, manager_a):
    with pytest.raises(PermissionDenied):
        upload(drafting, panel_chair, pdf())
    assert upload(drafting, manager_a, pdf()).number == 1


def test_reports_cannot_be_uploaded_before_the_presentation(journey, overview_author):
    review = journey.to(ReviewState.PRESENTATION_SCHEDULED)
    with pytest.raises(ValidationError) as error:
        upload(review, overview_author, pdf())
    assert error.value.messages == [report_services.UPLOAD_NOT_NOW.format(kind="overview report")]


def test_panel_members_comment_beside_a_version(drafting, overview_author, panel_chair):
    version = upload(drafting, overview_author, pdf())
    comment = services.report_comment(
        version=version, actor=panel_chair, text="Section 4 needs the GP's view."
    )
    assert comment.version == version and version.file.sha256  # the file itself is untouched


# --- Fair representation -------------------------------------------------------------------------------


@pytest.fixture
def checking(journey):
    return journey.to(ReviewState.FAIR_REPRESENTATION_CHECK)


def answer_of(review, author):
    return AuthorConfirmation.objects.get(version__review=review, author=author, status="pending")


def test_a_dispute_needs_a_comment_and_blocks_until_resolved(
    checking, imr_author_x, imr_author_y, manager_a, agency_x
):
    services.fair_representation_respond(
        confirmation=answer_of(checking, imr_author_y), actor=imr_author_y, confirmed=True
    )
    disputed = answer_of(checking, imr_author_x)
    with pytest.raises(ValidationError) as error:
        services.fair_representation_respond(confirmation=disputed, actor=imr_author_x, confirmed=False)
    assert error.value.message_dict == {"comment": [report_services.DISPUTE_COMMENT_REQUIRED]}
    services.fair_representation_respond(
        confirmation=disputed,
        actor=imr_author_x,
        confirmed=False,
        comment="Paragraph 12 misstates our contact.",
    )
    assert guards.fair_representation_problems(checking) == [
        guards.DISPUTE_OPEN.format(author=imr_author_x.full_name, agency=agency_x.name)
    ]
    services.fair_representation_resolve(
        confirmation=disputed, actor=manager_a, resolution="Paragraph 12 corrected in the addendum."
    )
    assert guards.fair_representation_problems(checking) == []
    assert (
        services.review_start_exec_summary(review=checking, actor=manager_a).state == "exec_summary_drafting"
    )


def test_an_imr_author_answers_only_for_themselves_and_once(checking, imr_author_x, imr_author_y, manager_a):
    answer = answer_of(checking, imr_author_x)
    for someone_else in (imr_author_y, manager_a):
        with pytest.raises(PermissionDenied):
            services.fair_representation_respond(confirmation=answer, actor=someone_else, confirmed=True)
    services.fair_representation_respond(confirmation=answer, actor=imr_author_x, confirmed=True)
    with pytest.raises(ValidationError) as error:
        services.fair_representation_respond(
            confirmation=answer, actor=imr_author_x, confirmed=False, comment="x"
        )
    assert error.value.messages == [report_services.ALREADY_ANSWERED]


def test_a_new_final_draft_asks_every_author_again(checking, overview_author, imr_author_x, imr_author_y):
    services.fair_representation_respond(
        confirmation=answer_of(checking, imr_author_x), actor=imr_author_x, confirmed=True
    )
    version = upload(checking, overview_author, pdf("v2.pdf"), final_draft=True)
    statuses = dict(AuthorConfirmation.objects.filter(version=version).values_list("author", "status"))
    assert statuses == {
        imr_author_x.pk: ConfirmationStatus.PENDING,
        imr_author_y.pk: ConfirmationStatus.PENDING,
    }
    assert len(guards.fair_representation_problems(checking)) == 2


def test_only_the_panel_chair_or_business_unit_resolves_a_dispute(checking, imr_author_x, overview_author):
    answer = answer_of(checking, imr_author_x)
    services.fair_representation_respond(
        confirmation=answer, actor=imr_author_x, confirmed=False, comment="No"
    )
    with pytest.raises(PermissionDenied):
        services.fair_representation_resolve(confirmation=answer, actor=overview_author, resolution="Agreed")


# --- The membership section --------------------------------------------------------------------------------


def test_the_membership_section_names_three_officers_and_lists_the_rest_by_post_only(
    journey, manager_a, chair_a, panel_chair, overview_author
):
    review = journey.to(ReviewState.SCOPING)
    detective = independent_person(full_name="Dee Detective")
    nurse = independent_person(full_name="Nia Nurse")
    appoint(
        review,
        actor=manager_a,
        user=detective,
        role="agency_representative",
        post="Detective Inspector",
        organisation="Alpha Police",
    )
    appoint(
        review,
        actor=manager_a,
        user=nurse,
        role="expert",
        post="Designated Nurse",
        organisation="Alpha Hospitals NHS Trust",
    )
    gone = appoint(
        review,
        actor=manager_a,
        user=independent_person(full_name="Gone Member"),
        role="associate",
        post="Communications Officer",
        organisation="Alpha Council",
    )
    services.panel_remove(membership=gone, actor=manager_a, reason="Left")

    section = executive_summary_membership(review)

    assert [(line.role, line.name) for line in section.named] == [
        ("LSCB Chair", chair_a.full_name),
        ("Independent panel chair", panel_chair.full_name),
        ("Independent overview author", overview_author.full_name),
    ]
    assert [line.text for line in section.members] == [
        "Detective Inspector, Alpha Police",
        "Designated Nurse, Alpha Hospitals NHS Trust",
    ]
    text = section.text
    assert (
        "Independent panel chair: Pat Chair-Independent, Independent reviewer, Independent Reviews Ltd"
        in text
    )
    assert "- Detective Inspector, Alpha Police" in text
    for name in ("Dee Detective", "Nia Nurse", "Gone Member", "Communications Officer"):
        assert name not in text
