"""Search from the header's box: referrals, reviews and IMRs by reference, by the child's or a family
member's name, by agency, or by the review's or the IMR's title, each folded for accents and case like the
anonymiser folds names (scr_portal/folding.py).

Only what the person may see: each kind is searched inside the same selector its list page uses
(`referrals_visible_to`, `reviews_visible_to`, `imrs_visible_to`), so another board's cases, or another
agency's IMR for an IMR author, are never found. Every record shown is in the access log ("Found in a
search"). A fixed number of queries, whatever the data (tests/portal_site/test_search.py)."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from imr.models import IMR
from imr.permissions import imrs_visible_to
from referrals.models import FamilyMember, InvolvedAgency
from referrals.permissions import referrals_visible_to
from reviews.models import ReviewType
from reviews.permissions import reviews_visible_to
from scr_portal import frameworks
from scr_portal.audit.services import search_access_record
from scr_portal.documents.identifiers import fold
from scr_portal.folding import folded_match

# Results per kind: enough to find a case; a longer list means the search needs another word.
LIMIT = 50
MAX_QUERY = 100
IMR_TITLES = ("Individual management review", "IMR")


@dataclass
class Results:
    query: str
    referrals: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    imrs: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.referrals) + len(self.reviews) + len(self.imrs)

    @property
    def found(self) -> list:
        return [*self.referrals, *self.reviews, *self.imrs]

    @property
    def groups(self) -> list["Group"]:
        """The results page's tables, one per kind found."""
        groups = [
            Group(caption, f"search-{kind}", columns, [row(record) for record in getattr(self, kind)])
            for kind, caption, columns, row in KINDS
        ]
        return [group for group in groups if group.rows]

    @property
    def cut_short(self) -> bool:
        return LIMIT in (len(self.referrals), len(self.reviews), len(self.imrs))


@dataclass(frozen=True)
class Row:
    href: str
    link: str
    hidden: str  # words for screen readers after the link text
    cells: tuple


@dataclass(frozen=True)
class Group:
    caption: str
    testid: str
    columns: tuple[str, ...]
    rows: list[Row]


def _child(referral) -> str:
    return referral.child_name if referral is not None else ""


def _short(case) -> str:
    """The case's framework's short name for its review ("SCR", "LCSPR"), from the row already loaded."""
    return frameworks.get(case.review_framework).word("review_short")


def _stage(case, machine: str) -> str:
    """The case's state in its own framework's words."""
    return frameworks.state_label(case.review_framework, machine, case.state, case.get_state_display())


def _referral_row(referral) -> Row:
    cells = (_short(referral), referral.child_name, _stage(referral, "referrals.Referral.state"))
    return Row(reverse("referral_detail", args=[referral.pk]), referral.reference, "", cells)


def _review_row(review) -> Row:
    cells = (
        _short(review),
        review.get_review_type_display(),
        _child(review.referral),
        _stage(review, "reviews.Review.state"),
    )
    return Row(reverse("review_detail", args=[review.pk]), review.reference, "", cells)


def _imr_row(imr) -> Row:
    cells = (imr.review.reference, _short(imr.review), _child(imr.review.referral), imr.get_state_display())
    return Row(
        reverse("imr_detail", args=[imr.pk]), imr.agency.name, f" IMR for {imr.review.reference}", cells
    )


# (Results attribute, table caption, columns, row of one record)
KINDS = (
    ("referrals", "Referrals", ("Referral", "Framework", "Child", "Status"), _referral_row),
    ("reviews", "Reviews", ("Review", "Framework", "Type", "Child", "Stage"), _review_row),
    ("imrs", "Individual management reviews", ("IMR", "Review", "Framework", "Child", "Status"), _imr_row),
)


def case_match(query: str, referral: str = "") -> Q:
    """The case's reference, child, family and agencies involved, reached from the record through the
    lookup path `referral` to its referral ("" for the referral itself)."""
    prefix = f"{referral}__" if referral else ""
    referral_ids = f"{referral}_id__in" if referral else "pk__in"
    family = FamilyMember.objects.filter(folded_match("name", query, near=True)).values("referral_id")
    involved = InvolvedAgency.objects.filter(folded_match("agency__name", query, near=True))
    return (
        folded_match(f"{prefix}reference", query)
        | folded_match(f"{prefix}child_name", query, near=True)
        | Q(**{referral_ids: family})
        | Q(**{referral_ids: involved.values("referral_id")})
    )


def titled(query: str, titles) -> bool:
    folded = fold(" ".join(query.split()))
    return any(folded in fold(title) for title in titles)


def search_referrals(user, board, query: str) -> QuerySet:
    match = case_match(query) | folded_match("referrer_agency__name", query, near=True)
    return referrals_visible_to(user, board).filter(match).order_by("-pk")


def search_reviews(user, board, query: str) -> QuerySet:
    types = [value for value, label in ReviewType.choices if titled(query, (label, f"Review {label}"))]
    agencies = IMR.objects.filter(folded_match("agency__name", query, near=True)).values("review_id")
    match = (
        case_match(query, "referral")
        | folded_match("reference", query)
        | Q(pk__in=agencies)
        | Q(review_type__in=types)
    )
    return reviews_visible_to(user, board).filter(match).select_related("referral").order_by("-pk")


def search_imrs(user, query: str) -> QuerySet:
    if titled(query, IMR_TITLES):
        match = Q()
    else:
        match = (
            case_match(query, "review__referral")
            | folded_match("review__reference", query)
            | folded_match("agency__name", query, near=True)
        )
    return (
        imrs_visible_to(user)
        .filter(match)
        .select_related("review__referral", "agency")
        .order_by("-review_id", "agency__name")
    )


def search(user, board, query: str) -> Results:
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return Results(query="")
    return Results(
        query=query,
        referrals=list(search_referrals(user, board, query)[:LIMIT]),
        reviews=list(search_reviews(user, board, query)[:LIMIT]),
        imrs=list(search_imrs(user, query)[:LIMIT]),
    )


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    results = search(request.user, request.board, request.GET.get("q", ""))
    if results.found:
        search_access_record(user=request.user, request=request, found=results.found)
    return render(
        request, "search/results.html", {"results": results, "search_query": results.query, "limit": LIMIT}
    )
