"""Reads of the communications plan (Solihull App 9)."""

from ..models import EXPECTED_AUDIENCES, Audience


def audiences_missing(items) -> list[str]:
    """The audiences App 9 and §16.1 expect a plan to reach that none of its rows covers yet."""
    covered = {item.audience for item in items}
    return [Audience(audience).label for audience in EXPECTED_AUDIENCES if audience not in covered]


# The App 9 headings the plan answers in its own words, in the appendix's order.
PLAN_HEADINGS = (
    ("key_messages", "Key messages"),
    ("holding_statement", "Holding statement"),
    ("channels", "Communication channels"),
    ("family_support", "Support offered to the family"),
    ("resources", "Resources available for publication"),
    ("debriefing", "Debriefing arrangements"),
    ("media_training", "Media training"),
)


def plan_headings(plan, text=str) -> list[tuple[str, str]]:
    """(heading, what the plan says) for each App 9 heading; `text` words the value (a document's merge)."""
    return [(label, text(getattr(plan, name))) for name, label in PLAN_HEADINGS]
