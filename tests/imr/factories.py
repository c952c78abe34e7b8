"""Reviews ready for IMRs, and IMRs in each meaningful state, built through the services so every state is a
real one."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from imr import services
from imr.models import IMR, IMRState
from imr.quality import QA_CODES
from referrals.models import AgencyCheck, AgencyCheckState, Referral, ReferralState
from reviews.models import PanelMembership, PanelRole, Review, ReviewType, ToRVersion
from scr_portal.models import Role, User

from ..factories import UserFactory, member

LONDON = ZoneInfo("Europe/London")
# A Monday in January, after the review was set up in December.
NOW = dt.datetime(2027, 1, 11, 10, tzinfo=LONDON)
TODAY = NOW.date()
CHILD_DOB = dt.date(2020, 5, 1)
_numbers = itertools.count(1)

NOMINATION = {
    "job_title": "Head of Safeguarding",
    "author_role": "Safeguarding lead, not involved in the case",
    "directly_involved": False,
    "line_manager_of_practitioners": False,
    "senior_enough": True,
    "knows_cp_practice": True,
    "external_author": False,
}
ALL_MET = {code: (True, "") for code in QA_CODES}


def review_ready(*, board, created_by, child_dob=CHILD_DOB, approved=True, period=None) -> Review:
    """A decided referral, its review, and (by default) approved terms of reference. The ToR's workflow
    belongs to the reviews app: created here directly in the approved state."""
    reference = f"{board.short_name}-2026-{next(_numbers):04d}"
    while Referral.objects.filter(board=board, reference=reference).exists():  # the demo's own referral
        reference = f"{board.short_name}-2026-{next(_numbers):04d}"
    referral = Referral.objects.create(
        board=board,
        reference=reference,
        created_by=created_by,
        child_name="Jamie Testcase",
        child_date_of_birth=child_dob,
        state=ReferralState.DECIDED,
    )
    return review_of(referral, created_by=created_by, approved=approved, period=period)


def review_of(
    referral,
    *,
    created_by,
    now=NOW,
    approved=True,
    period=None,
    scope="The agencies' work with the family from the child's birth.",
) -> Review:
    """The review of a decided referral, decided 41 days before `now`, with (by default) terms of reference
    approved 22 days before it (with NOW: decided 1 December, ToR dated 20 December 2026)."""
    review = Review.objects.create(
        board=referral.board,
        referral=referral,
        reference=f"{referral.reference}-SCR",
        review_type=ReviewType.SCR,
        decision_date=(now - dt.timedelta(days=41)).date(),
        created_at=now - dt.timedelta(days=40),
        created_by=created_by,
    )
    if approved:
        start, end = period or (dt.date(2020, 5, 1), dt.date(2026, 11, 20))
        ToRVersion.objects.create(
            review=review,
            number=1,
            state="approved",
            dated=(now - dt.timedelta(days=22)).date(),
            period_from=start,
            period_to=end,
            scope=scope,
            created_by=created_by,
            created_at=now - dt.timedelta(days=30),
            approved_by=created_by,
            approved_at=now - dt.timedelta(days=22),
        )
    return review


def confirm_involved(review: Review, agency, *, sent_by) -> AgencyCheck:
    return AgencyCheck.objects.create(
        referral=review.referral,
        agency=agency,
        state=AgencyCheckState.INVOLVED,
        sent_at=NOW - dt.timedelta(days=50),
        sent_by=sent_by,
        records_secured_on=dt.date(2026, 11, 24),
    )


def with_authenticator(user: User) -> User:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def panel_member(
    review: Review, *, appointed_by, role=PanelRole.AGENCY_REPRESENTATIVE, **user_fields
) -> User:
    user = UserFactory(**user_fields)
    PanelMembership.objects.create(
        review=review,
        user=user,
        role=role,
        organisation="Alpha Police",
        post="Detective Inspector",
        appointed_at=NOW - dt.timedelta(days=35),
        appointed_by=appointed_by,
    )
    return user


def commission(review: Review, agencies, *, actor, nominate_by=None, now=NOW) -> list[IMR]:
    return services.imr_commission(
        review=review,
        actor=actor,
        agencies=agencies,
        nominate_by=nominate_by or now.date() + dt.timedelta(days=7),
        now=now,
    )


def nominate(imr: IMR, *, actor, email: str, full_name: str = "Nina Author", now=NOW, **overrides) -> IMR:
    nominated = services.imr_nominate_author(
        imr=imr, actor=actor, email=email, full_name=full_name, **(NOMINATION | overrides), now=now
    )
    with_authenticator(nominated.author)
    return nominated


def add_chronology(imr: IMR, *, rows: int = 2) -> None:
    for number in range(1, rows + 1):
        services.chronology_entry_save(
            imr=imr,
            actor=imr.author,
            event_no=number,
            date=dt.date(2021, 1, number),
            time=dt.time(9, 30) if number % 2 else None,
            family_member="M",
            child_seen=bool(number % 2),
            event=f"Event {number} of {imr.agency.name}.",
            agency_source="Health visiting",
            action_taken="",
            note="",
        )


def add_plan(imr: IMR) -> None:
    recommendation = services.plan_recommendation_save(
        imr=imr,
        actor=imr.author,
        outcome="Practitioners recognise neglect.",
        recommendation="The head of service should ensure training on neglect.",
        audit_information="Attendance records.",
    )
    services.plan_action_save(
        imr=imr,
        actor=imr.author,
        recommendation=recommendation,
        action="Deliver training.",
        by_whom="Head of training",
        by_when=dt.date(2027, 6, 30),
        ongoing=False,
        actions_taken="",
    )


def head_of(agency) -> User:
    """The agency's head of agency (made on first use): Pat Chief, who signs its IMRs off."""
    head = User.objects.filter(memberships__agency=agency, memberships__role=Role.HEAD_OF_AGENCY).first()
    if head is None:
        head = member(
            board=agency.board,
            role=Role.HEAD_OF_AGENCY,
            agency=agency,
            full_name="Pat Chief",
            job_title="Chief Constable",
        )
    return head


def author_sign(imr: IMR, *, now=NOW, **declaration):
    return services.imr_author_sign(
        imr=imr,
        actor=imr.author,
        signature=imr.author.full_name,
        signed_on=now.date(),
        now=now,
        **declaration,
    )


def head_sign(imr: IMR, *, actor=None, now=NOW):
    head = actor or head_of(imr.agency)
    return services.imr_sign_off(imr=imr, actor=head, signature=head.full_name, signed_on=now.date(), now=now)


def sign_off(imr: IMR, *, actor=None, now=NOW):
    """The author's signature, then the head of agency's sign-off, each from their own account."""
    author_sign(imr, now=now)
    return head_sign(imr, actor=actor, now=now)


ORDER = [
    IMRState.AUTHOR_NOMINATED,
    IMRState.IN_PREPARATION,
    IMRState.FACTUAL_CHECK,
    IMRState.AGENCY_QA,
    IMRState.AUTHOR_SIGNED,
    IMRState.SIGNED_OFF,
    IMRState.SUBMITTED,
    IMRState.ACCEPTED,
    IMRState.PRESENTED,
    IMRState.FURTHER_INFO_REQUESTED,
    IMRState.FINAL,
]


def advance(imr: IMR, target: str, *, contact, panel, email: str | None = None, now=NOW) -> IMR:
    """Walk an IMR through the services to `target` (along the main path; FINAL skips the request). `now`
    is the moment every step happens (the frozen test time, or the real time in browser tests)."""
    imr = IMR.objects.get(pk=imr.pk)
    if imr.state == IMRState.REQUESTED:
        imr = nominate(imr, actor=contact, email=email or f"author{imr.pk}@example.org", now=now)
    steps = {
        IMRState.AUTHOR_NOMINATED: lambda i: services.imr_start_preparation(
            imr=i, actor=i.author, records_secured_on=now.date() - dt.timedelta(days=10), now=now
        ),
        IMRState.IN_PREPARATION: lambda i: (
            i.chronology.exists() or add_chronology(i),
            services.imr_send_for_factual_check(imr=i, actor=i.author, now=now),
        ),
        IMRState.FACTUAL_CHECK: lambda i: services.imr_send_for_agency_qa(imr=i, actor=i.author, now=now),
        IMRState.AGENCY_QA: lambda i: (add_plan(i), author_sign(i, now=now)),
        IMRState.AUTHOR_SIGNED: lambda i: head_sign(i, now=now),
        IMRState.SIGNED_OFF: lambda i: services.imr_submit(imr=i, actor=i.author, now=now),
        IMRState.SUBMITTED: lambda i: services.imr_accept(imr=i, actor=panel, points=ALL_MET, now=now),
        IMRState.ACCEPTED: lambda i: services.imr_present(imr=i, actor=panel, now=now),
        IMRState.PRESENTED: lambda i: (
            services.imr_finalise(imr=i, actor=panel, now=now)
            if target == IMRState.FINAL
            else services.imr_request_further_information(
                imr=i,
                actor=panel,
                parts=["facts"],
                request="The GP's records.",
                due_date=now.date() + dt.timedelta(days=14),
                now=now,
            )
        ),
    }
    while imr.state != target:
        steps[imr.state](imr)
        imr = IMR.objects.select_related("author", "agency", "review__board").get(pk=imr.pk)
    return imr


def invite_interview(imr: IMR, *, interview_date: dt.date):
    """Sam Worker, a social worker, invited by the author 20 days ago to an interview in Room 4."""
    return services.interview_invite(
        imr=imr,
        actor=imr.author,
        interviewee_name="Sam Worker",
        job_title="Social worker",
        invited_on=TODAY - dt.timedelta(days=20),
        interview_date=interview_date,
        venue="Room 4",
    )
