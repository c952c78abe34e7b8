"""Reviews in each meaningful state, built through the real services so every state is a real one. IMRs
are fixture rows (imr.models.IMR created directly), as the IMR pages are another issue's work."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from imr.models import IMR, IMRState
from referrals.services import partners_decision_confirm
from reviews import services
from reviews.independence import QUESTIONS
from reviews.models import STATE_ORDER, MeetingKind, PanelRole, Review, ReviewState

from ..factories import UserFactory
from ..referrals.factories import INCIDENT, complete_answers, decide, partner_leads, recommended

LONDON = ZoneInfo("Europe/London")
DECIDED_AT = dt.datetime(2026, 12, 10, 11, tzinfo=LONDON)
# A working day well after the decision, with room before the six-month completion (10 June 2027).
NOW = dt.datetime(2027, 3, 15, 10, tzinfo=LONDON)
TODAY = NOW.date()
# The IMRs are commissioned (App 5) on Monday 14 December 2026, before the authors' briefing on the 16th.
COMMISSIONED_AT = dt.datetime(2026, 12, 14, 10, tzinfo=LONDON)

CLEAN = {code: False for code, _ in QUESTIONS}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name: str = "overview.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def independent_person(**fields):
    """Someone from outside the board: no membership anywhere."""
    return UserFactory(**fields)


def decided_review(*, board, chair, manager, agencies, referrer=None) -> Review:
    """A referral decided "hold a serious case review" on 10 December 2026, and its review."""
    referral = recommended(board=board, author=referrer or manager, manager=manager, agencies=agencies)
    decide(
        referral,
        actor=chair,
        reasons="The child died and agencies' working together is in question.",
        members_consulted="All core members",
        now=DECIDED_AT,
    )
    return Review.objects.get(referral=referral)


def decided_lcspr(*, board, manager, agencies, referrer=None) -> Review:
    """An England 2023 case whose rapid review went to the Panel, and its local child safeguarding practice
    review: the business unit records the partners' decision on 10 December 2026 and each of the three
    partners' leads confirms it the same day."""
    referral = recommended(
        board=board,
        author=referrer or manager,
        manager=manager,
        agencies=agencies,
        aware_on=INCIDENT,
        criteria_answers=complete_answers(ABUSE=True, S1=True),
    )
    decide(referral, actor=manager, reasons="The child died; the partners see learning.", now=DECIDED_AT)
    for lead in partner_leads(board).values():
        partners_decision_confirm(referral=referral, actor=lead, now=DECIDED_AT)
    return Review.objects.get(referral=referral)


def independent_terms(role: str) -> dict:
    """An appointment that meets every rule for `role`."""
    competences = {"independent_chair": ["2", "3", "4", "5"], "overview_author": ["1", "2", "3", "4"]}
    return {
        "competences": competences.get(role, []),
        "competence_evidence": "Two earlier anonymised overview reports." if role in competences else "",
        "indemnity_confirmed": True,
        "supervision_confirmed": True,
        "data_protection_confirmed": True,
        "contract_issued_on": dt.date(2027, 1, 4) if role in competences else None,
    }


def appoint(review, *, actor, user, role, answers=None, **overrides):
    arguments = {
        "user": user,
        "role": role,
        "organisation": overrides.pop("organisation", "Independent Reviews Ltd"),
        "post": overrides.pop("post", "Independent reviewer"),
        "answers": {**CLEAN, **(answers or {})},
        "declared_on": dt.date(2027, 1, 5),
        **independent_terms(role),
        **overrides,
    }
    return services.panel_appoint(review=review, actor=actor, **arguments)


def add_imr(review, agency, *, author, actor, state=IMRState.ACCEPTED) -> IMR:
    return IMR.objects.create(
        review=review,
        agency=agency,
        state=state,
        author=author,
        commissioned_at=COMMISSIONED_AT,
        commissioned_by=actor,
    )


PLANNED_PUBLICATION = dt.date(2027, 9, 14)
OFSTED_BRIEFING = {
    "audience": "ofsted",
    "message": "The findings and the action plan, in advance.",
    "delivered_by": "Business manager",
    "method": "Secure email",
    "timing": "before",
    "due_on": dt.date(2027, 9, 1),
}


def communications_plan(review, *, actor, briefing: dict | None = OFSTED_BRIEFING, **fields):
    """The communications plan (App 9), owned by Casey Comms, publication planned for September 2027, with
    Ofsted briefed before it unless `briefing` is None."""
    plan = services.communications_plan_save(
        review=review,
        actor=actor,
        **{
            "owner_name": "Casey Comms",
            "owner_post": "Head of Communications, Alpha Council",
            "planned_publication_on": PLANNED_PUBLICATION,
            **fields,
        },
    )
    if briefing is not None:
        services.communication_item_save(review=review, actor=actor, **briefing)
    return plan


def debrief(review, *, actor, on=dt.date(2027, 3, 13)):
    """The practitioners' debriefing held, as publication needs (App 10)."""
    meeting, _ = services.meeting_schedule(
        review=review, actor=actor, kind=MeetingKind.STAFF_DEBRIEF, meeting_date=on
    )
    services.meeting_record_held(meeting=meeting, actor=actor, held_on=on, attendance={})
    return meeting


class Journey:
    """Walk a review forward through the real services, stopping at `target`."""

    def __init__(self, review, *, manager, chair, agencies, panel_chair=None, author=None, imr_authors=None):
        self.review = review
        self.manager, self.chair, self.agencies = manager, chair, agencies
        self.panel_chair = panel_chair or independent_person(full_name="Pat Chair-Independent")
        self.author = author or independent_person(full_name="Olu Author-Independent")
        self.imr_authors = imr_authors or [
            independent_person(full_name=f"IMR Author {i}") for i, _ in enumerate(agencies)
        ]

    def refresh(self):
        self.review = Review.objects.get(pk=self.review.pk)
        return self.review

    def at_least(self, state) -> bool:
        return STATE_ORDER[self.refresh().state] >= STATE_ORDER[state]

    def to(self, target: str) -> Review:
        m = self.manager
        steps = [
            (ReviewState.SCOPING, self._scoping),
            (ReviewState.TOR_APPROVED, self._tor),
            (ReviewState.IMRS_COMMISSIONED, self._commission),
            (ReviewState.IMRS_IN_PROGRESS, self._briefing),
            (ReviewState.PRESENTATION_SCHEDULED, self._schedule),
            (ReviewState.PRESENTATION_HELD, self._presentation),
            (
                ReviewState.OVERVIEW_DRAFTING,
                lambda: services.review_start_overview(review=self.review, actor=m),
            ),
            (ReviewState.FAIR_REPRESENTATION_CHECK, self._final_draft),
            (ReviewState.EXEC_SUMMARY_DRAFTING, self._confirm),
            (ReviewState.PANEL_QA, self._summary),
            (ReviewState.ADOPTED, self._adopt),
            (ReviewState.SUBMITTED_TO_OFSTED, self._submit),
            (ReviewState.EVALUATED, self._evaluate),
            (ReviewState.PUBLISHED, self._publish),
            (ReviewState.MONITORING, lambda: services.review_start_monitoring(review=self.review, actor=m)),
            (ReviewState.CLOSED, self._close),
        ]
        for state, step in steps:
            if STATE_ORDER[state] > STATE_ORDER[target]:
                break
            if not self.at_least(state):
                step()
        return self.refresh()

    def _scoping(self):
        appoint(self.review, actor=self.manager, user=self.panel_chair, role=PanelRole.INDEPENDENT_CHAIR)
        appoint(self.review, actor=self.manager, user=self.author, role=PanelRole.OVERVIEW_AUTHOR)
        services.review_start_scoping(review=self.review, actor=self.manager)

    def _tor(self):
        services.review_record_methodology(review=self.review, actor=self.manager, methodology="systems")
        version = services.tor_save_version(
            review=self.review, actor=self.manager, scope="Agencies' work with the family, 2024 to 2026."
        )
        services.tor_panel_agree(version=version, actor=self.manager)
        services.tor_approve(version=version, actor=self.chair)

    def _commission(self):
        for agency, author in zip(self.agencies, self.imr_authors, strict=True):
            add_imr(self.review, agency, author=author, actor=self.manager)
        services.review_commission_imrs(review=self.review, actor=self.manager)

    def _briefing(self):
        meeting, _ = services.meeting_schedule(
            review=self.review,
            actor=self.manager,
            kind=MeetingKind.AUTHORS_BRIEFING,
            meeting_date=dt.date(2026, 12, 16),
        )
        services.meeting_record_held(
            meeting=meeting, actor=self.manager, held_on=dt.date(2026, 12, 16), attendance={}
        )
        services.review_start_imrs(review=self.review, actor=self.manager)

    def _schedule(self):
        services.meeting_schedule(
            review=self.review,
            actor=self.manager,
            kind=MeetingKind.PRESENTATION,
            meeting_date=dt.date(2027, 3, 1),
        )
        services.review_schedule_presentation(review=self.review, actor=self.manager)

    def _presentation(self):
        meeting = self.review.meetings.get(kind=MeetingKind.PRESENTATION)
        services.meeting_record_circulation(
            meeting=meeting, actor=self.manager, circulated_on=dt.date(2027, 2, 12)
        )
        services.meeting_record_held(
            meeting=meeting, actor=self.manager, held_on=dt.date(2027, 3, 1), attendance={}
        )
        services.review_hold_presentation(review=self.review, actor=self.manager)

    def _final_draft(self):
        services.report_upload(
            review=self.review, actor=self.author, kind="overview_report", upload=pdf(), final_draft=True
        )
        services.review_send_final_draft(review=self.review, actor=self.manager)

    def _confirm(self):
        from reviews.models import AuthorConfirmation

        for answer in AuthorConfirmation.objects.filter(version__review=self.review, status="pending"):
            services.fair_representation_respond(confirmation=answer, actor=answer.author, confirmed=True)
        services.review_start_exec_summary(review=self.review, actor=self.manager)

    def _summary(self):
        services.report_upload(
            review=self.review, actor=self.author, kind="executive_summary", upload=pdf("summary.pdf")
        )
        services.review_start_panel_qa(review=self.review, actor=self.manager)

    def _adopt(self):
        services.review_adopt(
            review=self.review,
            actor=self.chair,
            adopted_on=dt.date(2027, 3, 10),
            meeting="LSCB Board meeting",
            dissemination="Practitioner briefings; press statement agreed with the police.",
        )

    def _submit(self):
        services.review_submit_to_ofsted(
            review=self.review,
            actor=self.manager,
            submitted_on=dt.date(2027, 3, 11),
            items=["overview_report", "executive_summary", "imrs", "action_plan"],
        )

    def _evaluate(self):
        services.review_record_evaluation(
            review=self.review,
            actor=self.manager,
            letter_date=dt.date(2027, 3, 12),
            inspector="I. Inspector",
            overall_grade="good",
            element_grades={"timescales": "good", "independence": "outstanding"},
        )

    def _publish(self):
        debrief(self.review, actor=self.manager)
        services.review_publish(
            review=self.review,
            actor=self.manager,
            published_on=dt.date(2027, 3, 14),
            items=["executive_summary", "overview_report"],
        )

    def _close(self):
        from .plan_factories import complete_plan

        if not hasattr(self.review, "action_plan"):
            complete_plan(self.review, manager=self.manager, chair=self.chair, agency=self.agencies[0])
        services.review_close(
            review=self.review, actor=self.chair, closed_on=TODAY, reason="Every action verified by the LSCB."
        )
