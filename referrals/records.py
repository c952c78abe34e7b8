"""The referrals app's case records in the kernel's registry (scr_portal/records.py): the referral, the
root of a case for retention, and its agency checks; the child and family rows a subject access export
lists. Registered from ReferralsConfig.ready()."""

from scr_portal import records
from scr_portal.records import CaseRecord, Holding

from .models import AgencyCheck, FamilyMember, Referral
from .permissions import get_referral_for_user


def children_named(board, name: str) -> list[Holding]:
    fields = ("child_name", "child_date_of_birth", "child_address", "child_ethnicity", "brief_account")
    return [
        Holding.of("Referral (child)", referral.reference, field, getattr(referral, field))
        for referral in Referral.objects.filter(board=board, child_name__icontains=name)
        for field in fields
    ]


def family_members_named(board, name: str) -> list[Holding]:
    members = FamilyMember.objects.filter(referral__board=board, name__icontains=name).select_related(
        "referral"
    )
    return [
        Holding.of("Family member", member.referral.reference, field, getattr(member, field, ""))
        for member in members
        for field in ("name", "relationship", "date_of_birth", "address")
    ]


def register() -> None:
    records.register(
        CaseRecord(
            kind="referral",
            model=Referral,
            url_prefix="referral_",
            route="referrals/<int:pk>/",
            title="Referral",
            get_for_user=get_referral_for_user,
            case_root=True,
        ),
        CaseRecord(
            kind="agency_check",
            model=AgencyCheck,
            url_prefix="check_",
            route="checks/<int:pk>/",
            board="referral__board",
            reference="referral__reference",
        ),
    )
    records.register_personal_data(children_named, order=10)
    records.register_personal_data(family_members_named, order=20)
