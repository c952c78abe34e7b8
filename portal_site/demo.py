"""Demo data for the embedded run and the end-to-end tests: one board with its agencies and one user per
board role, an independent reviewer, a second board so that board switching and tenancy can be tried, and
a safeguarding partnership running the England 2023 framework (issue 20) with its business manager, the
three partners' leads and one notified case. Idempotent."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from scr_portal import frameworks
from scr_portal.models import Agency, AgencyKind, Board, Nation, Role, User
from scr_portal.services import membership_grant

DEMO_PASSWORD = "demo-portal-password"  # noqa: S105 — printed to the terminal for the demo run only


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    job_title: str
    organisation: str
    role: str | None  # None: no board role (an independent reviewer, appointed per review)
    agency: str | None = None

    @property
    def label(self) -> str:
        return self.role.label if self.role else INDEPENDENT_LABEL


DEMO_BOARD = "Northshire Local Safeguarding Children Board"
OTHER_BOARD = "Southvale Local Safeguarding Children Board"

DEMO_AGENCIES = [
    ("Northshire Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE, True, False),
    ("Northshire Police", AgencyKind.POLICE, True, False),
    ("Northshire Hospitals NHS Trust", AgencyKind.HEALTH_TRUST, True, False),
    ("Northshire Clinical Commissioning (GP practices)", AgencyKind.PRIMARY_CARE, True, False),
    ("Northshire Education Service", AgencyKind.EDUCATION, True, False),
    ("National Probation Service (North)", AgencyKind.PROBATION, False, False),
    ("Eastport Children's Services", AgencyKind.CHILDRENS_SOCIAL_CARE, False, True),
]

DEMO_USERS = [
    DemoUser(
        "manager@northshire.example",
        "Morgan Price",
        "LSCB Business Manager",
        "Northshire LSCB",
        Role.BUSINESS_MANAGER,
    ),
    DemoUser(
        "support@northshire.example",
        "Sam Okafor",
        "Business Support Officer",
        "Northshire LSCB",
        Role.BUSINESS_SUPPORT,
    ),
    DemoUser(
        "chair@northshire.example",
        "Dr Helen Ward",
        "Independent LSCB Chair",
        "Northshire LSCB",
        Role.LSCB_CHAIR,
    ),
    DemoUser(
        "subcommittee@northshire.example",
        "Priya Shah",
        "Designated Nurse",
        "Northshire Hospitals NHS Trust",
        Role.SUBCOMMITTEE_MEMBER,
    ),
    DemoUser(
        "agency@northshire.example",
        "Chris Doyle",
        "Detective Inspector",
        "Northshire Police",
        Role.AGENCY_CONTACT,
        agency="Northshire Police",
    ),
    DemoUser(
        "health@northshire.example",
        "Sam Patel",
        "Named Nurse for Safeguarding",
        "Northshire Hospitals NHS Trust",
        Role.AGENCY_CONTACT,
        agency="Northshire Hospitals NHS Trust",
    ),
    DemoUser(
        "auditor@northshire.example",
        "Jo Finch",
        "Internal Auditor",
        "Northshire County Council",
        Role.AUDITOR,
    ),
]
# One head of agency per demo agency (chief executive or director level): they sign off the agency's IMRs.
DEMO_HEADS_OF_AGENCY = [
    ("Northshire Children's Social Care", "head.csc", "Ruth Adeyemi", "Director of Children's Services"),
    ("Northshire Police", "head.police", "Mark Ellison", "Chief Constable"),
    ("Northshire Hospitals NHS Trust", "head.hospitals", "Dr Anna Kowalski", "Chief Executive"),
    ("Northshire Clinical Commissioning (GP practices)", "head.ccg", "Dr Tom Hughes", "Chief Officer"),
    ("Northshire Education Service", "head.education", "Grace Mensah", "Director of Education"),
    ("National Probation Service (North)", "head.probation", "Ian Barker", "Divisional Director"),
    ("Eastport Children's Services", "head.eastport", "Lena Ortiz", "Director of Children's Services"),
]
DEMO_USERS += [
    DemoUser(f"{mailbox}@northshire.example", name, title, agency, Role.HEAD_OF_AGENCY, agency=agency)
    for agency, mailbox, name, title in DEMO_HEADS_OF_AGENCY
]
# An independent reviewer: employed by no agency and on no board, so the business manager appoints them
# panel chair or overview author of a review (with their independence declaration) from the People page.
INDEPENDENT_LABEL = "Independent reviewer (panel chair or overview author of a review)"
INDEPENDENT_REVIEWER = DemoUser(
    "reviewer@independent.example", "Kit Lindqvist", "Independent safeguarding reviewer", "", None
)
OTHER_BOARD_MANAGER = DemoUser(
    "manager@southvale.example", "Alex Reid", "LSCB Business Manager", "Southvale LSCB", Role.BUSINESS_MANAGER
)

# The England 2023 partnership (issue 20, domain brief §10): the three safeguarding partners' leads each
# confirm the partners' decision from their own account.
PARTNERSHIP = "Southshire Safeguarding Children Partnership"
# (agency, kind, safeguarding partner)
PARTNERSHIP_AGENCIES = [
    ("Southshire County Council Children's Services", AgencyKind.CHILDRENS_SOCIAL_CARE, "local_authority"),
    ("Southshire Police", AgencyKind.POLICE, "police"),
    ("Southshire Integrated Care Board", AgencyKind.HEALTH_TRUST, "integrated_care_board"),
]
PARTNERSHIP_USERS = [
    DemoUser(
        "manager@southshire.example",
        "Jordan Ellis",
        "Partnership Business Manager",
        "Southshire Safeguarding Children Partnership",
        Role.BUSINESS_MANAGER,
    ),
    DemoUser(
        "la@southshire.example",
        "Nadia Rahman",
        "Director of Children's Services",
        "Southshire County Council",
        Role.PARTNER_LEAD,
        agency=PARTNERSHIP_AGENCIES[0][0],
    ),
    DemoUser(
        "police@southshire.example",
        "Owen Brooks",
        "Detective Chief Superintendent",
        "Southshire Police",
        Role.PARTNER_LEAD,
        agency=PARTNERSHIP_AGENCIES[1][0],
    ),
    DemoUser(
        "icb@southshire.example",
        "Dr Femi Adebayo",
        "Chief Nursing Officer",
        "Southshire Integrated Care Board",
        Role.PARTNER_LEAD,
        agency=PARTNERSHIP_AGENCIES[2][0],
    ),
]


def _user(spec: DemoUser) -> User:
    user, created = User.objects.get_or_create(
        email=spec.email,
        defaults={
            "full_name": spec.full_name,
            "job_title": spec.job_title,
            "organisation": spec.organisation,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_data_load() -> list[DemoUser]:
    from scr_portal.reference_data import ensure_reference_data

    ensure_reference_data()
    board, _ = Board.objects.get_or_create(
        name=DEMO_BOARD,
        defaults={
            "short_name": "NLSCB",
            "nation": Nation.ENGLAND_AND_WALES,
            "address": "Business Unit\nCounty Hall\nNorthtown\nNS1 1AA",
            "secure_mailbox": "lscb.business@northshire.example",
            "contact_email": "lscb@northshire.example",
            "phone": "01234 567890",
        },
    )
    other, _ = Board.objects.get_or_create(
        name=OTHER_BOARD, defaults={"short_name": "SLSCB", "nation": Nation.ENGLAND_AND_WALES}
    )
    for name, kind, core, out_of_area in DEMO_AGENCIES:
        Agency.objects.get_or_create(
            board=board, name=name, defaults={"kind": kind, "core_member": core, "out_of_area": out_of_area}
        )
    Agency.objects.get_or_create(board=other, name="Southvale Police", defaults={"kind": AgencyKind.POLICE})
    for spec in DEMO_USERS:
        agency = Agency.objects.get(board=board, name=spec.agency) if spec.agency else None
        membership_grant(user=_user(spec), board=board, role=spec.role, agency=agency)
    membership_grant(user=_user(OTHER_BOARD_MANAGER), board=other, role=OTHER_BOARD_MANAGER.role)
    _user(INDEPENDENT_REVIEWER)
    # The independent chair also chairs the neighbouring board, so switching boards can be tried.
    chair = User.objects.get(email="chair@northshire.example")
    membership_grant(user=chair, board=other, role=Role.LSCB_CHAIR)
    _demo_deadlines(board)
    _demo_referral(board, User.objects.get(email="agency@northshire.example"))
    _partnership()
    return [*DEMO_USERS, OTHER_BOARD_MANAGER, INDEPENDENT_REVIEWER, *PARTNERSHIP_USERS]


def _partnership() -> None:
    """The England 2023 partnership: its three partners' agencies and leads, and one case notified by the
    local authority, which the business unit entered for it."""
    from django.utils import timezone

    board, _ = Board.objects.get_or_create(
        name=PARTNERSHIP,
        defaults={
            "short_name": "SSCP",
            "nation": Nation.ENGLAND_AND_WALES,
            "review_framework": frameworks.ENGLAND_2023,
            "secure_mailbox": "partnership.business@southshire.example",
            "contact_email": "partnership@southshire.example",
        },
    )
    for name, kind, partner in PARTNERSHIP_AGENCIES:
        Agency.objects.get_or_create(
            board=board,
            name=name,
            defaults={"kind": kind, "core_member": True, "partner": partner},
        )
    for spec in PARTNERSHIP_USERS:
        agency = Agency.objects.get(board=board, name=spec.agency) if spec.agency else None
        membership_grant(user=_user(spec), board=board, role=spec.role, agency=agency)
    manager = User.objects.get(email="manager@southshire.example")
    local_authority = Agency.objects.get(board=board, name=PARTNERSHIP_AGENCIES[0][0])
    today = timezone.localdate()
    _demo_referral(
        board,
        manager,
        on_behalf=True,
        referrer_name="Nadia Rahman",
        referrer_email="la@southshire.example",
        referrer_agency=local_authority,
        received_on=today,
        aware_on=today - timedelta(days=2),
    )


def _demo_referral(board: Board, author: User, *, on_behalf: bool = False, **referrer) -> None:
    """One submitted referral (made up, dated from today), so the referral pages and its documents can be
    tried at once. `referrer`: who referred it, when the business unit enters it for them."""
    from django.utils import timezone

    from referrals import services as referrals
    from referrals.models import CriterionQuestion, Referral

    if Referral.objects.filter(board=board).exists():
        return
    now = timezone.now()
    answers = {code: False for code in CriterionQuestion.objects.values_list("code", flat=True)}
    answers.update({"ABUSE": True, "M1": True})
    referral = referrals.referral_create_draft(board=board, actor=author, on_behalf=on_behalf, now=now)
    referrals.referral_update(
        referral=referral,
        actor=author,
        **referrer,
        child_name="Demo Child (not a real case)",
        child_date_of_birth=(now - timedelta(days=3 * 365)).date(),
        incident_date=(now - timedelta(days=5)).date(),
        child_cp_plan="before",
        brief_account="A made-up account for trying the portal.",
        triggers=["a"],
        trigger_account="A made-up serious injury.",
        other_children_at_risk="None known.",
        designated_professional_consulted=True,
        csc_referral_made=True,
        lead_board_is_this_board=True,
        criteria_answers=answers,
    )
    referrals.referral_submit(referral=referral, actor=author, now=now)


def _demo_deadlines(board: Board) -> None:
    """A few open deadlines so the dashboard has something to show until demo referrals exist."""
    from django.utils import timezone

    from scr_portal.clock.services import deadline_open
    from scr_portal.models import Deadline

    if Deadline.objects.filter(board=board).exists():
        return
    now = timezone.now()
    chair = User.objects.get(email="chair@northshire.example")
    police = User.objects.get(email="agency@northshire.example")
    manager = User.objects.get(email="manager@northshire.example")
    for rule_code, days_ago, reference, responsible in [
        ("decision", 20, "NLSCB-DEMO-001", [chair]),
        ("agency-reply", 6, "NLSCB-DEMO-001", [police]),
        ("incident-notice", 2, "NLSCB-DEMO-002", [manager]),
        ("review-completion", 70, "NLSCB-DEMO-003", [manager]),
    ]:
        deadline_open(
            board=board,
            subject=board,
            rule_code=rule_code,
            trigger_at=now - timedelta(days=days_ago),
            case_reference=reference,
            responsible_users=responsible,
            now=now,
        )
