"""The communications plan (Solihull §16.1, App 9): the plan's page, its owner, dates and headings, and
what each audience is told. The board and the panel see it; the business unit changes it."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from scr_portal.forms import GovukForm, posted_data

from .. import services
from ..forms.communications import CommunicationItemForm, CommunicationsPlanForm
from ..models import CommunicationItem, CommunicationsPlan
from ..selectors.communications import audiences_missing, plan_headings
from ..services.communications import ITEM_FIELDS, PLAN_FIELDS
from .common import form_page, review_view, row_page


def _plan_url(review) -> str:
    return reverse("review_communications", args=[review.pk])


def _back(review) -> tuple[str, str]:
    return _plan_url(review), "Back to the communications plan"


@review_view(in_full=True, methods=("GET",))
def review_communications(request: HttpRequest, review, access) -> HttpResponse:
    plan = CommunicationsPlan.objects.filter(review=review).select_related("recorded_by").first()
    items = list(plan.items.all()) if plan else []
    may_change = access.may("run") and review.is_open
    return render(
        request,
        "reviews/communications.html",
        {
            "review": review,
            "plan": plan,
            "items": items,
            "missing": audiences_missing(items) if plan else [],
            "plan_texts": plan_headings(plan) if plan else [],
            "may_change": may_change,
            "document_url": reverse("review_document_new", args=[review.pk, "communications-plan"])
            if plan and access.may("run")
            else "",
        },
    )


@review_view("run")
def review_communications_plan(request: HttpRequest, review, access) -> HttpResponse:
    plan = CommunicationsPlan.objects.filter(review=review).first()
    initial = {name: getattr(plan, name) for name in PLAN_FIELDS} if plan else None
    form = CommunicationsPlanForm(posted_data(request), initial=initial)

    def apply(data):
        services.communications_plan_save(review=review, actor=request.user, **data)
        return "The communications plan has been saved."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Change the communications plan" if plan else "Set up the communications plan",
        button="Save",
        intro=[
            "The panel agrees the plan at scoping and revisits it before publication. Inspectorates, the "
            "family and those who contributed are briefed before the review is published."
        ],
        back=_back(review),
    )


@review_view("run")
def review_communication_item(
    request: HttpRequest, review, access, audience_pk: int | None = None
) -> HttpResponse:
    item = get_object_or_404(CommunicationItem, pk=audience_pk, plan__review=review) if audience_pk else None

    def apply(data):
        saved = services.communication_item_save(review=review, actor=request.user, item=item, **data)
        return f"Saved: {saved.audience_label}."

    return row_page(
        request,
        review,
        item,
        CommunicationItemForm,
        ITEM_FIELDS,
        apply,
        heading=f"Change: {item.audience_label}" if item else "Add an audience",
        back=_back(review),
    )


class RemoveForm(GovukForm):
    confirm = forms.CharField(required=False, widget=forms.HiddenInput, initial="yes")


@review_view("run")
def review_communication_item_remove(request: HttpRequest, review, access, audience_pk: int) -> HttpResponse:
    item = get_object_or_404(CommunicationItem, pk=audience_pk, plan__review=review)

    def apply(data):
        services.communication_item_remove(item=item, actor=request.user)
        return f"Removed from the communications plan: {item.audience_label}."

    return form_page(
        request,
        review=review,
        form=RemoveForm(posted_data(request)),
        apply=apply,
        heading=f"Remove from the communications plan: {item.audience_label}",
        button="Remove",
        warning_button=True,
        intro=[f"What they are told: {item.message}"],
        back=_back(review),
    )
