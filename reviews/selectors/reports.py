"""Reads about the review's reports: who has answered on the final draft of the overview report."""

from .. import agency_reports, guards
from ..models import AuthorConfirmation, ConfirmationStatus, ReportKind, Review


def fair_representation_rows(review: Review):
    """(author, agency, answer or None) for every IMR author, against the latest final draft."""
    final = guards.latest_version(review, ReportKind.OVERVIEW, final_draft=True)
    answers = (
        {
            (a.author_id, a.agency_id): a
            for a in AuthorConfirmation.objects.filter(version=final).select_related("resolved_by")
        }
        if final
        else {}
    )
    return final, [
        (author, agency, answers.get((author.pk, agency.pk)))
        for author, agency in agency_reports.authors(review)
    ]


def pending_confirmation_for(user, review: Review) -> AuthorConfirmation | None:
    final = guards.latest_version(review, ReportKind.OVERVIEW, final_draft=True)
    if final is None:
        return None
    return (
        AuthorConfirmation.objects.filter(version=final, author=user, status=ConfirmationStatus.PENDING)
        .select_related("agency")
        .order_by("agency__name")
        .first()
    )
