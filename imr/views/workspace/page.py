"""The IMR page: its state, deadlines, history and the actions each person may take."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from reviews.selectors import approved_tor
from scr_portal.documents.owners import senior_may
from scr_portal.pagecache import cached_page

from ...models import IMR, IMRState, InterviewState
from ...parts import APPENDICES, REPORT
from ...permissions import IMRAccess
from ...sections import SECTIONS
from ...selectors import (
    current_sign_off,
    imr_history,
    imr_rows,
    plan_with_gaps,
    report_checks,
    report_versions,
)
from .._common import shown_page

INTERVIEW_TAGS = {
    InterviewState.INVITED: "govuk-tag--blue",
    InterviewState.HELD: "govuk-tag--light-blue",
    InterviewState.SUMMARY_SENT: "govuk-tag--yellow",
    InterviewState.SIGNED: "govuk-tag--green",
    InterviewState.DISAGREEMENT_NOTED: "govuk-tag--orange",
    InterviewState.CANCELLED: "govuk-tag--grey",
    InterviewState.DECLINED: "govuk-tag--grey",
}


def _url(name: str, imr: IMR, *args) -> str:
    return reverse(name, args=[imr.pk, *args])


# Buttons for a django-fsm transition, offered when it can run now and the user has its permission action:
# (transition, action, label, page, warning).
SIGNING_BUTTONS = (
    ("author_sign", "author_sign", "Sign the IMR as its author", "imr_author_sign", False),
    ("sign_off", "sign_off", "Sign off the IMR as head of agency", "imr_sign_off", False),
    ("return_to_author", "return_to_author", "Return the IMR to the author", "imr_return_to_author", True),
)
LAST_BUTTONS = (
    (
        "provide_further_information",
        "provide_information",
        "Send the further information",
        "imr_provide_information",
        False,
    ),
    ("replace_author", "replace_author", "Replace the author", "imr_replace_author", False),
    ("cancel", "cancel", "Cancel the IMR", "imr_cancel", True),
)


def _actions(imr: IMR, access: IMRAccess) -> list[dict]:
    """The buttons of the IMR page: what this user may do now."""
    offer = []

    def add(label, url, warning=False):
        offer.append({"label": label, "url": url, "warning": warning})

    def add_guarded(buttons):
        for transition, action, label, page, warning in buttons:
            if can_proceed(getattr(imr, transition)) and access.may(action):
                add(label, _url(page, imr), warning)

    state = imr.state
    if state == IMRState.REQUESTED and access.may("nominate"):
        add("Name the author", _url("imr_nominate", imr))
        add("Record a nil return", _url("imr_nil_return", imr), warning=True)
    if access.may("write"):
        if state == IMRState.AUTHOR_NOMINATED:
            add("Start preparing the IMR", _url("imr_start", imr))
        if state == IMRState.RETURNED_FOR_REWORK:
            add("Start the rework", _url("imr_start", imr))
        if state == IMRState.IN_PREPARATION:
            add("Send for factual check", _url("imr_confirm", imr, "factual-check"))
    if state == IMRState.FACTUAL_CHECK and access.may("agency_qa"):
        add("Send for the agency's quality assurance", _url("imr_confirm", imr, "agency-qa"))
    add_guarded(SIGNING_BUTTONS)
    if state == IMRState.SIGNED_OFF and access.may("submit"):
        add("Submit the IMR to the panel", _url("imr_confirm", imr, "submit"))
    if state == IMRState.SUBMITTED and access.may("quality_assure"):
        add("Quality-assure the IMR", _url("imr_quality_assurance", imr))
    if state == IMRState.ACCEPTED and access.may("present"):
        add("Record the presentation", _url("imr_confirm", imr, "present"))
    if state == IMRState.PRESENTED:
        if access.may("request_information"):
            add("Ask for further information", _url("imr_request_information", imr))
        if access.may("finalise"):
            add("Mark the IMR as final", _url("imr_confirm", imr, "final"))
    add_guarded(LAST_BUTTONS)
    return offer


def _checked_versions(imr: IMR) -> list:
    """The report's versions, newest first, each with its latest anonymisation check as `.check`."""
    versions = list(report_versions(imr).select_related("uploaded_by"))
    checks = report_checks(versions)
    for version in versions:
        version.check = checks.get(version.pk)
    return versions


@cached_page
@shown_page()
def imr_detail(request: HttpRequest, imr: IMR, access: IMRAccess) -> HttpResponse:
    row = imr_rows([imr], today=timezone.localdate())[0]
    recommendations, missing_actions = plan_with_gaps(imr)
    # What `editable` says of each part, read once.
    writable = imr.writable_parts() if access.may("write") else frozenset()
    return render(
        request,
        "imr/detail.html",
        {
            "imr": imr,
            "row": row,
            "access": access,
            "actions": _actions(imr, access),
            "report_editable": REPORT in writable,
            "appendices_editable": APPENDICES in writable,
            "tor": approved_tor(imr.review),
            "declaration": imr.declarations.first(),
            "sections": [
                (
                    section,
                    [(item, getattr(imr, item.name)) for item in section.fields],
                    section.slug in writable,
                )
                for section in SECTIONS
            ],
            "report_versions": _checked_versions(imr),
            "may_override": senior_may(request.user, imr.review.board, "override"),
            "appendices": list(imr.appendices.select_related("file")),
            "chronology_count": imr.chronology.count(),
            "people_count": imr.genogram_people.count(),
            "interviews": list(imr.interviews.all()) if access.sees_interviews else None,
            "recommendations": recommendations,
            "missing_actions": missing_actions,
            "sign_off": current_sign_off(imr),
            "quality_assurances": list(imr.quality_assurances.select_related("decided_by")),
            "information_requests": list(imr.information_requests.select_related("requested_by")),
            "history": imr_history(imr),
        },
    )
