"""The referral's family as a genogram (App 15), which the genogram document (imr/documents/) and the
referral page draw."""

from __future__ import annotations

from referrals.models import (
    Referral,
)
from scr_portal.documents import genogram

# --- The referral's family as a genogram ----------------------------------------------------------


def referral_family(referral: Referral, merge, *, reference_date=None) -> genogram.Family:
    """The referral's family composition as a genogram: names (pseudonyms when anonymised), the dates of
    birth worded (ages when anonymised), the child as the subject, deceased if a date of death is
    recorded."""
    child = genogram.Person(
        key="child",
        name=merge.name(referral.child_name) or "The child",
        relationship="The child",
        born=merge.dob(referral.child_date_of_birth),
        deceased=referral.child_date_of_death is not None,
        subject=True,
        birth_key=referral.child_date_of_birth.isoformat() if referral.child_date_of_birth else "",
    )
    relatives = [
        genogram.Relative(
            key=f"family-{member.pk}",
            name=merge.name(member.name) or member.relationship,
            relationship=member.relationship,
            born=merge.dob(member.date_of_birth),
            birth_key=member.date_of_birth.isoformat() if member.date_of_birth else "",
        )
        for member in referral.family.all()
    ]
    return genogram.family_from_relationships(child=child, relatives=relatives)
