"""The action-plan pages (issue 7), one module a part: the plan, its actions, the learning themes.
reviews/urls/plans.py wires them."""

from .actions import (  # noqa: F401
    ACTIONS_PER_PAGE,
    action_detail,
    action_list,
    action_step,
    actions_visible_to,
    evidence_download,
)
from .plan import (  # noqa: F401
    DUE_SOON_DAYS,
    RAG_TAGS,
    action_new,
    plan_create,
    plan_offers,
    plan_sign_up,
    plan_step,
    plan_url,
    rag,
    recommendation_new,
    review_plan,
)
from .themes import referral_themes, review_themes, themes_page  # noqa: F401
