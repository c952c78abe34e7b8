"""Which case record a URL is about, from its URL name and kwargs. A new page whose name follows the
project's `<record>_...` convention is logged without editing this module."""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class CaseRef:
    model: type[models.Model]
    pk: int


def _models():
    from imr.models import IMR
    from referrals.models import AgencyCheck, Referral
    from reviews.models import Review

    from ..models import Deadline, GeneratedDocument

    return Referral, AgencyCheck, Review, IMR, Deadline, GeneratedDocument


# review-level pages of the IMR app take `review_pk`.
def case_for(url_name: str, kwargs: dict) -> CaseRef | None:
    Referral, AgencyCheck, Review, IMR, Deadline, GeneratedDocument = _models()
    if "review_pk" in kwargs:
        return CaseRef(Review, int(kwargs["review_pk"]))
    pk = kwargs.get("pk")
    if pk is None or not url_name:
        return None
    prefixes = [
        ("referral_", Referral),
        ("check_", AgencyCheck),
        ("review_", Review),
        ("imr_", IMR),
        ("deadline_", Deadline),
        ("document_", GeneratedDocument),
    ]
    for prefix, model in prefixes:
        if url_name.startswith(prefix):
            return CaseRef(model, int(pk))
    return None


def board_and_label(ref: CaseRef) -> tuple[int, str] | None:
    """The board a case record belongs to, and its reference (for the log's label)."""
    Referral, AgencyCheck, Review, IMR, Deadline, GeneratedDocument = _models()
    if ref.model is Referral:
        row = Referral.objects.filter(pk=ref.pk).values_list("board_id", "reference").first()
    elif ref.model is Review:
        row = Review.objects.filter(pk=ref.pk).values_list("board_id", "reference").first()
    elif ref.model is IMR:
        row = IMR.objects.filter(pk=ref.pk).values_list("review__board_id", "review__reference").first()
    elif ref.model is AgencyCheck:
        row = (
            AgencyCheck.objects.filter(pk=ref.pk)
            .values_list("referral__board_id", "referral__reference")
            .first()
        )
    elif ref.model is Deadline:
        row = Deadline.objects.filter(pk=ref.pk).values_list("board_id", "case_reference").first()
    elif ref.model is GeneratedDocument:
        row = GeneratedDocument.objects.filter(pk=ref.pk).values_list("board_id", "title").first()
    else:
        row = None
    return (row[0], row[1] or "") if row else None
