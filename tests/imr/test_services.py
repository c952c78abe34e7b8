"""The IMR services: every transition and guard of domain brief §4.3, illegal transitions and wrong roles
refused with the message users see, deadlines through the clock, the transition log, and emails without
names after commit."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from guardian.shortcuts import get_perms

from imr import selectors, services
from imr.models import IMR, ChronologyEntry, IMRState, InterviewState, QADecision, RelationshipKind, Sex
from imr.services import commissioning, workflow, workspace
from scr_portal.models import BoardTimescale, Deadline, DeadlineRule, StoredFile, TransitionLog, User

from ..factories import AgencyFactory
from .factories import (
    ALL_MET,
    NOMINATION,
    TODAY,
    add_chronology,
    add_plan,
    advance,
    commission,
    nominate,
    review_ready,
    sign_off,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run queued tasks at once, so emails land in mail.outbox when the transaction commits."""
    monkeypatch.setattr(
        "scr_portal.queue._safe_send", lambda task, args, kwargs: task.apply(args=args, kwargs=kwargs)
    )


def deadlines(imr, code=None):
    found = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(IMR), object_id=imr.pk)
    return found.filter(rule__code=code) if code else found


def refused(call, message):
    with pytest.raises(ValidationError) as caught:
        call()
    assert message in " ".join(caught.value.messages)


def pdf(name="report.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def docx(name="report.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


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


# --- The author's steps -------------------------------------------------------------------------------


def test_starting_needs_the_date_records_were_secured(imr_x, author_x):
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


@pytest.mark.parametrize("missing", list(workflow.SIGN_OFF_FIELD_REQUIRED))
def test_sign_off_needs_every_signature_name_title_and_date(imr_x, contact_x, panel_a, missing):
    imr = advance(imr_x, IMRState.AGENCY_QA, contact=contact_x, panel=panel_a)
    add_plan(imr)
    values = {
        "author_signature": imr.author.full_name,
        "author_signed_on": TODAY,
        "head_name": "Pat Chief",
        "head_title": "Chief Constable",
        "head_signature": "Pat Chief",
        "head_signed_on": TODAY,
    } | {missing: None if missing.endswith("_on") else ""}
    refused(
        lambda: services.imr_sign_off(imr=imr, actor=imr.author, **values),
        workflow.SIGN_OFF_FIELD_REQUIRED[missing],
    )
    assert IMR.objects.get(pk=imr.pk).state == IMRState.AGENCY_QA


def test_sign_off_needs_an_action_for_every_recommendation(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.AGENCY_QA, contact=contact_x, panel=panel_a)
    add_plan(imr)
    services.plan_recommendation_save(
        imr=imr,
        actor=imr.author,
        outcome="Outcome two.",
        recommendation="Recommendation two.",
        audit_information="",
    )
    refused(lambda: sign_off(imr), "Add actions to recommendation 2.")


def test_the_author_signature_must_be_the_authors_name(imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.AGENCY_QA, contact=contact_x, panel=panel_a)
    refused(
        lambda: services.imr_sign_off(
            imr=imr,
            actor=contact_x,
            author_signature="Somebody Else",
            author_signed_on=TODAY,
            head_name="Pat Chief",
            head_title="Chief Constable",
            head_signature="Pat Chief",
            head_signed_on=TODAY,
        ),
        "The author's signature must be the author's full name: Nina Xauthor.",
    )


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
            imr=imr, actor=panel_a, request="More.", due_date=TODAY
        ),
        workflow.REQUEST_DUE_NOT_FUTURE,
    )
    services.imr_request_further_information(
        imr=imr, actor=panel_a, request="The GP's records.", due_date=dt.date(2027, 1, 25)
    )
    assert deadlines(imr, "further-information").get().due_date == dt.date(2027, 1, 25)
    with pytest.raises(PermissionDenied):
        services.imr_provide_further_information(imr=imr, actor=contact_x, response="Added.")
    refused(
        lambda: services.imr_provide_further_information(imr=imr, actor=imr.author, response=""),
        workflow.RESPONSE_REQUIRED,
    )
    services.imr_provide_further_information(imr=imr, actor=imr.author, response="Added the GP's records.")
    assert deadlines(imr, "further-information").get().status == "met"
    assert imr.information_requests.get().response == "Added the GP's records."
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


# --- Workspace ----------------------------------------------------------------------------------------


@pytest.fixture
def preparing(imr_x, contact_x, panel_a):
    return advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)


def test_report_versions_are_all_kept_and_checked_by_content(preparing):
    first = services.imr_report_upload(imr=preparing, actor=preparing.author, upload=pdf())
    second = services.imr_report_upload(imr=preparing, actor=preparing.author, upload=docx())
    assert (first.version, second.version) == (1, 2)
    assert [f.file_type for f in selectors.report_versions(preparing)] == ["docx", "pdf"]
    renamed = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    refused(
        lambda: services.imr_report_upload(imr=preparing, actor=preparing.author, upload=renamed),
        "The selected file must be a",
    )


def test_sections_only_take_the_standard_format_fields(preparing):
    services.imr_update_section(
        imr=preparing, actor=preparing.author, contextual_information="  Busy team.  "
    )
    assert IMR.objects.get(pk=preparing.pk).contextual_information == "Busy team."
    refused(
        lambda: services.imr_update_section(imr=preparing, actor=preparing.author, state="final"),
        workspace.UNKNOWN_FIELD,
    )


def test_chronology_rows_keep_event_numbers_unique_and_dates_in_the_past(preparing):
    add_chronology(preparing, rows=1)
    row = {
        "event_no": 1,
        "date": dt.date(2021, 2, 1),
        "time": None,
        "family_member": "F",
        "child_seen": False,
        "event": "Phone call.",
        "agency_source": "",
        "action_taken": "",
        "note": "",
    }
    refused(
        lambda: services.chronology_entry_save(imr=preparing, actor=preparing.author, **row),
        "Event number 1 is already used",
    )
    refused(
        lambda: services.chronology_entry_save(
            imr=preparing,
            actor=preparing.author,
            **(row | {"event_no": 2, "date": TODAY + dt.timedelta(days=1)}),
        ),
        "must be today or in the past",
    )


def test_genogram_lines_join_two_people_of_the_same_imr_once(preparing, imr_y, contact_y, panel_a):
    def person(imr, label, **extra):
        return services.genogram_person_save(imr=imr, actor=imr.author, label=label, sex=Sex.FEMALE, **extra)

    mother, father = person(preparing, "M"), person(preparing, "F")
    other = person(advance(imr_y, IMRState.IN_PREPARATION, contact=contact_y, panel=panel_a), "Y1")
    add = services.genogram_relationship_add
    refused(
        lambda: add(imr=preparing, actor=preparing.author, person_a=mother, person_b=mother, kind="enduring"),
        workspace.SAME_PERSON,
    )
    refused(
        lambda: add(imr=preparing, actor=preparing.author, person_a=mother, person_b=other, kind="enduring"),
        workspace.PERSON_OF_OTHER_IMR,
    )
    add(
        imr=preparing,
        actor=preparing.author,
        person_a=mother,
        person_b=father,
        kind=RelationshipKind.DIVORCED,
    )
    refused(
        lambda: add(imr=preparing, actor=preparing.author, person_a=father, person_b=mother, kind="divorced"),
        workspace.LINE_EXISTS,
    )
    refused(
        lambda: person(preparing, "GM", date_of_death=dt.date(2020, 1, 1)), workspace.DEATH_WITHOUT_DECEASED
    )
    refused(
        lambda: person(
            preparing,
            "GM",
            deceased=True,
            date_of_birth=dt.date(1950, 1, 1),
            date_of_death=dt.date(1940, 1, 1),
        ),
        workspace.DEATH_BEFORE_BIRTH,
    )


def test_interviews_need_two_weeks_notice_unless_agreed_and_a_supporter_not_involved(preparing):
    invite = {
        "interviewee_name": "Sam Worker",
        "job_title": "Social worker",
        "invited_on": TODAY,
        "venue": "Room 4, Police HQ",
    }
    with pytest.raises(ValidationError) as caught:
        services.interview_invite(
            imr=preparing, actor=preparing.author, interview_date=TODAY + dt.timedelta(days=13), **invite
        )
    assert "the interview must be on or after 25/01/2027" in caught.value.messages[0]
    assert not preparing.interviews.exists()
    refused(
        lambda: services.interview_invite(
            imr=preparing,
            actor=preparing.author,
            interview_date=TODAY + dt.timedelta(days=14),
            supporter="A colleague",
            **invite,
        ),
        workspace.SUPPORTER_INVOLVED,
    )
    short = services.interview_invite(
        imr=preparing,
        actor=preparing.author,
        interview_date=TODAY + dt.timedelta(days=3),
        shorter_notice_agreed=True,
        **invite,
    )
    notice = Deadline.objects.get(content_type__model="interview", object_id=short.pk)
    assert (notice.rule.code, notice.due_date) == ("interview-notice", dt.date(2027, 1, 25))


def test_interview_record_goes_held_summary_signed_or_disagreement(preparing, contact_x):
    interview = services.interview_invite(
        imr=preparing,
        actor=preparing.author,
        interviewee_name="Sam Worker",
        job_title="Social worker",
        invited_on=TODAY - dt.timedelta(days=20),
        interview_date=TODAY - dt.timedelta(days=2),
        venue="Room 4",
    )
    refused(
        lambda: services.interview_send_summary(
            interview=interview, actor=preparing.author, summary="S", sent_on=TODAY
        ),
        services.CANNOT_NOW,
    )
    with pytest.raises(PermissionDenied):
        services.interview_record_held(interview=interview, actor=contact_x, held_on=TODAY)
    services.interview_record_held(
        interview=interview, actor=preparing.author, held_on=TODAY - dt.timedelta(days=2)
    )
    services.interview_send_summary(
        interview=interview, actor=preparing.author, summary="What was said.", sent_on=TODAY
    )
    refused(
        lambda: services.interview_record_outcome(
            interview=interview, actor=preparing.author, signed=False, on=TODAY
        ),
        workspace.DISAGREEMENT_REQUIRED,
    )
    done = services.interview_record_outcome(
        interview=interview,
        actor=preparing.author,
        signed=False,
        on=TODAY,
        disagreement="The date of the visit.",
    )
    assert done.state == InterviewState.DISAGREEMENT_NOTED
    assert Deadline.objects.get(content_type__model="interview", object_id=interview.pk).status in (
        "met",
        "met_late",
    )


def test_an_action_needs_a_date_or_ongoing(preparing):
    recommendation = services.plan_recommendation_save(
        imr=preparing, actor=preparing.author, outcome="O", recommendation="R", audit_information=""
    )
    refused(
        lambda: services.plan_action_save(
            imr=preparing,
            actor=preparing.author,
            recommendation=recommendation,
            action="A",
            by_whom="B",
            by_when=None,
            ongoing=False,
        ),
        workspace.TIMESCALE_REQUIRED,
    )
    action = services.plan_action_save(
        imr=preparing,
        actor=preparing.author,
        recommendation=recommendation,
        action="A",
        by_whom="B",
        by_when=None,
        ongoing=True,
    )
    assert (action.number, action.ongoing) == (1, True)


# --- Chronology import --------------------------------------------------------------------------------

HEADER = (
    "Event No,Date,Time,Family Member,Child seen/wishes sought or expressed (Y/N),Event,"
    "Agency source to overview,Action taken,Note\n"
)


def csv_upload(body: str, name="chronology.csv"):
    return SimpleUploadedFile(name, (HEADER + body).encode("utf-8"))


def test_a_bad_import_keeps_nothing(preparing):
    add_chronology(preparing, rows=2)
    files_before = StoredFile.objects.count()
    with pytest.raises(services.ChronologyRejected) as caught:
        services.chronology_import_upload(
            imr=preparing,
            actor=preparing.author,
            upload=csv_upload("1,01/02/2021,25:61,M,Y,Visit,,,\n2,31/02/2021,,M,Yes,Visit,,,\n"),
        )
    problems = {(p.row, p.column) for p in caught.value.result.problems}
    assert problems == {
        (2, "Time"),
        (3, "Date"),
        (3, "Child seen/wishes sought or expressed (Y/N)"),
    }
    assert preparing.chronology.count() == 2
    assert StoredFile.objects.count() == files_before
    assert not preparing.chronology_imports.exists()


def test_a_good_import_is_previewed_then_replaces_the_chronology(preparing):
    add_chronology(preparing, rows=3)
    pending = services.chronology_import_upload(
        imr=preparing,
        actor=preparing.author,
        upload=csv_upload('1,01/02/2021,09:15,M,Y,"=1+1",,,\n2,2021-02-03,,F,n,Phone call,Police,,\n'),
    )
    assert (pending.row_count, preparing.chronology.count()) == (2, 3)
    preview = services.chronology_import_preview(pending, today=TODAY)
    assert [row["event"] for row in preview.rows] == ["=1+1", "Phone call"]
    assert services.chronology_import_save(chronology_import=pending, actor=preparing.author) == 2
    saved = list(preparing.chronology.order_by("event_no").values_list("event", "child_seen", "time"))
    assert saved == [("=1+1", True, dt.time(9, 15)), ("Phone call", False, None)]
    assert deadlines(preparing, "chronology-collated").get().status == "met"
    refused(
        lambda: services.chronology_import_save(chronology_import=pending, actor=preparing.author),
        "already been saved or discarded",
    )


def test_a_discarded_import_changes_nothing(preparing):
    pending = services.chronology_import_upload(
        imr=preparing, actor=preparing.author, upload=csv_upload("1,01/02/2021,,M,Y,Visit,,,\n")
    )
    services.chronology_import_discard(chronology_import=pending, actor=preparing.author)
    assert not ChronologyEntry.objects.exists()


def test_a_renamed_executable_is_refused_by_content(preparing):
    exe = SimpleUploadedFile("chronology.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)
    refused(
        lambda: services.chronology_import_upload(imr=preparing, actor=preparing.author, upload=exe),
        "The selected file must be a CSV or Excel (XLSX)",
    )


def test_fifty_thousand_rows_are_refused_with_a_clear_message(preparing):
    rows = "".join(f"{n},01/02/2021,,M,Y,Visit {n},,,\n" for n in range(1, 50_001))
    with pytest.raises(services.ChronologyRejected) as caught:
        services.chronology_import_upload(imr=preparing, actor=preparing.author, upload=csv_upload(rows))
    assert [p.message for p in caught.value.result.problems] == [
        "The file has more than 5,000 rows of events. Import at most 5,000 rows at a time: split the "
        "chronology into smaller files."
    ]
    assert not ChronologyEntry.objects.exists()


def test_importing_is_for_the_author_while_the_imr_is_open(preparing, contact_x, imr_y):
    with pytest.raises(PermissionDenied):
        services.chronology_import_upload(
            imr=preparing, actor=contact_x, upload=csv_upload("1,01/02/2021,,M,Y,V,,,\n")
        )
    with pytest.raises(PermissionDenied):
        services.chronology_import_upload(
            imr=preparing, actor=imr_y.author, upload=csv_upload("1,01/02/2021,,M,Y,V,,,\n")
        )


# --- Integrated chronology ----------------------------------------------------------------------------


def test_integrated_chronology_merges_accepted_imrs_only_sorted_with_agency(
    review_a, imr_x, imr_y, contact_x, contact_y, panel_a
):
    x = advance(imr_x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    advance(imr_y, IMRState.IN_PREPARATION, contact=contact_y, panel=panel_a)
    add_chronology(IMR.objects.get(pk=imr_y.pk), rows=1)
    result = selectors.integrated_chronology(review_a, selectors.ChronologyFilters(), page=1)
    assert [(row.agency, row.entry.event_no) for row in result.rows] == [
        ("Alpha Police", 1),
        ("Alpha Police", 2),
    ]
    assert result.rows[0].age == "8 months"
    y = advance(imr_y, IMRState.ACCEPTED, contact=contact_y, panel=panel_a)
    result = selectors.integrated_chronology(review_a, selectors.ChronologyFilters(), page=1)
    # Both agencies saw the family on 1 January 2021 at 09:30: the day is flagged, agencies in name order.
    assert [(row.agency, row.entry.date.day, row.several_agencies) for row in result.rows] == [
        ("Alpha Hospitals NHS Trust", 1, True),
        ("Alpha Police", 1, True),
        ("Alpha Police", 2, False),
    ]
    assert result.contacts_by_agency == [("Alpha Hospitals NHS Trust", 1), ("Alpha Police", 2)]
    assert result.child_seen_count == 2
    only_y = selectors.integrated_chronology(
        review_a, selectors.ChronologyFilters(agency=y.agency_id), page=1
    )
    assert only_y.total == 1
    unseen = selectors.integrated_chronology(review_a, selectors.ChronologyFilters(child_seen=False), page=1)
    assert [row.entry.imr_id for row in unseen.rows] == [x.pk]


def test_the_overview_reuses_accepted_imrs_genograms(review_a, imr_x, imr_y, contact_x, contact_y, panel_a):
    x = advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)
    mother = services.genogram_person_save(imr=x, actor=x.author, label="M", sex=Sex.FEMALE, household="H1")
    child = services.genogram_person_save(
        imr=x, actor=x.author, label="C", sex=Sex.UNKNOWN, subject_child=True, birth_order=1, household="H1"
    )
    services.genogram_relationship_add(
        imr=x, actor=x.author, person_a=mother, person_b=child, kind=RelationshipKind.PARENT_CHILD
    )
    y = advance(imr_y, IMRState.IN_PREPARATION, contact=contact_y, panel=panel_a)
    services.genogram_person_save(imr=y, actor=y.author, label="Y-only", sex=Sex.MALE)
    assert selectors.review_genogram(review_a) == {}
    advance(x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    genograms = selectors.review_genogram(review_a)
    assert list(genograms) == ["Alpha Police"]
    people, lines = genograms["Alpha Police"]
    assert {p.label for p in people} == {"C", "M"}
    assert [(line.person_a.label, line.person_b.label, line.kind) for line in lines] == [
        ("M", "C", "parent_child")
    ]
