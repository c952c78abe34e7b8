"""The board's process switches of domain brief §9 (issue 15, clause 8): who recommends to the Chair, who
is told of the decision, when and what is published, who the published report names and what staff see.
Each is a field of the board with the brief's default; the business manager changes them with a reason,
kept in the change history like every other board setting. The services that depend on them read the
board's value: screening (GOVERNANCE_MODEL), the decision and its notices (DECISION_NOTIFY_BODIES),
publication (PUBLISH_REQUIRES_EVALUATION, PUBLISH_OVERVIEW_REPORT), the executive summary's membership
section (NAMED_ROLES) and the factual check of an IMR (STAFF_REVIEW_SCOPE). Issue 20 adds the board's review
framework (REVIEW_FRAMEWORK): the draft of a new case takes it; a case already open keeps its own."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scr_portal import frameworks
from scr_portal.models import Board, BoardSettingChange
from scr_portal.models.people import GovernanceModel, NamedRole, NotifyBody, StaffReviewScope
from scr_portal.transitions import lock

from .settings_services import on_off

SWITCH_REASON_REQUIRED = "Enter the reason for changing the board's process settings"

# field: (name in the change history and on the page, domain brief §9 key)
SWITCHES: dict[str, tuple[str, str]] = {
    "governance_model": ("Who recommends to the Chair", "GOVERNANCE_MODEL"),
    "decision_notify_bodies": ("Who is told of the Chair's decision", "DECISION_NOTIFY_BODIES"),
    "publish_requires_evaluation": ("Publish only after Ofsted's evaluation", "PUBLISH_REQUIRES_EVALUATION"),
    "publish_overview_report": ("Publish the overview report", "PUBLISH_OVERVIEW_REPORT"),
    "named_roles": ("Who the published report names", "NAMED_ROLES"),
    "staff_review_scope": ("What staff who took part see", "STAFF_REVIEW_SCOPE"),
    # Issue 20: the statutory process new cases follow; a case keeps the framework it was opened under.
    "review_framework": ("Review framework", "REVIEW_FRAMEWORK"),
}
_CHOICES = {
    "governance_model": GovernanceModel.choices,
    "decision_notify_bodies": NotifyBody.choices,
    "named_roles": NamedRole.choices,
    "staff_review_scope": StaffReviewScope.choices,
    "review_framework": frameworks.choices,  # filled at start-up, so asked each time
}


def switch_choices(field: str) -> list[tuple[str, str]] | None:
    """The (value, label) pairs of a switch with choices; None for a yes/no switch."""
    choices = _CHOICES.get(field)
    return choices() if callable(choices) else choices


def switch_value_text(field: str, value) -> str:
    """A switch's value in words, as the page and the change history show it."""
    if isinstance(value, bool):
        return on_off(value)
    labels = dict(switch_choices(field))
    if isinstance(value, list):
        return "; ".join(label for item, label in labels.items() if item in value) or "None"
    return labels.get(value, value)


def _clean(field: str, value):
    choices = switch_choices(field)
    values = [item for item, _ in choices or ()]
    if isinstance(value, list | tuple | set):
        unknown = set(value) - set(values)
        if unknown:
            raise ValidationError({field: "Select only options from the list"})
        return [item for item in values if item in value]  # a fixed order, so changes compare
    if choices is not None and value not in values:
        raise ValidationError({field: "Select one of the options"})
    return value


@transaction.atomic
def board_switches_update(*, board: Board, actor, reason: str, **fields) -> list[BoardSettingChange]:
    """Change any of the §9 switches. A change needs a reason, written into each change-history row.
    Returns the rows written; none (and no reason needed) when nothing changed."""
    unknown = set(fields) - set(SWITCHES)
    if unknown:
        raise TypeError(f"Not process settings: {', '.join(sorted(unknown))}")
    cleaned = {field: _clean(field, value) for field, value in fields.items()}
    locked = lock(board)
    changed = [field for field in SWITCHES if field in cleaned and getattr(locked, field) != cleaned[field]]
    if not changed:
        return []
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": SWITCH_REASON_REQUIRED})
    now = timezone.now()
    changes = [
        BoardSettingChange.objects.create(
            board=locked,
            actor=actor,
            at=now,
            setting=f"{SWITCHES[field][0]} ({SWITCHES[field][1]})",
            old_value=switch_value_text(field, getattr(locked, field)),
            new_value=f"{switch_value_text(field, cleaned[field])} — reason: {reason}",
        )
        for field in changed
    ]
    for field in changed:
        setattr(locked, field, cleaned[field])
    locked.save(update_fields=changed)
    board.refresh_from_db(fields=changed)
    return changes


def board_switch_rows(board: Board) -> list[dict]:
    return [
        {"field": field, "label": label, "key": key, "value": switch_value_text(field, getattr(board, field))}
        for field, (label, key) in SWITCHES.items()
    ]
