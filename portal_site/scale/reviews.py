# ruff: noqa: S311 — random here generates benchmark data deterministically from a seed; nothing secret.
"""The scale seeder's reviews: one per decided referral that asked for one, in states spread so the
oldest are furthest on, with their terms of reference, alternative-review records and IMRs."""

import datetime as dt

from imr.models import IMR
from reviews.models import Review, ReviewType, ToRVersion
from reviews.models.alternative import (
    STEPS_BY_TYPE,
    AcceptedBy,
    AlternativeReview,
    AlternativeState,
    AlternativeStep,
)

from .base import (
    IMR_FOR_REVIEW,
    IMRS_PER_REVIEW,
    REVIEW_STATES,
    WITH_PLAN,
    SeederBase,
)


class ReviewSeeder(SeederBase):
    def alternative_reviews(self) -> None:
        """Each review of another type than an SCR has its record and steps (reviews.models.alternative):
        led by the sub-committee member, the earlier steps done, the output accepted once the review is
        monitored or closed."""
        lead, manager = self.users["subcommittee1"], self.users["manager"]
        records, steps = [], []
        for review in self.review_rows:
            if review.review_type not in STEPS_BY_TYPE:
                continue
            accepted = review.state in ("monitoring", "closed")
            records.append(
                AlternativeReview(
                    review=review,
                    review_type=review.review_type,
                    state=AlternativeState.OUTPUT_ACCEPTED if accepted else AlternativeState.UNDER_WAY,
                    created_at=review.created_at,
                    lead_user=lead,
                    appointed_at=review.created_at + dt.timedelta(days=3),
                    appointed_by=manager,
                    accepted_by=AcceptedBy.MONITORING_GROUP if accepted else "",
                    accepted_on=(review.created_at + dt.timedelta(days=120)).date() if accepted else None,
                    acceptance_recorded_by=manager if accepted else None,
                )
            )
        AlternativeReview.objects.bulk_create(records, batch_size=2000)
        for record in records:
            for position, step in enumerate(STEPS_BY_TYPE[record.review_type], start=1):
                done = record.state == AlternativeState.OUTPUT_ACCEPTED or (position == 1 and not step.output)
                done_at = record.created_at + dt.timedelta(days=7 * position) if done else None
                steps.append(
                    AlternativeStep(
                        alternative=record,
                        review_type=record.review_type,
                        position=position,
                        code=step.code,
                        label=step.label,
                        is_output=step.output,
                        done_at=done_at,
                        done_on=done_at.date() if done_at else None,
                        done_by=manager if done else None,
                    )
                )
        AlternativeStep.objects.bulk_create(steps, batch_size=5000)

    def reviews(self) -> None:
        rng, manager, chair = self.rng, self.users["manager"], self.users["chair"]
        pairs = sorted(self.decided_for_review, key=lambda p: p[0].decided_at)
        count = len(pairs)
        # The oldest reviews are furthest on: spread the states so every one is there, later ones closed.
        states = []
        for i in range(count):
            position = 1 - i / max(count - 1, 1)  # 1 for the oldest, 0 for the newest
            index = min(len(REVIEW_STATES) - 1, int(position * len(REVIEW_STATES) * 1.3))
            states.append(REVIEW_STATES[index])
        for i, state in enumerate(REVIEW_STATES[: min(count, len(REVIEW_STATES))]):
            states[-(i + 1)] = (
                state if i < count else states[-(i + 1)]
            )  # every state present among the newest
        rows = []
        for (referral, decision), state in zip(pairs, states, strict=True):
            rtype = ReviewType.SCR if decision.outcome == "scr" else decision.alternative_type
            rows.append(
                Review(
                    board=self.board,
                    referral=referral,
                    reference=f"{referral.reference}-R",
                    review_framework=referral.review_framework,
                    review_type=rtype,
                    state=state,
                    decision_date=referral.decided_at.date(),
                    created_at=referral.decided_at,
                    created_by=manager,
                    methodology="systems" if REVIEW_STATES.index(state) >= 2 else "",
                    closed_at=referral.decided_at + dt.timedelta(days=400) if state == "closed" else None,
                )
            )
        self.review_rows = Review.objects.bulk_create(rows, batch_size=2000)
        self.alternative_reviews()
        tors = [
            ToRVersion(
                review=review,
                number=1,
                state="approved",
                dated=review.decision_date + dt.timedelta(days=10),
                period_from=review.decision_date - dt.timedelta(days=1500),
                period_to=review.decision_date,
                scope="The agencies' work with the family from the child's birth.",
                created_by=manager,
                created_at=review.created_at + dt.timedelta(days=5),
                approved_by=chair,
                approved_at=review.created_at + dt.timedelta(days=10),
            )
            for review in self.review_rows
            if REVIEW_STATES.index(review.state) >= REVIEW_STATES.index("tor_approved")
        ]
        ToRVersion.objects.bulk_create(tors, batch_size=2000)
        ct = self.ctx["ct"]
        for review in self.review_rows:
            done = review.state in ("submitted_to_ofsted", "evaluated", "published", "monitoring", "closed")
            self.deadline(
                ct["review"],
                review,
                "review-completion",
                review.created_at,
                "met" if done else "open",
                manager.pk,
            )
            self.deadline(
                ct["review"],
                review,
                "progress-report",
                review.created_at,
                "met" if done else "open",
                manager.pk,
            )
        # IMRs
        imrs = []
        commissioned = REVIEW_STATES.index("imrs_commissioned")
        later = [
            s for s in REVIEW_STATES if REVIEW_STATES.index(s) > REVIEW_STATES.index("presentation_held")
        ]
        for review in self.review_rows:
            position = REVIEW_STATES.index(review.state)
            if position < commissioned:
                continue
            choices = ["final"] if review.state in later else IMR_FOR_REVIEW[review.state]
            for k in range(IMRS_PER_REVIEW):
                state = choices[0] if k == 0 else rng.choice(choices)
                imrs.append(
                    IMR(
                        review=review,
                        agency=self.agencies[k],
                        state=state,
                        author=self.authors[k] if state not in ("requested", "nil_return") else None,
                        commissioned_at=review.created_at + dt.timedelta(days=20),
                        commissioned_by=manager,
                        nominate_by=review.decision_date + dt.timedelta(days=27),
                        nil_return_reason="No involvement." if state == "nil_return" else "",
                        summary_of_facts="Summary." if state in WITH_PLAN else "",
                    )
                )
        self.imr_rows = IMR.objects.bulk_create(imrs, batch_size=2000)
        for imr in self.imr_rows:
            done = imr.state not in (
                "requested",
                "author_nominated",
                "in_preparation",
                "factual_check",
                "agency_qa",
            )
            self.deadline(
                ct["imr"],
                imr,
                "imr-completed",
                imr.commissioned_at,
                "met" if done else "open",
                (imr.author_id or manager.pk),
                imr.review,
            )
