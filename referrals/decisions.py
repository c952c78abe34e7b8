"""What follows the LSCB Chair's decision in the layers above referrals, and what undoes it when the Chair
rescinds the decision. This app knows nothing of reviews: the reviews app registers here the service that
sets the review up, and `referral_decide` calls every follower in the decision's transaction; it also
registers what may stop a rescinding (IMRs commissioned) and what a rescinding undoes (the review and its
deadlines), which `referral_rescind_decision` asks and calls (docs/adr/0007-layers.md)."""

from collections.abc import Callable
from dataclasses import dataclass

_followers: list[Callable] = []


def register_decision_follower(follower: Callable) -> None:
    """``follower(*, referral, decision, actor, now)``, called once per decision, in registration order."""
    if follower not in _followers:
        _followers.append(follower)


def decision_followers() -> tuple[Callable, ...]:
    return tuple(_followers)


@dataclass(frozen=True)
class Rescind:
    blocker: Callable  # (referral) -> why the decision can no longer be rescinded, or "" when it can
    undo: Callable  # (*, referral, actor, reason, now): undo what the decision set off in that layer


_rescinds: list[Rescind] = []


def register_rescind(*, blocker: Callable, undo: Callable) -> None:
    rescind = Rescind(blocker, undo)
    if rescind not in _rescinds:
        _rescinds.append(rescind)


def rescind_blockers(referral) -> list[str]:
    """Why the layers above refuse to have the decision on `referral` rescinded now (empty: they agree)."""
    return [reason for rescind in _rescinds if (reason := rescind.blocker(referral))]


def rescind_undoers() -> tuple[Callable, ...]:
    return tuple(rescind.undo for rescind in _rescinds)
