"""Issue 16, clause 2: a request for further information reopens only the parts of the IMR the panel names,
and the IMR is signed again (the author's declaration, then the head of agency's sign-off, each from their
own account) before it is presented again and can be final."""

import datetime as dt
import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from imr import selectors, services
from imr.models import IMR, IMRState
from imr.services import workflow
from scr_portal.models import TransitionLog

from ..factories import date_fields
from .factories import TODAY, advance, author_sign, head_of, head_sign, invite_interview
from .service_helpers import deadlines, pdf, refused

pytestmark = pytest.mark.django_db

DUE = TODAY + dt.timedelta(days=14)


@pytest.fixture
def presented(imr_x, contact_x, panel_a):
    return advance(imr_x, IMRState.PRESENTED, contact=contact_x, panel=panel_a)


def ask(imr, panel, parts=("analysis", "chronology")):
    return services.imr_request_further_information(
        imr=imr, actor=panel, parts=list(parts), request="More on the GP's involvement.", due_date=DUE
    )


def state_of(imr) -> str:
    return IMR.objects.get(pk=imr.pk).state


def provided(imr, panel):
    ask(imr, panel)
    services.imr_update_section(imr=imr, actor=imr.author, analysis="With the GP's records.")
    services.imr_provide_further_information(imr=imr, actor=imr.author, response="Added the GP's records.")
    return IMR.objects.get(pk=imr.pk)


# --- The request names its parts ----------------------------------------------------------------------


def test_a_request_must_name_the_parts_it_reopens(presented, panel_a):
    for parts, message in (([], workflow.PARTS_REQUIRED), (["analysis", "cover"], workflow.UNKNOWN_PART)):
        refused(lambda parts=parts: ask(presented, panel_a, parts), message)
    assert state_of(presented) == IMRState.PRESENTED
    signed = selectors.current_sign_off(presented)
    asked = ask(presented, panel_a, ["chronology", "analysis"])
    assert asked.parts == ["analysis", "chronology"]
    assert asked.part_titles == ["Analysis of involvement", "Chronology"]
    assert state_of(presented) == IMRState.FURTHER_INFO_REQUESTED
    log = TransitionLog.objects.get(object_id=presented.pk, transition="request_further_information")
    assert "Analysis of involvement, Chronology" in log.reason
    # The signatures covered the IMR as it was: they are set aside, kept, and given again later.
    signed.refresh_from_db()
    assert signed.superseded_at is not None and selectors.current_sign_off(presented) is None


def test_only_the_asked_parts_can_be_changed(presented, panel_a):
    imr = presented
    ask(imr, panel_a)
    author = imr.author
    services.imr_update_section(imr=imr, actor=author, analysis="With the GP's records.")
    before = imr.chronology.count()
    services.chronology_entry_save(
        imr=imr,
        actor=author,
        event_no=before + 1,
        date=TODAY - dt.timedelta(days=400),
        time=None,
        family_member="M",
        child_seen=False,
        event="The GP saw the mother.",
        agency_source="GP",
        action_taken="",
        note="",
    )
    assert IMR.objects.get(pk=imr.pk).analysis == "With the GP's records."
    assert imr.chronology.count() == before + 1
    not_asked = {
        "Summary of facts": lambda: services.imr_update_section(imr=imr, actor=author, summary_of_facts="x"),
        "Report document": lambda: services.imr_report_upload(imr=imr, actor=author, upload=pdf()),
        "Appendices": lambda: services.imr_appendix_add(imr=imr, actor=author, title="Minutes", upload=pdf()),
        "Genogram": lambda: services.genogram_person_save(imr=imr, actor=author, label="Mother", sex="F"),
        "Interviews with practitioners": lambda: invite_interview(imr, interview_date=TODAY),
        "Single-agency action plan": lambda: services.plan_recommendation_save(
            imr=imr, actor=author, outcome="O", recommendation="R", audit_information=""
        ),
    }
    for title, change in not_asked.items():
        refused(change, f"reopens only: Analysis of involvement, Chronology. {title} cannot be changed")
    assert IMR.objects.get(pk=imr.pk).summary_of_facts != "x"


# --- A fresh sign-off before the IMR is presented again -----------------------------------------------


def test_the_further_information_is_signed_by_the_author_then_the_head_before_it_is_presented(
    presented, panel_a, contact_x, head_x, agency_y
):
    imr = provided(presented, panel_a)
    assert imr.state == IMRState.FURTHER_INFO_PROVIDED
    assert imr.information_requests.get().response == "Added the GP's records."
    # Sent: the asked parts close again.
    refused(
        lambda: services.imr_update_section(imr=imr, actor=imr.author, analysis="Later."),
        services.NOT_EDITABLE,
    )
    for step in (
        lambda: services.imr_finalise(imr=imr, actor=panel_a),
        lambda: head_sign(imr),
        lambda: services.imr_request_further_information(
            imr=imr, actor=panel_a, parts=["facts"], request="More.", due_date=DUE
        ),
    ):
        refused(step, services.CANNOT_NOW)
    with pytest.raises(PermissionDenied):
        services.imr_author_sign(imr=imr, actor=head_x, signature="Pat Chief", signed_on=TODAY)
    author_sign(imr)
    assert state_of(imr) == IMRState.FURTHER_INFO_AUTHOR_SIGNED
    refused(lambda: services.imr_finalise(imr=imr, actor=panel_a), services.CANNOT_NOW)
    for not_head in (imr.author, contact_x, head_of(agency_y)):
        with pytest.raises(PermissionDenied):
            services.imr_sign_off(imr=imr, actor=not_head, signature=not_head.full_name, signed_on=TODAY)
    assert deadlines(imr, "further-information").get().status != "met"
    signed = head_sign(imr)
    assert state_of(imr) == IMRState.PRESENTED
    assert signed.is_complete and signed == selectors.current_sign_off(imr)
    assert imr.sign_offs.count() == 2
    assert deadlines(imr, "further-information").get().status == "met"
    assert list(
        TransitionLog.objects.filter(object_id=imr.pk, to_state__startswith="further_info").values_list(
            "transition", "to_state"
        )
    ) == [
        ("request_further_information", IMRState.FURTHER_INFO_REQUESTED),
        ("provide_further_information", IMRState.FURTHER_INFO_PROVIDED),
        ("author_sign", IMRState.FURTHER_INFO_AUTHOR_SIGNED),
    ]
    assert TransitionLog.objects.filter(
        object_id=imr.pk, transition="sign_off", to_state="presented"
    ).exists()
    services.imr_finalise(imr=imr, actor=panel_a)
    assert state_of(imr) == IMRState.FINAL


@pytest.mark.parametrize("signed_by_author", [False, True])
def test_the_agency_returns_the_further_information_to_the_author(
    presented, panel_a, head_x, signed_by_author
):
    imr = provided(presented, panel_a)
    if signed_by_author:
        author_sign(imr)
    services.imr_return_to_author(imr=imr, actor=head_x, reason="Say what the GP was told.")
    imr = IMR.objects.get(pk=imr.pk)
    assert imr.state == IMRState.FURTHER_INFO_REQUESTED
    assert imr.open_information_request().response == "Added the GP's records."
    assert selectors.current_sign_off(imr) is None
    services.imr_update_section(imr=imr, actor=imr.author, analysis="And what the GP was told.")
    refused(
        lambda: services.imr_update_section(imr=imr, actor=imr.author, lessons="x"),
        "What do we learn from this case? cannot be changed",
    )
    services.imr_provide_further_information(
        imr=imr, actor=imr.author, response="Added what the GP was told."
    )
    author_sign(imr)
    head_sign(imr)
    assert state_of(imr) == IMRState.PRESENTED


# --- Through the pages --------------------------------------------------------------------------------


def test_the_request_page_refuses_a_request_that_names_no_part(client_as, presented, panel_a):
    client = client_as(panel_a)
    page = reverse("imr_request_information", args=[presented.pk])
    assert 'name="parts" value="analysis"' in client.get(page).content.decode()
    typed = {"request": "More on the GP's involvement."} | date_fields("due_date", DUE)
    response = client.post(page, typed)
    content = html.unescape(response.content.decode())
    assert response.status_code == 200 and "govuk-error-summary" in content
    assert "Select the parts of the IMR the author needs to change" in content
    assert "More on the GP's involvement." in content and f'value="{DUE.year}"' in content
    assert state_of(presented) == IMRState.PRESENTED
    assert client.post(page, typed | {"parts": ["analysis", "chronology"]}).status_code == 302
    assert presented.information_requests.get().parts == ["analysis", "chronology"]
    assert state_of(presented) == IMRState.FURTHER_INFO_REQUESTED


def test_the_author_changes_only_the_asked_parts_through_the_pages(client_as, presented, panel_a):
    imr = presented
    ask(imr, panel_a)
    client = client_as(imr.author)
    detail = client.get(reverse("imr_detail", args=[imr.pk])).content.decode()
    assert reverse("imr_section", args=[imr.pk, "analysis"]) in detail
    assert reverse("imr_section", args=[imr.pk, "facts"]) not in detail
    assert reverse("imr_report_upload", args=[imr.pk]) not in detail

    asked = reverse("imr_section", args=[imr.pk, "analysis"])
    assert client.get(asked).status_code == 200
    assert client.post(asked, {"analysis": "With the GP's records."}).status_code == 302
    assert IMR.objects.get(pk=imr.pk).analysis == "With the GP's records."
    assert client.get(reverse("imr_chronology_entry_add", args=[imr.pk])).status_code == 200

    for page, data in (
        (reverse("imr_section", args=[imr.pk, "facts"]), {"summary_of_facts": "Changed."}),
        (reverse("imr_genogram_person_add", args=[imr.pk]), {"label": "Mother", "sex": "F"}),
        (reverse("imr_plan_recommendation_add", args=[imr.pk]), {"outcome": "O", "recommendation": "R"}),
        (reverse("imr_interview_add", args=[imr.pk]), {}),
    ):
        for response in (client.get(page, follow=True), client.post(page, data, follow=True)):
            assert response.redirect_chain[-1][0] == reverse("imr_detail", args=[imr.pk])
            assert "reopens only: Analysis of involvement, Chronology." in html.unescape(
                response.content.decode()
            )
    unchanged = IMR.objects.get(pk=imr.pk)
    assert unchanged.summary_of_facts != "Changed." and not unchanged.genogram_people.exists()
    assert not unchanged.plan_recommendations.filter(outcome="O").exists()


def test_no_return_to_presented_without_both_signatures_through_the_pages(
    client_as, presented, panel_a, head_x
):
    imr = presented
    ask(imr, panel_a)
    detail = reverse("imr_detail", args=[imr.pk])
    send = reverse("imr_provide_information", args=[imr.pk])
    author_page = reverse("imr_author_sign", args=[imr.pk])
    head_page = reverse("imr_sign_off", args=[imr.pk])
    final = reverse("imr_confirm", args=[imr.pk, "final"])

    author = client_as(imr.author)
    assert send in author.get(detail).content.decode()
    assert "Analysis of involvement, Chronology" in author.get(send).content.decode()
    response = author.post(send, {"response": "Added the GP's records."})
    assert response.status_code == 302 and response.url == author_page
    assert state_of(imr) == IMRState.FURTHER_INFO_PROVIDED
    assert author.get(head_page).status_code == 403

    panel = client_as(panel_a)
    assert final not in panel.get(detail).content.decode()
    assert panel.post(final, {}).status_code == 200
    assert state_of(imr) == IMRState.FURTHER_INFO_PROVIDED

    head = client_as(head_x)
    assert head.get(head_page).status_code == 302  # the author has not signed yet
    assert head.get(author_page).status_code == 403

    author = client_as(imr.author)
    signed = {"signature": "Nina Xauthor"} | date_fields("signed_on", TODAY)
    assert author.post(author_page, signed).status_code == 302
    assert state_of(imr) == IMRState.FURTHER_INFO_AUTHOR_SIGNED

    head = client_as(head_x)
    assert head_page in head.get(detail).content.decode()
    assert reverse("imr_detail", args=[imr.pk]) in head.get("/").content.decode()
    response = head.post(head_page, {"signature": "Pat Chief"} | date_fields("signed_on", TODAY), follow=True)
    assert "The panel has it again." in response.content.decode()
    assert state_of(imr) == IMRState.PRESENTED
    assert final in client_as(panel_a).get(detail).content.decode()


def test_another_agencys_people_cannot_open_the_further_information_pages(
    client_as, presented, panel_a, imr_y, agency_y
):
    imr = presented
    ask(imr, panel_a)
    pages = [
        reverse("imr_provide_information", args=[imr.pk]),
        reverse("imr_request_information", args=[imr.pk]),
        reverse("imr_section", args=[imr.pk, "analysis"]),
        reverse("imr_author_sign", args=[imr.pk]),
        reverse("imr_sign_off", args=[imr.pk]),
    ]
    for other in (imr_y.author, head_of(agency_y)):
        client = client_as(other)
        for page in pages:
            assert client.get(page).status_code == 404
            assert client.post(page, {"response": "x", "analysis": "x"}).status_code == 404
    assert client_as(imr.author).get(pages[1]).status_code == 403
    assert IMR.objects.get(pk=imr.pk).analysis != "x"
