"""The IMR services from the author's steps to the final IMR: guards, wrong roles refused with the message
users see, sign-off, submission, the panel's quality assurance, and the transition log."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from imr import selectors, services
from imr.models import IMR, IMRState, QADecision
from imr.services import workflow
from scr_portal.models import TransitionLog

from .factories import (
    ALL_MET,
    TODAY,
    add_chronology,
    advance,
    sign_off,
)
from .service_helpers import deadlines, refused

pytestmark = pytest.mark.django_db


# --- The author's steps -------------------------------------------------------------------------------


def test_starting_needs_the_date_records_were_secured(imr_x, author_x):
    # Unknown here: the agency's answer to the referral's check gives it otherwise (issue 19).
    type(imr_x).objects.filter(pk=imr_x.pk).update(records_secured_on=None)
    imr_x.refresh_from_db()
    refused(
        lambda: services.imr_start_preparation(imr=imr_x, actor=author_x), workflow.RECORDS_SECURED_REQUIRED
    )
    refused(
        lambda: services.imr_start_preparation(
            imr=imr_x, actor=author_x, records_secured_on=TODAY + dt.timedelta(days=1)
        ),
        workflow.SIGNED_IN_FUTURE,
    )
    started = services.imr_start_preparation(
        imr=imr_x, actor=author_x, records_secured_on=dt.date(2026, 11, 24)
    )
    assert (started.state, started.records_secured_on) == (IMRState.IN_PREPARATION, dt.date(2026, 11, 24))


@pytest.mark.parametrize("persona", ["author_y", "contact_x", "panel_a", "manager_a"])
def test_only_the_author_starts_and_writes(request, imr_x, imr_y, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.imr_start_preparation(imr=imr_x, actor=actor, records_secured_on=dt.date(2026, 11, 24))


def test_factual_check_needs_a_chronology(imr_x, author_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)
    refused(lambda: services.imr_send_for_factual_check(imr=imr, actor=author_x), workflow.CHRONOLOGY_EMPTY)
    add_chronology(imr)
    assert services.imr_send_for_factual_check(imr=imr, actor=author_x).state == IMRState.FACTUAL_CHECK
    assert deadlines(imr, "chronology-collated").get().status == "met"


def test_the_agency_may_send_for_its_quality_assurance_but_the_panel_may_not(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.FACTUAL_CHECK, contact=contact_x, panel=panel_a)
    with pytest.raises(PermissionDenied):
        services.imr_send_for_agency_qa(imr=imr, actor=panel_a)
    assert services.imr_send_for_agency_qa(imr=imr, actor=contact_x).state == IMRState.AGENCY_QA


def test_an_imr_not_signed_off_cannot_be_submitted(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.AGENCY_QA, contact=contact_x, panel=panel_a)
    refused(lambda: services.imr_submit(imr=imr, actor=imr.author), workflow.NOT_SIGNED_OFF)
    imr = advance(imr, IMRState.SIGNED_OFF, contact=contact_x, panel=panel_a)
    imr.sign_offs.update(head_signature="")  # a damaged sign-off is not "clearly signed off"
    refused(lambda: services.imr_submit(imr=imr, actor=imr.author), workflow.NOT_SIGNED_OFF)


def test_submission_meets_the_imr_deadline_and_freezes_the_imr(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    assert deadlines(imr, "imr-completed").get().status == "met"
    refused(
        lambda: services.imr_update_section(imr=imr, actor=imr.author, analysis="Changed after submission."),
        services.NOT_EDITABLE,
    )


def test_every_transition_is_logged_in_order(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.FINAL, contact=contact_x, panel=panel_a)
    logged = list(
        TransitionLog.objects.filter(content_type__model="imr", object_id=imr.pk).values_list(
            "transition", "to_state"
        )
    )
    assert logged == [
        ("commission", "requested"),
        ("nominate", "author_nominated"),
        ("start_preparation", "in_preparation"),
        ("send_for_factual_check", "factual_check"),
        ("send_for_agency_qa", "agency_qa"),
        ("author_sign", "author_signed"),
        ("sign_off", "signed_off"),
        ("submit", "submitted"),
        ("accept", "accepted"),
        ("present", "presented"),
        ("finalise", "final"),
    ]


# --- The panel's quality assurance --------------------------------------------------------------------


def test_accepting_needs_every_point_answered_and_met(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    with pytest.raises(ValidationError) as caught:
        services.imr_accept(imr=imr, actor=panel_a, points={})
    assert caught.value.message_dict["met_tor"] == [workflow.QA_POINT_UNANSWERED]
    refused(
        lambda: services.imr_accept(imr=imr, actor=panel_a, points=ALL_MET | {"genogram": (False, "")}),
        workflow.ACCEPT_WITH_UNMET,
    )
    qa = services.imr_accept(imr=imr, actor=panel_a, points=ALL_MET, comments="Thorough.")
    assert (qa.decision, IMR.objects.get(pk=imr.pk).state) == (QADecision.ACCEPTED, IMRState.ACCEPTED)


def test_a_return_needs_guidance_on_each_unmet_point_and_a_new_future_date(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    short = ALL_MET | {"analysis": (False, ""), "genogram": (False, "Add the grandparents.")}
    with pytest.raises(ValidationError) as caught:
        services.imr_return_for_rework(imr=imr, actor=panel_a, points=short, new_due_date=TODAY)
    assert caught.value.message_dict == {
        "guidance_analysis": [workflow.GUIDANCE_REQUIRED],
        "new_due_date": [workflow.NEW_DUE_DATE_NOT_FUTURE],
    }
    refused(
        lambda: services.imr_return_for_rework(
            imr=imr, actor=panel_a, points=ALL_MET, new_due_date=TODAY + dt.timedelta(days=14)
        ),
        workflow.RETURN_ALL_MET,
    )


def test_rework_needs_fresh_sign_off_and_returns_are_kept(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    new_date = TODAY + dt.timedelta(days=21)
    services.imr_return_for_rework(
        imr=imr,
        actor=panel_a,
        points=ALL_MET | {"analysis": (False, "Analyse why, not only what.")},
        new_due_date=new_date,
    )
    imr = IMR.objects.get(pk=imr.pk)
    assert imr.state == IMRState.RETURNED_FOR_REWORK
    assert selectors.current_sign_off(imr) is None
    rework = deadlines(imr, "imr-rework").get()
    assert (rework.due_date, rework.status) == (new_date, "open")

    services.imr_start_preparation(imr=imr, actor=imr.author)  # the date records were secured is kept
    services.imr_update_section(imr=imr, actor=imr.author, analysis="Why it happened.")
    services.imr_send_for_factual_check(imr=imr, actor=imr.author)
    services.imr_send_for_agency_qa(imr=imr, actor=imr.author)
    refused(lambda: services.imr_submit(imr=imr, actor=imr.author), workflow.NOT_SIGNED_OFF)
    sign_off(imr)
    services.imr_submit(imr=imr, actor=imr.author)
    assert deadlines(imr, "imr-rework").get().status == "met"
    services.imr_accept(imr=imr, actor=panel_a, points=ALL_MET)
    assert list(imr.quality_assurances.values_list("decision", flat=True)) == ["returned", "accepted"]
    assert imr.sign_offs.count() == 2
    assert imr.sign_offs.filter(superseded_at__isnull=False).count() == 1


@pytest.mark.parametrize("persona", ["manager_a", "chair_a", "panel_other", "contact_x"])
def test_only_the_reviews_panel_quality_assures(request, imr_x, contact_x, panel_a, persona):
    imr = advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    with pytest.raises(PermissionDenied):
        services.imr_accept(imr=imr, actor=request.getfixturevalue(persona), points=ALL_MET)


def test_quality_assurance_before_submission_is_refused(imr_x, panel_a):
    refused(lambda: services.imr_accept(imr=imr_x, actor=panel_a, points=ALL_MET), services.CANNOT_NOW)


# --- After acceptance ---------------------------------------------------------------------------------


def test_presented_further_information_and_final(imr_x, review_a, contact_x, panel_a, manager_a):
    imr = advance(imr_x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    refused(lambda: services.imr_finalise(imr=imr, actor=panel_a), services.CANNOT_NOW)
    services.imr_present(imr=imr, actor=manager_a)
    refused(
        lambda: services.imr_request_further_information(
            imr=imr, actor=panel_a, parts=["facts"], request="More.", due_date=TODAY
        ),
        workflow.REQUEST_DUE_NOT_FUTURE,
    )
    services.imr_request_further_information(
        imr=imr, actor=panel_a, parts=["facts"], request="The GP's records.", due_date=dt.date(2027, 1, 25)
    )
    assert deadlines(imr, "further-information").get().due_date == dt.date(2027, 1, 25)
    with pytest.raises(PermissionDenied):
        services.imr_provide_further_information(imr=imr, actor=contact_x, response="Added.")
    refused(
        lambda: services.imr_provide_further_information(imr=imr, actor=imr.author, response=""),
        workflow.RESPONSE_REQUIRED,
    )
    services.imr_provide_further_information(imr=imr, actor=imr.author, response="Added the GP's records.")
    assert imr.information_requests.get().response == "Added the GP's records."
    # Signed again, by the author and then the head of agency, before the panel has it back.
    refused(lambda: services.imr_finalise(imr=imr, actor=panel_a), services.CANNOT_NOW)
    sign_off(imr)
    assert deadlines(imr, "further-information").get().status == "met"
    services.imr_finalise(imr=imr, actor=panel_a)
    assert IMR.objects.get(pk=imr.pk).state == IMRState.FINAL


def test_the_author_may_change_the_imr_while_further_information_is_asked(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.FURTHER_INFO_REQUESTED, contact=contact_x, panel=panel_a)
    services.imr_update_section(imr=imr, actor=imr.author, summary_of_facts="With the GP's records.")
    assert IMR.objects.get(pk=imr.pk).summary_of_facts == "With the GP's records."


def test_selectors_the_reviews_app_relies_on(review_a, imr_x, imr_y, contact_x, contact_y, panel_a):
    assert set(selectors.imr_authors(review_a)) == {
        (imr_x.author, imr_x.agency),
        (imr_y.author, imr_y.agency),
    }
    assert selectors.is_imr_author_for_review(imr_x.author, review_a)
    advance(imr_x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    assert not selectors.review_imrs_complete(review_a)
    advance(imr_y, IMRState.FINAL, contact=contact_y, panel=panel_a)
    assert selectors.review_imrs_complete(review_a)
