"""The anonymisation check of the uploaded overview report and executive summary (domain brief §8.1; issue
#8): everything that leaves the board names no child, family member or practitioner. Each uploaded version
is checked at once, from its extracted text (PDF, DOCX, ODT), against the review's key of people — filled
from the referral, the panel and the action plan — and for anything of a recognisable form (postcodes,
phone and NHS numbers, dates of birth). What it finds is listed with its place beside the version.

A version the check blocked may not go to Ofsted or be published until a new version passes, or the
business manager overrides the check with a reason; the override is kept with the check and written to
the transition log (scr_portal.documents.services.anonymisation_override). A file whose text cannot be
read is shown as not checked; it does not block, as scanned reports exist, but the page says so."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from scr_portal.documents import services as document_services
from scr_portal.documents.owners import get_owner_type
from scr_portal.documents.selectors import latest_file_checks
from scr_portal.models import AnonymisationCheck, CheckOutcome

from ..models import ReportKind, ReportVersion, Review

BLOCKED_RELEASE = (
    "Version {number} of the {kind} names people or holds other personal details (the anonymisation check "
    "lists them beside it). Upload a corrected version, or ask the business manager to override the check "
    "with a reason, before it leaves the board."
)
ONLY_MANAGER_OVERRIDES = "Only the business manager can release a report the anonymisation check blocked."


def report_check(*, review: Review, stored_file, actor, now=None) -> AnonymisationCheck:
    """Bring the review's key up to date from its records, then check the uploaded file's text against
    it. Call inside the upload's transaction, so a version never exists without its check."""
    document_services.case_key_fill(owner=review, actor=actor, now=now)
    return document_services.uploaded_file_check(stored_file=stored_file, owner=review, actor=actor, now=now)


def latest_checks(versions) -> dict[int, AnonymisationCheck]:
    """The newest check of each version's file, in one query: {version pk: check}."""
    by_file = latest_file_checks(version.file_id for version in versions)
    return {version.pk: by_file[version.file_id] for version in versions if version.file_id in by_file}


def version_check(version: ReportVersion) -> AnonymisationCheck | None:
    return latest_checks([version]).get(version.pk)


def report_release_problem(version: ReportVersion, check: AnonymisationCheck | None) -> str:
    """Why this version may not leave the board, given its newest check, or "" if it may."""
    if check is None or check.overridden_at is not None or check.outcome != CheckOutcome.BLOCKED:
        return ""
    return BLOCKED_RELEASE.format(number=version.number, kind=ReportKind(version.kind).label.lower())


def versions_release_problems(versions, checks: dict[int, AnonymisationCheck]) -> list[str]:
    """Why these versions may not leave the board, given their newest checks ({version pk: check})."""
    problems = (report_release_problem(version, checks.get(version.pk)) for version in versions)
    return [problem for problem in problems if problem]


def reports_release_problems(review: Review) -> list[str]:
    """The guard of sending the reports to Ofsted and of publishing them: the latest version of each."""
    latest = (
        ReportVersion.objects.filter(review=review, kind=kind).order_by("-number").first()
        for kind in ReportKind.values
    )
    versions = [version for version in latest if version is not None]
    return versions_release_problems(versions, latest_checks(versions))


def upload_warnings(version: ReportVersion) -> list[str]:
    """What the uploader is told at once about the check of the version they uploaded."""
    check = version_check(version)
    if check is None or check.outcome == CheckOutcome.PASSED:
        return []
    if check.outcome == CheckOutcome.UNREADABLE:
        return [f"The text of version {version.number} could not be read, so it was not checked for names."]
    found = len(check.findings)
    return [
        f"The anonymisation check found {found} item{'s' if found != 1 else ''} in version {version.number} "
        "that could identify someone. They are listed beside it, with their place; it cannot leave the "
        "board until a corrected version is uploaded or the business manager overrides the check."
    ]


def report_check_override(*, version: ReportVersion, actor, reason: str, now=None) -> AnonymisationCheck:
    """Release a blocked version for a recorded reason: the business manager only (the document engine's
    override, logged in the transition log with the reason)."""
    review = version.review
    if not get_owner_type("review").may(actor, review, "override"):
        raise PermissionDenied(ONLY_MANAGER_OVERRIDES)
    check = version_check(version)
    if check is None:
        raise ValidationError(document_services.NOTHING_TO_OVERRIDE)
    return document_services.anonymisation_override(check=check, actor=actor, reason=reason, now=now)
