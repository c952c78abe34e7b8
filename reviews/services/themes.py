"""Learning themes (a board-editable taxonomy tagged on referrals, reviews and recommendations) and the
key-themes report that considers several referrals together (domain brief §4.8)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from scr_portal.transitions import log_transition

from ..models import (
    KeyThemesReferral,
    LearningTheme,
    Recommendation,
    Review,
    ReviewType,
)
from ._common import now_or
from .alternative import alternative_ensure

# --- Learning themes: a board-editable taxonomy tagged on referrals, reviews and recommendations ---

THEME_NAME_REQUIRED = "Enter the name of the theme."
THEME_EXISTS = "The board already has a theme with that name."
THEME_REFUSAL = "Only the board's business unit can change the learning themes."
THEME_OTHER_BOARD = "Select themes of this board."


def _require_business_unit(actor, board) -> None:
    from scr_portal.permissions import VIEW_BOARD, WORK_CASES, user_has_board_perm

    if not user_has_board_perm(actor, board, VIEW_BOARD):
        raise Http404("No such board.")
    if not user_has_board_perm(actor, board, WORK_CASES):
        raise PermissionDenied(THEME_REFUSAL)


@transaction.atomic
def theme_create(*, board, actor, name: str) -> LearningTheme:
    _require_business_unit(actor, board)
    name = name.strip()
    if not name:
        raise ValidationError({"name": THEME_NAME_REQUIRED})
    if LearningTheme.objects.filter(board=board, name__iexact=name).exists():
        raise ValidationError({"name": THEME_EXISTS})
    theme = LearningTheme.objects.create(board=board, name=name)
    log_transition(theme, "create", "", actor, name, board=board)
    return theme


@transaction.atomic
def theme_set_active(*, theme: LearningTheme, actor, active: bool) -> LearningTheme:
    """Retire a theme (kept on what it already tags) or bring it back."""
    _require_business_unit(actor, theme.board)
    theme.active = active
    theme.save(update_fields=["active"])
    log_transition(theme, "activate" if active else "retire", "", actor, theme.name, board=theme.board)
    return theme


@transaction.atomic
def themes_tag(*, subject, board, actor, themes) -> None:
    """Set the themes tagged on a referral, a review or a recommendation (all of `board`)."""
    _require_business_unit(actor, board)
    themes = list(themes)
    if any(theme.board_id != board.pk for theme in themes):
        raise ValidationError({"themes": THEME_OTHER_BOARD})
    if isinstance(subject, Recommendation):
        subject.themes.set(themes)
    else:
        relation = "reviews" if isinstance(subject, Review) else "referrals"
        chosen = {theme.pk for theme in themes}
        for theme in LearningTheme.objects.filter(board=board):
            if theme.pk in chosen:
                getattr(theme, relation).add(subject)
            else:
                getattr(theme, relation).remove(subject)
    log_transition(
        subject,
        "tag_themes",
        getattr(subject, "state", ""),
        actor,
        ", ".join(t.name for t in themes),
        board=board,
    )


# --- A key-themes report from several referrals selected together (domain brief §4.8) ---

KEY_THEMES_TOO_FEW = "Select at least two referrals to consider together."
KEY_THEMES_OTHER_BOARD = "Select referrals of this board only."
KEY_THEMES_REASON_REQUIRED = "Give the reason these referrals are considered together."


@transaction.atomic
def review_key_themes_create(*, board, actor, referrals, reason: str, now=None) -> Review:
    """The LSCB Chair sets off a key-themes report across several referrals. It shares the action-plan
    machinery; its monitoring group is Quality & Effectiveness."""
    from scr_portal.permissions import DECIDE_REFERRALS, VIEW_BOARD, user_has_board_perm

    now = now_or(now)
    if not user_has_board_perm(actor, board, VIEW_BOARD):
        raise Http404("No such board.")
    if not user_has_board_perm(actor, board, DECIDE_REFERRALS):
        raise PermissionDenied("Only the LSCB Chair can set off a key-themes report.")
    referrals = list(referrals)
    errors = {}
    if len({r.pk for r in referrals}) < 2:
        errors["referrals"] = KEY_THEMES_TOO_FEW
    elif any(r.board_id != board.pk for r in referrals):
        errors["referrals"] = KEY_THEMES_OTHER_BOARD
    if not reason.strip():
        errors["reason"] = KEY_THEMES_REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    year = timezone.localtime(now).year
    count = Review.objects.filter(board=board, reference__startswith=f"{board.short_name}-KT-{year}-").count()
    review = Review.objects.create(
        board=board,
        reference=f"{board.short_name}-KT-{year}-{count + 1:04d}",
        review_type=ReviewType.KEY_THEMES,
        review_framework=board.review_framework,
        decision_date=timezone.localtime(now).date(),
        created_at=now,
        created_by=actor,
    )
    KeyThemesReferral.objects.bulk_create(
        [KeyThemesReferral(review=review, referral=r) for r in {r.pk: r for r in referrals}.values()]
    )
    log_transition(review, "create", "", actor, f"Key themes report: {reason.strip()}")
    alternative_ensure(review=review, actor=actor, now=now)
    return review
