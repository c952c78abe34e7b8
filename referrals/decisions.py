"""What follows the LSCB Chair's decision in the layers above referrals. This app knows nothing of reviews:
the reviews app registers here the service that sets the review up, and `referral_decide` calls every
follower in the decision's transaction (docs/adr/0007-layers.md)."""

from collections.abc import Callable

_followers: list[Callable] = []


def register_decision_follower(follower: Callable) -> None:
    """``follower(*, referral, decision, actor, now)``, called once per decision, in registration order."""
    if follower not in _followers:
        _followers.append(follower)


def decision_followers() -> tuple[Callable, ...]:
    return tuple(_followers)
