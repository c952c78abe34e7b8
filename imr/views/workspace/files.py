"""The author's workspace: the standard-format sections, the report versions and appendices, and their
downloads."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from scr_portal.documents.forms import OverrideForm
from scr_portal.documents.owners import senior_may
from scr_portal.documents.services import NOTHING_TO_OVERRIDE
from scr_portal.forms import posted_data
from scr_portal.models import StoredFile
from scr_portal.uploads import download_response

from ... import services
from ...forms import AppendixForm, ReportUploadForm, SectionForm
from ...models import IMR
from ...parts import APPENDICES, REPORT
from ...permissions import get_imr_for_user
from ...sections import SECTION_BY_SLUG
from ...selectors import APPENDIX_KIND, REPORT_KIND, report_checks, report_versions
from ...services.workspace import ONLY_MANAGER_OVERRIDES
from .._common import author_page, explains_refusal, form_page, imr_page, not_now, posted_files
from .page import _url

# --- Sections and files -------------------------------------------------------------------------------


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    section = SECTION_BY_SLUG.get(slug)
    if section is None:
        raise Http404("No such section.")
    imr, _ = get_imr_for_user(request.user, pk, "write")
    refusal = services.not_writable(imr, section.slug)
    if refusal:
        return not_now(request, imr, refusal)
    form = SectionForm(posted_data(request), section=section, imr=imr)

    def apply(data):
        services.imr_update_section(imr=imr, actor=request.user, **data)
        messages.success(request, f"{section.title} has been saved.")
        return redirect(f"{_url('imr_detail', imr)}#section-{section.slug}")

    return form_page(request, imr, form, apply, heading=section.title, intro=section.intro)


@author_page(REPORT)
def imr_report_upload(request: HttpRequest, imr: IMR) -> HttpResponse:
    form = ReportUploadForm(posted_data(request), posted_files(request))

    def apply(data):
        stored = services.imr_report_upload(imr=imr, actor=request.user, upload=data.get("file"))
        messages.success(request, f"Version {stored.version} of the IMR report has been uploaded.")

    return form_page(
        request,
        imr,
        form,
        apply,
        heading="Upload the IMR report",
        button="Upload",
        multipart=True,
    )


@author_page(APPENDICES)
def imr_appendix_add(request: HttpRequest, imr: IMR) -> HttpResponse:
    form = AppendixForm(posted_data(request), posted_files(request))

    def apply(data):
        appendix = services.imr_appendix_add(
            imr=imr, actor=request.user, title=data["title"], upload=data.get("file")
        )
        messages.success(request, f"The appendix “{appendix.title}” has been added.")

    return form_page(
        request,
        imr,
        form,
        apply,
        heading="Add an appendix",
        button="Add the appendix",
        multipart=True,
        intro="For example conference minutes, criminal antecedents, growth charts, the agency's procedures, "
        "a legal appendix or the glossary of anonymised names (Solihull App 6; App 14 §3.2, §4.6).",
    )


@imr_page(None, lambda request, imr, access: "")
def imr_report_check_override(request: HttpRequest, imr: IMR, file_pk: int) -> HttpResponse:
    """The business manager releases a version of the report the anonymisation check blocked, for a reason."""
    if not senior_may(request.user, imr.review.board, "override"):
        raise PermissionDenied(ONLY_MANAGER_OVERRIDES)
    version = report_versions(imr).filter(pk=file_pk).first()
    check = report_checks([version]).get(version.pk) if version else None
    if check is None or check.releases:
        return not_now(request, imr, NOTHING_TO_OVERRIDE)
    form = OverrideForm(posted_data(request))

    def apply(data):
        services.imr_report_check_override(
            imr=imr, version_pk=version.pk, actor=request.user, reason=data["reason"]
        )
        messages.success(
            request,
            f"The check of version {version.version} has been overridden. Your reason is recorded with it.",
        )

    found = len(check.findings)
    return form_page(
        request,
        imr,
        form,
        apply,
        heading=f"Release version {version.version} of the IMR report despite the check",
        button="Override the check",
        intro=f"The anonymisation check found {found} item{'s' if found != 1 else ''} that could identify "
        "someone. Override it only when each is one that may be named in what goes to Ofsted.",
        back_url=f"{_url('imr_detail', imr)}#report-file",
    )


@explains_refusal
@require_GET
def imr_file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """The report's versions and the appendices, as attachments, to those who may see the IMR."""
    imr, _ = get_imr_for_user(request.user, pk)
    stored = StoredFile.objects.filter(
        pk=file_pk,
        content_type=ContentType.objects.get_for_model(IMR),
        object_id=imr.pk,
        kind__in=(REPORT_KIND, APPENDIX_KIND),
    ).first()
    if stored is None:
        raise Http404("No such file.")
    return download_response(stored)
