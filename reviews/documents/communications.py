"""The communications plan as a document (Solihull §16.1.3, Appendix 9 "comm. Plan.v1/2010"; domain brief §7):
the plan's owner, media lead and dates, the App 9 headings, and what each audience is told. It goes to the
LSCB and the partners' press offices, inside the partnership."""

from __future__ import annotations

from reviews.models import CommunicationsPlan, Review
from reviews.selectors.communications import plan_headings
from scr_portal.documents.registry import BuildRequest, DocumentKind, Wording, register, short_date

from .samples import COMMON_DESCRIPTIONS, SAMPLE_REVIEW_COMMON
from .shared import _common


def _plan(review: Review) -> CommunicationsPlan | None:
    return CommunicationsPlan.objects.filter(review=review).select_related("review__publication").first()


def communications_context(review: Review, request: BuildRequest) -> dict:
    merge = request.merge
    plan = _plan(review)
    items = list(plan.items.all()) if plan else []
    owner = ", ".join(part for part in (plan.owner_name, plan.owner_post) if part) if plan else ""
    return {
        **_common(review, request),
        "plan": {
            "owner": merge.name(owner),
            "media_lead": plan.media_lead if plan else "",
            "press_contact": merge.name(plan.press_contact) if plan else "",
            "publication_date": short_date(plan.publication_date) if plan else "",
            "published": hasattr(review, "publication"),
            "embargo_until": short_date(plan.embargo_until) if plan else "",
            "headings": [
                {"heading": heading, "text": text} for heading, text in plan_headings(plan, merge.text)
            ]
            if plan
            else [],
        },
        "audiences": [
            {
                "audience": item.audience_label,
                "message": merge.text(item.message),
                "delivered_by": merge.name(item.delivered_by),
                "method": item.method,
                "timing": item.get_timing_display(),
                "due_on": short_date(item.due_on),
                "done_on": short_date(item.done_on),
            }
            for item in items
        ],
    }


def _communications_missing(review: Review) -> list[str]:
    if _plan(review) is None:
        return ["Set up the communications plan first: name the person responsible for it."]
    return []


def sample_communications() -> dict:
    return {
        **SAMPLE_REVIEW_COMMON,
        "plan": {
            "owner": "Sam Comms, Head of Communications, Example Council",
            "media_lead": "Example Council",
            "press_contact": "Press office, 01632 960 100",
            "publication_date": "14 September 2027",
            "published": False,
            "embargo_until": "14 September 2027",
            "headings": [{"heading": "Key messages", "text": "Agencies have learned and acted."}],
        },
        "audiences": [
            {
                "audience": "Ofsted",
                "message": "The findings and the action plan, before publication.",
                "delivered_by": "Business manager",
                "method": "Secure email",
                "timing": "Before publication",
                "due_on": "1 September 2027",
                "done_on": "",
            }
        ],
    }


register(
    DocumentKind(
        code="communications-plan",
        title="Communications plan",
        source="Solihull guidance §16.1, Appendix 9",
        description="The review's media and communications plan under the App 9 headings: who is "
        "responsible, who leads the media work, the publication and embargo dates, the key messages and "
        "holding statement, and what each audience is told, by whom, how and when.",
        layout="documents/communications_plan.html",
        owner_type="review",
        build=communications_context,
        sample=sample_communications,
        descriptions={
            **COMMON_DESCRIPTIONS,
            "plan.owner": "The person responsible for the plan, with their post",
            "plan.media_lead": "The agency leading media work",
            "plan.press_contact": "The press officer",
            "plan.publication_date": "The publication date: the one planned, or the day it was published",
            "plan.published": "Whether the review has been published",
            "plan.embargo_until": "When the press embargo ends",
            "plan.headings": "The App 9 headings (a list)",
            "plan.headings[each].heading": "The heading",
            "plan.headings[each].text": "What the plan says under it",
            "audiences": "What each audience is told (a list)",
            "audiences[each].audience": "The audience",
            "audiences[each].message": "What they are told",
            "audiences[each].delivered_by": "Who tells them",
            "audiences[each].method": "How",
            "audiences[each].timing": "When, against publication",
            "audiences[each].due_on": "The planned date",
            "audiences[each].done_on": "The date they were told",
        },
        wordings={"intro": "communications-plan-intro"},
        missing=_communications_missing,
    ),
    wordings=[
        Wording(
            "communications-plan-intro",
            "Communications plan (App 9): the introduction",
            "communications-plan",
        )
    ],
)
