"""The agencies' reports on a review (IMRs), as the review sees them. The imr app sits above reviews: it
registers its answers here (imr/apps.py) and reviews asks only through these functions, so this app
imports nothing of imr (docs/adr/0007-layers.md). Without a registration a review simply has no IMRs."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AgencyReports:
    authors: Callable  # (review) -> [(author, agency)] of every report with a nominated author
    all_complete: Callable  # (review) -> True when there are reports and every one is complete
    is_author: Callable  # (user, review) -> True when the user writes one of the review's reports
    for_review_page: Callable  # (review) -> reports with agency and author loaded, by agency name
    is_complete: Callable  # (report) -> True when accepted (or later) or a nil return
    agency_ids: Callable  # (review) -> ids of the agencies that have a report
    # (review) -> why the reports may not go to Ofsted: the anonymisation check blocks one (issue 16)
    release_problems: Callable = lambda review: []
    # (review) -> True when the panel has accepted at least one report (issue 19: the IMRs have started)
    any_accepted: Callable = lambda review: False
    # (reviews) -> None: read what the questions above need of many reviews at once (a list page's guards)
    load_many: Callable = lambda reviews: None


NONE = AgencyReports(
    authors=lambda review: [],
    all_complete=lambda review: False,
    is_author=lambda user, review: False,
    for_review_page=lambda review: [],
    is_complete=lambda report: False,
    agency_ids=lambda review: [],
)
_registered = NONE


def register(reports: AgencyReports) -> None:
    global _registered
    _registered = reports


def authors(review) -> list:
    return _registered.authors(review)


def all_complete(review) -> bool:
    return _registered.all_complete(review)


def is_author(user, review) -> bool:
    return _registered.is_author(user, review)


def for_review_page(review) -> list:
    return list(_registered.for_review_page(review))


def is_complete(report) -> bool:
    return _registered.is_complete(report)


def agency_ids(review) -> Iterable[int]:
    return _registered.agency_ids(review)


def release_problems(review) -> list[str]:
    return list(_registered.release_problems(review))


def any_accepted(review) -> bool:
    return _registered.any_accepted(review)


def load_many(reviews) -> None:
    _registered.load_many(reviews)
