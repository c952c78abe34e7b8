# ruff: noqa: S311 — random here generates benchmark data deterministically from a seed; nothing secret.
"""The scale seeder's IMR work: chronology rows (INSERT … SELECT generate_series) and action plans."""

import datetime as dt

from django.db import connection

from imr.models import IMR, ActionPlanAction, ActionPlanRecommendation, ChronologyEntry

from .base import (
    BENCH_ROWS_PER_IMR,
    WITH_CHRONOLOGY,
    WITH_PLAN,
    SeederBase,
)


class IMRSeeder(SeederBase):
    def chronology_plan(self) -> list[tuple[int, int]]:
        """(imr id, rows) for every IMR that has a chronology."""
        rng = self.rng
        with_rows = [imr for imr in self.imr_rows if imr.state in WITH_CHRONOLOGY]
        bench_review = None
        for imr in sorted(with_rows, key=lambda i: -i.review.created_at.timestamp()):
            if imr.review.state in ("presentation_held", "overview_drafting") or imr.state == "final":
                bench_review = imr.review_id
                break
        self.bench_review_id = bench_review
        plan = []
        for imr in with_rows:
            if imr.review_id == bench_review:
                rows = max(20, round(BENCH_ROWS_PER_IMR * min(self.scale * 10, 1)))
            elif rng.random() < 0.03:
                rows = rng.randint(100, 2000)
            else:
                rows = rng.randint(5, 60)
            plan.append((imr.pk, rows))
        return plan

    def chronology(self) -> int:
        plan = self.chronology_plan()
        if not plan:
            return 0
        table = connection.ops.quote_name(ChronologyEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (imr_id, event_no, date, time, family_member, child_seen, event,
                    agency_source, action_taken, note)
                SELECT p.imr_id, g, DATE '2012-01-01' + ((p.imr_id * 7 + g * 3) %% 4000)::int,
                    CASE WHEN g %% 3 = 0 THEN NULL ELSE make_time(g %% 24, g %% 60, 0) END,
                    (ARRAY['M', 'F', 'SC', 'S1'])[1 + g %% 4], g %% 2 = 0,
                    'Event ' || g || ': a contact with the family, recorded at the time by the practitioner.',
                    'Case records', CASE WHEN g %% 5 = 0 THEN 'Referred on.' ELSE '' END, ''
                FROM unnest(%s::bigint[], %s::int[]) AS p(imr_id, n), generate_series(1, p.n) AS g
                """,  # noqa: S608 — table name from the model; values are parameters.
                [[p[0] for p in plan], [p[1] for p in plan]],
            )
        return sum(p[1] for p in plan)

    def plans(self) -> int:
        rng, ct = self.rng, self.ctx["ct"]
        by_review: dict[int, list[IMR]] = {}
        for imr in self.imr_rows:
            if imr.state in WITH_PLAN:
                by_review.setdefault(imr.review_id, []).append(imr)
        recs, actions_per_rec = [], []
        for imrs in by_review.values():
            total = rng.randint(10, 40)
            per_rec = [total // (2 * len(imrs))] * (2 * len(imrs))
            for j in range(total - sum(per_rec)):
                per_rec[j] += 1
            for idx, imr in enumerate(imrs):
                for number in (1, 2):
                    recs.append(
                        ActionPlanRecommendation(
                            imr=imr,
                            number=number,
                            outcome="Practitioners recognise neglect.",
                            recommendation="The head of service should ensure training on neglect.",
                            audit_information="Attendance records.",
                        )
                    )
                    actions_per_rec.append(per_rec[2 * idx + number - 1])
        recs = ActionPlanRecommendation.objects.bulk_create(recs, batch_size=2000)
        actions = [
            ActionPlanAction(
                recommendation=rec,
                number=k + 1,
                action=f"Action {k + 1}: deliver training and audit its effect.",
                by_whom="Head of training",
                by_when=self.today + dt.timedelta(days=rng.randint(-400, 400)),
                ongoing=False,
            )
            for rec, count in zip(recs, actions_per_rec, strict=True)
            for k in range(count)
        ]
        actions = ActionPlanAction.objects.bulk_create(actions, batch_size=5000)
        manager = self.users["manager"]
        imr_by_pk = {imr.pk: imr for imr in self.imr_rows}
        for action, rec in ((a, a.recommendation) for a in actions):
            imr = imr_by_pk[rec.imr_id]
            status = "met" if action.by_when < self.today - dt.timedelta(days=30) else "open"
            self.deadline(
                ct["action"],
                action,
                "action",
                imr.commissioned_at,
                status,
                manager.pk,
                imr.review,
                due=action.by_when,
            )
        return len(actions)
