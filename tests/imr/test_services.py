"""The IMR services from commissioning to the author's nomination and the nil return: every transition and
guard of domain brief §4.3, wrong roles refused with the message users see, deadlines through the clock,
and emails without names after commit."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_perms

from imr import selectors, services
from imr.models import IMR, IMRState
from imr.services import commissioning
from scr_portal.models import BoardTimescale, DeadlineRule, TransitionLog, User

from ..factories import AgencyFactory
from .factories import (
    NOMINATION,
    TODAY,
    commission,
    nominate,
    review_ready,
)
from .service_helpers import deadlines, refused

pytestmark = pytest.mark.django_db


# --- Commissioning ------------------------------------------------------------------------------------


def test_commission_needs_approved_terms_of_reference(board_a, manager_a, agency_x):
    review = review_ready(board=board_a, created_by=manager_a, approved=False)
    refused(lambda: commission(review, [agency_x], actor=manager_a), commissioning.NO_APPROVED_TOR)
    assert not IMR.objects.exists()


def test_commission_makes_one_imr_per_agency_due_one_calendar_month_later(
    review_a, board_a, manager_a, agency_x
):
    outside = AgencyFactory(board=board_a, name="Eastport Children's Services", out_of_area=True)
    made = commission(review_a, [agency_x, outside], actor=manager_a, nominate_by=dt.date(2027, 1, 18))
    assert {imr.agency for imr in made} == {agency_x, outside}
    for imr in made:
        assert imr.state == IMRState.REQUESTED
        assert deadlines(imr, "imr-completed").get().due_date == dt.date(2027, 2, 11)
        assert deadlines(imr, "imr-author-named").get().due_date == dt.date(2027, 1, 18)
        log = TransitionLog.objects.get(object_id=imr.pk, content_type__model="imr")
        assert (log.transition, log.to_state, log.actor) == ("commission", "requested", manager_a)


def test_imr_due_date_is_the_boards_timescale_setting(review_a, board_a, manager_a, agency_x):
    BoardTimescale.objects.create(
        board=board_a, rule=DeadlineRule.objects.get(code="imr-completed"), amount=6, unit="weeks"
    )
    (imr,) = commission(review_a, [agency_x], actor=manager_a)
    assert deadlines(imr, "imr-completed").get().due_date == dt.date(2027, 2, 22)


def test_commission_refuses_an_agency_twice_other_boards_agency_and_a_past_date(
    review_a, manager_a, agency_x, board_b
):
    commission(review_a, [agency_x], actor=manager_a)
    refused(
        lambda: commission(review_a, [agency_x], actor=manager_a),
        "An IMR has already been commissioned from Alpha Police.",
    )
    refused(
        lambda: commission(review_a, [AgencyFactory(board=board_b)], actor=manager_a),
        commissioning.AGENCY_OF_OTHER_BOARD,
    )
    refused(
        lambda: commission(
            review_a,
            [AgencyFactory(board=review_a.board)],
            actor=manager_a,
            nominate_by=TODAY - dt.timedelta(days=1),
        ),
        commissioning.NOMINATE_BY_PAST,
    )
    refused(lambda: commission(review_a, [], actor=manager_a), commissioning.NO_AGENCIES)


def test_panel_members_and_the_business_unit_commission(review_a, panel_a, agency_x):
    (imr,) = commission(review_a, [agency_x], actor=panel_a)
    assert imr.commissioned_by == panel_a


@pytest.mark.parametrize("persona", ["contact_x", "chair_a", "panel_other", "manager_b", "auditor_a"])
def test_only_the_panel_or_business_unit_commission(request, review_a, agency_x, persona):
    with pytest.raises(PermissionDenied):
        commission(review_a, [agency_x], actor=request.getfixturevalue(persona))


def test_commissioning_emails_the_agency_contacts_with_the_case_reference_only(
    review_a, manager_a, agency_x, contact_x, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (imr,) = commission(review_a, [agency_x], actor=manager_a)
    (email,) = mail.outbox
    assert email.to == [contact_x.email]
    assert imr.case_reference in email.subject
    assert "Jamie" not in email.body and "Testcase" not in email.body


# --- Nomination and the independence declaration ------------------------------------------------------


def test_nomination_creates_an_outside_account_with_rights_on_that_imr_only(imrs, contact_x):
    imr = nominate(imrs["x"], actor=contact_x, email="New.Author@Example.org", full_name="Nina Author")
    author = imr.author
    assert imr.state == IMRState.AUTHOR_NOMINATED
    assert (author.email, author.full_name, author.has_usable_password()) == (
        "New.Author@example.org",
        "Nina Author",
        False,
    )
    assert not author.memberships.exists()
    assert set(get_perms(author, imr)) == {"view_imr", "change_imr", "author_imr", "view_imr_interviews"}
    assert get_perms(author, imrs["y"]) == []
    declaration = imr.declarations.get()
    assert (declaration.directly_involved, declaration.line_manager_of_practitioners) == (False, False)
    assert deadlines(imr, "imr-author-named").get().status == "met"
    collate = deadlines(imr, "chronology-collated").get()
    assert (collate.due_date, list(collate.responsible_users.all())) == (dt.date(2027, 1, 18), [author])
    assert author in deadlines(imr, "imr-completed").get().responsible_users.all()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"directly_involved": True}, commissioning.AUTHOR_INVOLVED),
        ({"line_manager_of_practitioners": True}, commissioning.AUTHOR_LINE_MANAGER),
    ],
)
def test_a_failing_independence_answer_blocks_the_nomination(imrs, contact_x, answer, message):
    refused(lambda: nominate(imrs["x"], actor=contact_x, email="conflicted@example.org", **answer), message)
    imrs["x"].refresh_from_db()
    assert imrs["x"].state == IMRState.REQUESTED
    assert not User.objects.filter(email="conflicted@example.org").exists()


def test_a_should_rule_answered_no_needs_a_reason(imrs, contact_x):
    refused(
        lambda: nominate(imrs["x"], actor=contact_x, email="junior@example.org", senior_enough=False),
        commissioning.SHOULD_REASON_REQUIRED,
    )
    imr = nominate(
        imrs["x"],
        actor=contact_x,
        email="junior@example.org",
        senior_enough=False,
        should_reason="Supervised.",
    )
    assert imr.declarations.get().should_reason == "Supervised."


def test_an_existing_account_is_reused(imrs, contact_x, contact_y):
    imr = nominate(imrs["x"], actor=contact_x, email=contact_y.email.upper())
    assert imr.author == contact_y


@pytest.mark.parametrize("persona", ["contact_y", "panel_a", "chair_a", "manager_b"])
def test_only_the_agency_or_business_unit_nominates(request, imrs, persona):
    with pytest.raises(PermissionDenied):
        nominate(imrs["x"], actor=request.getfixturevalue(persona), email="someone@example.org")


def test_the_business_unit_may_record_the_nomination(imrs, manager_a):
    assert nominate(imrs["x"], actor=manager_a, email="a@example.org").state == IMRState.AUTHOR_NOMINATED


def test_a_second_nomination_is_refused(imr_x, contact_x):
    refused(lambda: nominate(imr_x, actor=contact_x, email="second@example.org"), services.CANNOT_NOW)


def test_the_invitation_lets_the_author_set_a_password(
    imrs, contact_x, client, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.imr_nominate_author(
            imr=imrs["x"], actor=contact_x, email="invitee@example.org", full_name="Ivy Invitee", **NOMINATION
        )
    invitation = next(email for email in mail.outbox if email.to == ["invitee@example.org"])
    assert "Ivy" not in invitation.body
    path = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", invitation.body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    # Issue 19: the library's "Change Password" on the new author's page; our own page, in sentence case.
    assert "Change Password" not in form_page.text
    assert '<h1 class="govuk-heading-l">Choose your password</h1>' in form_page.text
    password = "a-long-and-unusual-passphrase-42"
    client.post(form_page.redirect_chain[-1][0], {"password1": password, "password2": password})
    assert User.objects.get(email="invitee@example.org").check_password(password)


# --- Nil return ---------------------------------------------------------------------------------------


def test_a_nil_return_is_terminal_and_counts_as_complete(imrs, review_a, contact_x, contact_y):
    refused(
        lambda: services.imr_record_nil_return(imr=imrs["x"], actor=contact_x, reason=" "),
        commissioning.REASON_REQUIRED,
    )
    services.imr_record_nil_return(imr=imrs["x"], actor=contact_x, reason="No involvement.")
    assert not selectors.review_imrs_complete(review_a)
    services.imr_record_nil_return(imr=imrs["y"], actor=contact_y, reason="No involvement.")
    assert selectors.review_imrs_complete(review_a)
    x = IMR.objects.get(pk=imrs["x"].pk)
    assert x.state == IMRState.NIL_RETURN
    assert deadlines(x, "imr-completed").get().status == "met"
    assert deadlines(x, "imr-author-named").get().status == "cancelled"
    refused(lambda: nominate(x, actor=contact_x, email="late@example.org"), services.CANNOT_NOW)


def test_no_nil_return_after_an_author_is_named(imr_x, contact_x):
    refused(
        lambda: services.imr_record_nil_return(imr=imr_x, actor=contact_x, reason="Changed our mind."),
        services.CANNOT_NOW,
    )


def test_nil_return_by_another_agency_is_refused(imrs, contact_y):
    with pytest.raises(PermissionDenied):
        services.imr_record_nil_return(imr=imrs["x"], actor=contact_y, reason="Not us.")
