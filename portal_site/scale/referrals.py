# ruff: noqa: S311 — random here generates benchmark data deterministically from a seed; nothing secret.
"""The scale seeder's referrals: ten years of them in every state, with their agency checks, screening
meetings, decisions and deadlines."""

import datetime as dt

from referrals.models import (
    AgencyCheck,
    AgencyCheckState,
    Decision,
    Referral,
    ReferralState,
    ScreeningMeeting,
)

from .base import (
    AGENCIES,
    CLOSED_REFERRAL_STATES,
    NFA_PER_BOARD,
    OPEN_REFERRAL_STATES,
    REFERRALS_PER_BOARD,
    REVIEWS_PER_BOARD,
    SeederBase,
)


class ReferralSeeder(SeederBase):
    def referrals(self) -> None:
        rng, manager, chair = self.rng, self.users["manager"], self.users["chair"]
        total = self.n(REFERRALS_PER_BOARD, 10)
        reviews = min(self.n(REVIEWS_PER_BOARD, 4), total // 2)
        nfa = min(self.n(NFA_PER_BOARD, 1), total - reviews)
        others = total - reviews - nfa
        # Received dates over ten years; the oldest are decided or closed, the newest still open.
        received = sorted(
            (
                self.now - dt.timedelta(days=rng.uniform(1, 3650), hours=rng.uniform(0, 8))
                for _ in range(total)
            ),
        )
        kinds = ["review"] * reviews + ["nfa"] * nfa + ["other"] * others
        rng.shuffle(kinds)
        # Keep open states for the newest others, so each state has recent rows.
        self.referral_rows: list[Referral] = []
        self.decided_for_review: list[Referral] = []
        open_states = OPEN_REFERRAL_STATES
        framework = self.ctx["framework"]
        # The newest fifth of the referrals that lead nowhere are still open, in every open state in turn.
        other_positions = [i for i, kind in enumerate(kinds) if kind == "other"]
        still_open = set(other_positions[-max(len(open_states), len(other_positions) // 5) :])
        for i, (at, kind) in enumerate(zip(received, kinds, strict=True)):
            if kind in ("review", "nfa"):
                state = ReferralState.DECIDED
            elif i in still_open:
                state = open_states[i % len(open_states)]
            elif i % 4 == 0:
                state = CLOSED_REFERRAL_STATES[i % len(CLOSED_REFERRAL_STATES)]
            else:
                state = ReferralState.DECIDED
            submitted = state != ReferralState.DRAFT
            referral = Referral(
                board=self.board,
                reference=f"{self.board.short_name}-{at.year}-{i + 1:04d}",
                review_framework=self.case_framework(at),
                state=state,
                created_by=manager,
                created_at=at - dt.timedelta(hours=2),
                referrer_name=f"Referrer {i + 1}",
                referrer_agency=self.agencies[i % AGENCIES],
                referrer_email=f"referrer{i + 1}@example.org",
                received_on=at.date(),
                child_name=f"Child {self.board.short_name} {i + 1}",
                child_date_of_birth=at.date() - dt.timedelta(days=rng.randint(100, 6000)),
                incident_date=at.date() - dt.timedelta(days=rng.randint(1, 20)),
                child_cp_plan=rng.choice(["now", "before", "no", "unknown"]),
                brief_account="A serious incident; agencies' working together is in question.",
                triggers=["a"],
                trigger_account="The child died.",
                designated_professional_consulted=True,
                csc_referral_made=True,
                lead_board_is_this_board=True,
                framework=framework if submitted else None,
                criteria_answers=self.ctx["answers"] if submitted else {},
                advice=rng.choice(["must_review", "consider", "below_threshold"]) if submitted else "",
                submitted_at=at if submitted else None,
                received_at=at if submitted else None,
                decided_at=at + dt.timedelta(days=rng.randint(10, 30))
                if state == ReferralState.DECIDED
                else None,
                closed_reason="Closed without a decision." if state in CLOSED_REFERRAL_STATES else "",
                transferred_to="Another board" if state == ReferralState.TRANSFERRED else "",
            )
            referral._kind = kind
            self.referral_rows.append(referral)
        created = Referral.objects.bulk_create(self.referral_rows, batch_size=2000)
        for referral, original in zip(created, self.referral_rows, strict=True):
            referral._kind = original._kind
        duplicates = [r for r in created if r.state == ReferralState.DUPLICATE]
        for r in duplicates:
            r.duplicate_of = created[0]
        Referral.objects.bulk_update(duplicates, ["duplicate_of"])

        checks, meetings, decisions = [], [], []
        order = ["draft", "submitted", "agency_checks", "screening_scheduled", "recommended", "decided"]
        for referral in created:
            rank = order.index(referral.state) if referral.state in order else 5
            if rank >= 2:
                for agency in rng.sample(self.agencies, 3):
                    answered = rank > 2 or rng.random() < 0.5
                    checks.append(
                        AgencyCheck(
                            referral=referral,
                            agency=agency,
                            state=rng.choice([AgencyCheckState.INVOLVED, AgencyCheckState.NIL_RETURN])
                            if answered
                            else AgencyCheckState.PENDING,
                            sent_at=referral.received_at + dt.timedelta(hours=3),
                            sent_by=manager,
                            respondent_name="Agency contact" if answered else "",
                            answered_at=referral.received_at + dt.timedelta(days=2) if answered else None,
                            records_secured_on=referral.received_at.date() if answered else None,
                        )
                    )
            if rank >= 3:
                meetings.append(
                    ScreeningMeeting(
                        referral=referral,
                        meeting_date=referral.received_at.date() + dt.timedelta(days=14),
                        scheduled_by=manager,
                        recommendation="scr" if rank >= 4 else "",
                        reasons="Threshold met." if rank >= 4 else "",
                        recommended_at=referral.received_at + dt.timedelta(days=14) if rank >= 4 else None,
                        recommended_by=manager if rank >= 4 else None,
                    )
                )
            if referral.state == ReferralState.DECIDED:
                outcome = (
                    "scr" if referral._kind == "review" else ("nfa" if referral._kind == "nfa" else "nfa")
                )
                if referral._kind == "review" and rng.random() < 0.25:
                    outcome = "alternative"
                referral._outcome = outcome
                decisions.append(
                    Decision(
                        referral=referral,
                        outcome=outcome,
                        alternative_type=rng.choice(["partnership_case_review", "management_review"])
                        if outcome == "alternative"
                        else "",
                        reasons="The criteria are met." if outcome != "nfa" else "Below the threshold.",
                        members_consulted="All core members",
                        legal_advice_sought=False,
                        decided_by=chair,
                        decided_at=referral.decided_at,
                    )
                )
                if referral._kind == "review":
                    self.decided_for_review.append((referral, decisions[-1]))
        AgencyCheck.objects.bulk_create(checks, batch_size=2000)
        ScreeningMeeting.objects.bulk_create(meetings, batch_size=2000)
        Decision.objects.bulk_create(decisions, batch_size=2000)
        ct = self.ctx["ct"]
        for referral in created:
            if referral.state == ReferralState.DRAFT:
                continue
            status = "open"
            if referral.state == ReferralState.DECIDED:
                status = "met"
            elif referral.state in CLOSED_REFERRAL_STATES:
                status = "cancelled"
            self.deadline(ct["referral"], referral, "decision", referral.received_at, status, chair.pk)
        for check in checks:
            status = "open" if check.state == AgencyCheckState.PENDING else "met"
            self.deadline(
                ct["agency_check"], check, "agency-reply", check.sent_at, status, manager.pk, check.referral
            )
