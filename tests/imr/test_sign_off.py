"""Issue 16, clause 2: the head of agency signs off from their own account after the author's declaration;
an empty action plan needs the author's reason for making no recommendations; the agency's QA returns the
IMR to the author; the author can be replaced (the old one loses access); an IMR can be cancelled."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from guardian.shortcuts import get_perms

from imr import permissions, selectors, services
from imr.models import IMR, IMRState
from imr.services import commissioning, signoff, workflow
from scr_portal.models import Role, TransitionLog

from ..factories import date_fields, member
from .factories import NOMINATION, TODAY, add_plan, advance, author_sign, head_of, head_sign
from .service_helpers import deadlines, refused
from .test_views import nomination

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_agency_qa(imr_x, contact_x, panel_a):
    return advance(imr_x, IMRState.AGENCY_QA, contact=contact_x, panel=panel_a)


def test_the_author_signs_then_the_head_of_agency_signs_off_from_their_own_account(
    at_agency_qa, head_x, contact_x
):
    imr = at_agency_qa
    add_plan(imr)
    with pytest.raises(PermissionDenied):
        services.imr_author_sign(imr=imr, actor=head_x, signature="Pat Chief", signed_on=TODAY)
    author_sign(imr)
    assert IMR.objects.get(pk=imr.pk).state == IMRState.AUTHOR_SIGNED
    for not_head in (imr.author, contact_x):
        with pytest.raises(PermissionDenied, match="Only the agency's head"):
            services.imr_sign_off(imr=imr, actor=not_head, signature=not_head.full_name, signed_on=TODAY)
    refused(
        lambda: services.imr_sign_off(imr=imr, actor=head_x, signature="Someone Else", signed_on=TODAY),
        "Your signature must be your full name: Pat Chief.",
    )
    signed = head_sign(imr)
    assert (signed.author_signature, signed.recorded_by) == ("Nina Xauthor", imr.author)
    assert (signed.head_name, signed.head_title, signed.head_signed_by) == (
        "Pat Chief",
        "Chief Constable",
        head_x,
    )
    assert signed.is_complete
    assert IMR.objects.get(pk=imr.pk).state == IMRState.SIGNED_OFF


def test_another_agencys_head_cannot_sign_off(at_agency_qa, agency_y):
    add_plan(at_agency_qa)
    author_sign(at_agency_qa)
    with pytest.raises(PermissionDenied):
        head_sign(at_agency_qa, actor=head_of(agency_y))


def test_an_empty_action_plan_needs_the_authors_reason_for_no_recommendations(at_agency_qa, head_x):
    imr = at_agency_qa
    refused(lambda: author_sign(imr), signoff.NO_RECOMMENDATIONS_REASON_REQUIRED)
    author_sign(imr, no_recommendations_reason="The agency's practice met its procedures throughout.")
    assert selectors.current_sign_off(imr).no_recommendations_reason.startswith("The agency's practice")
    assert head_sign(imr).is_complete


def test_every_recommendation_still_needs_an_action(at_agency_qa):
    add_plan(at_agency_qa)
    services.plan_recommendation_save(
        imr=at_agency_qa, actor=at_agency_qa.author, outcome="O", recommendation="R", audit_information=""
    )
    refused(lambda: author_sign(at_agency_qa), "Add actions to recommendation 2.")


@pytest.mark.parametrize("signed_by_author", [False, True])
def test_the_agencys_qa_returns_the_imr_to_the_author(at_agency_qa, contact_x, head_x, signed_by_author):
    imr = at_agency_qa
    add_plan(imr)
    if signed_by_author:
        author_sign(imr)
    with pytest.raises(PermissionDenied):
        services.imr_return_to_author(imr=imr, actor=imr.author, reason="More analysis.")
    refused(
        lambda: services.imr_return_to_author(imr=imr, actor=contact_x, reason=" "),
        signoff.RETURN_REASON_REQUIRED,
    )
    returned = services.imr_return_to_author(imr=imr, actor=head_x, reason="More analysis of the referral.")
    assert returned.state == IMRState.IN_PREPARATION
    assert selectors.current_sign_off(imr) is None
    assert TransitionLog.objects.filter(object_id=imr.pk, transition="return_to_author").get().reason == (
        "More analysis of the referral."
    )
    services.imr_update_section(imr=imr, actor=imr.author, analysis="More analysis.")


def test_the_author_can_be_replaced_and_the_old_one_loses_access(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)
    old = imr.author
    named = {"email": "olu.new@example.org", "full_name": "Olu Newauthor", **NOMINATION}
    with pytest.raises(PermissionDenied):
        services.imr_replace_author(imr=imr, actor=old, **named)
    refused(
        lambda: services.imr_replace_author(imr=imr, actor=contact_x, **named | {"email": old.email}),
        commissioning.SAME_AUTHOR,
    )
    replaced = services.imr_replace_author(imr=imr, actor=contact_x, **named)
    new = replaced.author
    assert (new.full_name, replaced.state) == ("Olu Newauthor", IMRState.IN_PREPARATION)
    assert get_perms(old, imr) == [] and "author_imr" in get_perms(new, imr)
    assert not permissions.imr_access(old, imr).sees
    assert imr.declarations.count() == 2
    assert list(deadlines(imr, "imr-completed").get().responsible_users.filter(pk=old.pk)) == []
    assert TransitionLog.objects.filter(object_id=imr.pk, transition="replace_author").exists()
    services.imr_update_section(imr=imr, actor=new, analysis="The new author's analysis.")


def test_an_imr_is_cancelled_with_a_reason_and_its_deadlines_cancelled(imr_x, contact_x, panel_a, manager_a):
    imr = advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)
    with pytest.raises(PermissionDenied):
        services.imr_cancel(imr=imr, actor=contact_x, reason="Not needed.")
    refused(lambda: services.imr_cancel(imr=imr, actor=manager_a, reason=""), workflow.CANCEL_REASON_REQUIRED)
    cancelled = services.imr_cancel(imr=imr, actor=manager_a, reason="The agency was asked in error.")
    assert (cancelled.state, cancelled.cancelled_reason) == (
        IMRState.CANCELLED,
        "The agency was asked in error.",
    )
    assert set(deadlines(imr).values_list("status", flat=True)) <= {"cancelled", "met", "met_late"}
    assert deadlines(imr, "imr-completed").get().status == "cancelled"
    refused(lambda: services.imr_cancel(imr=imr, actor=manager_a, reason="Again."), services.CANNOT_NOW)


# --- Through the pages --------------------------------------------------------------------------------


def test_the_sign_off_pages_each_for_their_own_signer(client_as, at_agency_qa, head_x):
    imr = at_agency_qa
    detail = reverse("imr_detail", args=[imr.pk])
    author_page = reverse("imr_author_sign", args=[imr.pk])
    head_page = reverse("imr_sign_off", args=[imr.pk])
    author = client_as(imr.author)
    assert author_page in author.get(detail).content.decode()
    empty_plan = author.post(author_page, {"signature": "Nina Xauthor"} | date_fields("signed_on", TODAY))
    assert "govuk-error-summary" in empty_plan.content.decode()
    assert signoff.NO_RECOMMENDATIONS_REASON_REQUIRED in html.unescape(empty_plan.content.decode())
    response = author.post(
        author_page,
        {
            "signature": "Nina Xauthor",
            "no_recommendations_reason": "No lessons beyond practice already changed.",
        }
        | date_fields("signed_on", TODAY),
    )
    assert response.status_code == 302
    assert author.get(head_page).status_code == 403

    head = client_as(head_x)
    page = head.get(detail).content.decode()
    assert head_page in page and "No lessons beyond practice already changed." in page
    wrong = head.post(head_page, {"signature": "Nina Xauthor"} | date_fields("signed_on", TODAY))
    assert "Your signature must be your full name: Pat Chief." in html.unescape(wrong.content.decode())
    assert (
        head.post(head_page, {"signature": "Pat Chief"} | date_fields("signed_on", TODAY)).status_code == 302
    )
    assert IMR.objects.get(pk=imr.pk).state == IMRState.SIGNED_OFF
    assert "Pat Chief, Chief Constable" in head.get(detail).content.decode()


def test_the_agency_returns_cancels_and_replaces_through_the_pages(
    client_as, at_agency_qa, contact_x, manager_a
):
    imr = at_agency_qa
    client = client_as(contact_x)
    back = reverse("imr_return_to_author", args=[imr.pk])
    assert "Say what the author needs to change" in client.post(back, {}).content.decode()
    assert client.post(back, {"reason": "More on supervision."}).status_code == 302
    assert IMR.objects.get(pk=imr.pk).state == IMRState.IN_PREPARATION

    replace = reverse("imr_replace_author", args=[imr.pk])
    response = client.post(replace, nomination(email="olu.new@example.org", full_name="Olu Newauthor"))
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    assert IMR.objects.get(pk=imr.pk).author.full_name == "Olu Newauthor"

    cancel = reverse("imr_cancel", args=[imr.pk])
    assert client.get(cancel).status_code == 403
    manager = client_as(manager_a)
    assert "Give the reason for cancelling the IMR" in manager.post(cancel, {}).content.decode()
    assert manager.post(cancel, {"reason": "Asked in error."}).status_code == 302
    assert IMR.objects.get(pk=imr.pk).state == IMRState.CANCELLED
    assert cancel not in manager.get(reverse("imr_detail", args=[imr.pk])).content.decode()


def test_a_head_of_agency_membership_needs_its_agency(board_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        member(board=board_a, role=Role.HEAD_OF_AGENCY, full_name="No Agency")


def test_the_heads_home_page_lists_the_imrs_waiting_for_their_sign_off(client_as, at_agency_qa, head_x):
    client = client_as(head_x)
    assert "No IMR of your agency is waiting for your sign-off." in client.get("/").content.decode()
    add_plan(at_agency_qa)
    author_sign(at_agency_qa)
    page = client.get("/").content.decode()
    assert "IMRs to sign off" in page and reverse("imr_detail", args=[at_agency_qa.pk]) in page
