"""The referral workflow pages: who may open and use each one, the Chair's recent sign-in, two chairs
deciding at once, illegal transitions refused with a clear message, the two work lists, and bad input on
every form."""

import datetime as dt
import html
import re
import time
import types

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, include, path, reverse

from referrals import services
from referrals.forms.workflow import NAME_FOUND, names_in
from referrals.models import AgencyCheckState, Decision, ExternalNotification, FamilyMember, ReferralState
from scr_portal.models import Role

from ..factories import AgencyFactory, BoardFactory, member
from .factories import LONDON, RECEIVED, recommended, submitted, with_checks

pytestmark = pytest.mark.django_db

# After the sub-committee's recommendation (7 December), 9 working days before the decision is due
# (23 December, one month after the referral was received on 23 November).
NOW = dt.datetime(2026, 12, 10, 11, tzinfo=LONDON)
CHILD = "Jamie Testcase"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _referral_page_stand_in(request, pk):
    return HttpResponse(f"Referral {pk}")


@pytest.fixture(autouse=True)
def referral_page(settings):
    """The referral page (`referral_detail`) belongs to the intake pages. Until they provide it, a
    stand-in keeps back links and redirects resolvable; once they do, the real page is used."""
    try:
        reverse("referral_detail", args=[1])
    except NoReverseMatch:
        urlconf = types.ModuleType("workflow_test_urls")
        urlconf.urlpatterns = [
            path("referrals/<int:pk>/", _referral_page_stand_in, name="referral_detail"),
            path("", include("portal_site.urls")),
        ]
        settings.ROOT_URLCONF = urlconf


@pytest.fixture
def referrer(board_a):
    school = AgencyFactory(board=board_a, name="Alpha Schools")
    return member(board=board_a, role=Role.AGENCY_CONTACT, agency=school, full_name="Rita Referrer")


@pytest.fixture
def subcommittee_member(board_a):
    return member(board=board_a, role=Role.SUBCOMMITTEE_MEMBER, full_name="Sam Subcommittee")


@pytest.fixture
def chair_a2(board_a):
    return member(board=board_a, role=Role.LSCB_CHAIR, full_name="Dana Vice-Chair")


@pytest.fixture
def submitted_referral(board_a, referrer):
    return submitted(board=board_a, author=referrer, child_name=CHILD)


@pytest.fixture
def in_checks(board_a, referrer, manager_a, agency_x):
    """Agency X has been written to; agency Y has not."""
    return with_checks(
        board=board_a, author=referrer, manager=manager_a, agencies=[agency_x], child_name=CHILD
    )


@pytest.fixture
def check_x(in_checks, agency_x):
    return in_checks.agency_checks.get(agency=agency_x)


@pytest.fixture
def screening(in_checks, manager_a):
    services.referral_schedule_screening(
        referral=in_checks, actor=manager_a, meeting_date=dt.date(2026, 12, 7), now=RECEIVED
    )
    in_checks.refresh_from_db()
    return in_checks


@pytest.fixture
def to_decide(board_a, referrer, manager_a, agency_x):
    return recommended(
        board=board_a, author=referrer, manager=manager_a, agencies=[agency_x], child_name=CHILD
    )


def signed_in(client, user, *, seconds_ago: float = 0):
    """Sign in as allauth does, with the record of when the password was last given."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time() - seconds_ago}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def error_summary(response) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', response.text, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def decision_data(**overrides):
    data = {
        "outcome": "scr",
        "reasons": "",
        "members_consulted": "Police, health",
        "legal_advice_sought": "no",
        "suggested_author": "",
    }
    data.update(overrides)
    return data


# --- The permission matrix ----------------------------------------------------------------------------

PERSONAS = ("manager_a", "chair_a", "contact_x", "contact_y", "manager_b")

# What each persona gets: 200 page, 302 done (redirect), 403 sees the referral but may not act, 404 may not
# know it exists. contact_x's agency was written to; contact_y's was not (and a referral with no checks
# yet is invisible to both).
MATRIX = {
    #                     manager_a chair_a contact_x contact_y manager_b
    "send_checks GET": (200, 403, 404, 404, 404),
    "send_checks POST": (302, 403, 404, 404, 404),
    "check_list GET": (200, 403, 200, 200, 200),
    "check_answer GET": (200, 404, 200, 404, 404),
    "check_answer POST": (302, 404, 302, 404, 404),
    "schedule GET": (200, 403, 403, 404, 404),
    "schedule POST": (302, 403, 403, 404, 404),
    "recommend GET": (200, 403, 403, 404, 404),
    "recommend POST": (302, 403, 403, 404, 404),
    "decide GET": (403, 200, 403, 404, 404),
    "decide POST": (403, 302, 403, 404, 404),
    "decisions GET": (200, 200, 403, 403, 200),
    "withdraw GET": (200, 403, 403, 404, 404),
    "withdraw POST": (302, 403, 403, 404, 404),
    "transfer GET": (200, 403, 403, 404, 404),
    "transfer POST": (302, 403, 403, 404, 404),
    "duplicate GET": (200, 403, 403, 404, 404),
    "duplicate POST": (302, 403, 403, 404, 404),
    "notify GET": (200, 403, 403, 404, 404),
    "notify POST": (302, 403, 403, 404, 404),
}


def target(request, action: str):
    """(method, url, data) of an action, on a referral in a state where the action is possible."""
    fixture = request.getfixturevalue
    name, method = action.split()
    if name == "send_checks":
        referral = fixture("submitted_referral")
        data = {"agencies": [fixture("agency_x").pk]}
        return method, reverse("referral_send_checks", args=[referral.pk]), data
    if name == "check_list":
        return method, reverse("check_list"), {}
    if name == "check_answer":
        return (
            method,
            reverse("check_answer", args=[fixture("check_x").pk]),
            {
                "involved": "no",
                "respondent_name": "Pat Police",
            },
        )
    if name == "schedule":
        referral = fixture("in_checks")
        data = {"meeting_date_0": "7", "meeting_date_1": "12", "meeting_date_2": "2026"}
        return method, reverse("referral_schedule_screening", args=[referral.pk]), data
    if name == "recommend":
        referral = fixture("screening")
        data = {
            "members_present": [fixture("subcommittee_member").pk],
            "recommendation": "scr",
            "reasons": "Threshold met.",
        }
        return method, reverse("referral_recommend", args=[referral.pk]), data
    if name == "decide":
        return method, reverse("referral_decide", args=[fixture("to_decide").pk]), decision_data()
    if name == "decisions":
        fixture("to_decide")
        return method, reverse("decisions_awaiting"), {}
    referral = fixture("in_checks")
    data = {"reason": "The reason."}
    if name == "transfer":
        data["lead_board"] = "Gamma LSCB"
    if name == "duplicate":
        data["original"] = fixture("submitted_referral").pk
    if name == "notify":
        data = {
            "body": "ofsted",
            "event": "incident",
            "sent_on_0": "24",
            "sent_on_1": "11",
            "sent_on_2": "2026",
            "method": "Secure email",
            "anonymised_text": "Child A, aged 6, died on 20 November.",
        }
    url_name = {"withdraw": "referral_withdraw", "transfer": "referral_transfer"}.get(
        name, f"referral_{name}"
    )
    return method, reverse(url_name, args=[referral.pk]), data


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix_over_every_workflow_page(request, client, persona, action):
    user = request.getfixturevalue(persona)
    method, url, data = target(request, action)
    signed_in(client, user)
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == MATRIX[action][PERSONAS.index(persona)], response.text[:2000]


@pytest.mark.parametrize("action", list(MATRIX))
def test_signed_out_visitor_is_sent_to_sign_in(request, client, action):
    method, url, data = target(request, action)
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_subcommittee_member_records_the_recommendation_but_does_not_schedule(
    client, subcommittee_member, screening
):
    signed_in(client, subcommittee_member)
    assert client.get(reverse("referral_recommend", args=[screening.pk])).status_code == 200
    assert client.get(reverse("referral_schedule_screening", args=[screening.pk])).status_code == 403


def test_author_withdraws_their_own_draft(client, board_a, referrer):
    referral = services.referral_create_draft(board=board_a, actor=referrer, now=RECEIVED)
    signed_in(client, referrer)
    response = client.post(reverse("referral_withdraw", args=[referral.pk]), {"reason": "Sent by mistake"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.WITHDRAWN


# --- The Chair's decision -----------------------------------------------------------------------------


def test_decision_asks_the_chair_to_sign_in_again_without_a_recent_sign_in(client, chair_a, to_decide):
    url = reverse("referral_decide", args=[to_decide.pk])
    client.force_login(chair_a, backend="allauth.account.auth_backends.AuthenticationBackend")
    for response in (client.get(url), client.post(url, decision_data())):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/reauthenticate/") and "next=" in response.url
    signed_in(client, chair_a, seconds_ago=16 * 60)
    assert client.get(url).url.startswith("/accounts/reauthenticate/")
    assert not Decision.objects.filter(referral=to_decide).exists()
    signed_in(client, chair_a, seconds_ago=60)
    assert client.get(url).status_code == 200


def test_decision_page_shows_the_advice_recommendation_and_agency_replies(
    client, chair_a, contact_x, to_decide, check_answered_by_x
):
    page = signed_in(client, chair_a).get(reverse("referral_decide", args=[to_decide.pk])).text
    assert "Must review" in page and "M1 with abuse or neglect known or suspected" in page
    assert "Hold a serious case review" in page and "Threshold met." in page
    assert "Alpha Police" in page and "Known to the team since 2024." in page
    assert "departs from the advice of the criteria. The advice is: must review." in page


@pytest.fixture
def check_answered_by_x(to_decide, agency_x, contact_x):
    return services.agency_check_answer(
        check=to_decide.agency_checks.get(agency=agency_x),
        actor=contact_x,
        involved=True,
        records_secured_on=dt.date(2026, 11, 24),
        open_file_copied=True,
        outline="Known to the team since 2024.",
        staff_told=True,
    )


def test_chair_decides_and_is_told_the_review_reference(client, chair_a, to_decide):
    response = signed_in(client, chair_a).post(
        reverse("referral_decide", args=[to_decide.pk]), decision_data()
    )
    assert response.status_code == 302 and response.url == reverse("referral_detail", args=[to_decide.pk])
    assert flashed(response) == [
        f"Your decision has been recorded: hold a serious case review. Review {to_decide.reference}-SCR has "
        "been set up."
    ]
    to_decide.refresh_from_db()
    assert to_decide.state == ReferralState.DECIDED and to_decide.decision.decided_by == chair_a


def test_second_chair_deciding_at_the_same_time_is_told_and_loses_nothing(
    client, chair_a, chair_a2, to_decide
):
    services.referral_decide(
        referral=to_decide,
        actor=chair_a,
        outcome="scr",
        reasons="",
        members_consulted="All",
        legal_advice_sought=False,
    )
    typed = decision_data(
        outcome="nfa", reasons="Typed reasons that must survive", members_consulted="Health"
    )
    response = signed_in(client, chair_a2).post(reverse("referral_decide", args=[to_decide.pk]), typed)
    assert response.status_code == 200
    assert services.ALREADY_DECIDED in error_summary(response)
    assert "Typed reasons that must survive" in response.text and "Health" in response.text
    assert "Carol Chair recorded the decision" in response.text
    decision = Decision.objects.get(referral=to_decide)
    assert decision.outcome == "scr" and decision.decided_by == chair_a


def test_business_manager_posting_a_decision_is_refused_and_nothing_changes(client, manager_a, to_decide):
    response = signed_in(client, manager_a).post(
        reverse("referral_decide", args=[to_decide.pk]), decision_data()
    )
    assert response.status_code == 403 and services.ONLY_CHAIR_DECIDES in html.unescape(response.text)
    to_decide.refresh_from_db()
    assert to_decide.state == ReferralState.RECOMMENDED
    assert not Decision.objects.filter(referral=to_decide).exists()


def test_deciding_twice_from_a_stale_link_goes_back_to_the_referral(client, chair_a, to_decide):
    services.referral_decide(
        referral=to_decide,
        actor=chair_a,
        outcome="scr",
        reasons="",
        members_consulted="All",
        legal_advice_sought=False,
    )
    response = signed_in(client, chair_a).get(reverse("referral_decide", args=[to_decide.pk]))
    assert response.status_code == 302 and flashed(response) == ["This referral has already been decided."]


def test_deciding_before_the_recommendation_is_refused(client, chair_a, in_checks):
    response = signed_in(client, chair_a).get(reverse("referral_decide", args=[in_checks.pk]))
    assert response.status_code == 302 and flashed(response) == [services.NOT_READY_TO_DECIDE]


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        (decision_data(outcome="nfa", reasons="  "), services.REASONS_REQUIRED_NFA),
        (
            decision_data(outcome="alternative", alternative_type="management_review"),
            services.REASONS_REQUIRED_DEPART,
        ),
        (
            decision_data(outcome="alternative", reasons="Lessons are narrow."),
            services.ALTERNATIVE_TYPE_REQUIRED,
        ),
        (decision_data(members_consulted=""), "Enter the LSCB members consulted"),
        (decision_data(legal_advice_sought=""), "Select yes if legal advice was sought"),
        (decision_data(outcome=""), "Select your decision"),
    ],
)
def test_bad_decision_input_is_refused_and_nothing_saved(client, chair_a, to_decide, data, field_error):
    response = signed_in(client, chair_a).post(reverse("referral_decide", args=[to_decide.pk]), data)
    assert response.status_code == 200
    assert field_error in error_summary(response)
    assert 'class="govuk-error-message"' in response.text
    to_decide.refresh_from_db()
    assert to_decide.state == ReferralState.RECOMMENDED


# --- Agency checks ------------------------------------------------------------------------------------


def test_send_checks_offers_the_boards_agencies_with_core_and_named_ones_ticked(
    client, board_a, manager_a, submitted_referral, agency_x, agency_y
):
    core = AgencyFactory(board=board_a, name="Alpha Children's Services", core_member=True)
    away = AgencyFactory(board=board_a, name="Gamma Police", out_of_area=True)
    AgencyFactory(board=BoardFactory(), name="Elsewhere")
    submitted_referral.involved_agencies.create(agency=agency_y)
    page = (
        signed_in(client, manager_a).get(reverse("referral_send_checks", args=[submitted_referral.pk])).text
    )
    checked = set(re.findall(r'<input type="checkbox" name="agencies" value="(\d+)"[^>]*checked', page))
    assert checked == {str(core.pk), str(agency_y.pk)}
    assert "Gamma Police (outside the area)" in page and "Elsewhere" not in page
    assert str(away.pk) in page


def test_sending_checks_without_an_agency_is_refused(client, manager_a, submitted_referral):
    response = signed_in(client, manager_a).post(
        reverse("referral_send_checks", args=[submitted_referral.pk]), {}
    )
    assert services.NO_AGENCIES in error_summary(response)
    submitted_referral.refresh_from_db()
    assert submitted_referral.state == ReferralState.SUBMITTED


def test_agency_contact_sees_the_request_and_answers_involved(client, contact_x, check_x, in_checks):
    url = reverse("check_answer", args=[check_x.pk])
    page = signed_in(client, contact_x).get(url).text
    assert in_checks.reference in page and CHILD in page and "1 May 2020" in page
    assert "Secure your agency" in page and "respondent_name" not in page
    response = client.post(
        url,
        {
            "involved": "yes",
            "records_secured_on_0": "24",
            "records_secured_on_1": "11",
            "records_secured_on_2": "2026",
            "open_file_copied": "yes",
            "outline": "Known to the team since 2024.",
            "staff_told": "no",
        },
    )
    assert response.status_code == 302 and response.url == reverse("check_list")
    check_x.refresh_from_db()
    assert check_x.state == AgencyCheckState.INVOLVED and check_x.records_secured_on == dt.date(2026, 11, 24)
    assert check_x.respondent == contact_x and check_x.staff_told is False
    page = client.get(url).text
    assert "Known to the team since 2024." in page and "<form" not in page.split("main-content")[1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "involved": "yes",
                "records_secured_on_0": "1",
                "records_secured_on_1": "1",
                "records_secured_on_2": "2027",
                "outline": "Known.",
            },
            "Date the records were secured must be today or in the past",
        ),
        ({"involved": "yes", "outline": "Known."}, "Enter the date the records were secured"),
        (
            {
                "involved": "yes",
                "records_secured_on_0": "24",
                "records_secured_on_1": "11",
                "records_secured_on_2": "2026",
            },
            "Outline what your agency knew of the child and family",
        ),
        ({}, "Select yes if the agency was involved, or no to send a nil return"),
    ],
)
def test_bad_check_answer_is_refused_and_nothing_saved(client, contact_x, check_x, data, message):
    response = signed_in(client, contact_x).post(reverse("check_answer", args=[check_x.pk]), data)
    assert response.status_code == 200 and message in error_summary(response)
    check_x.refresh_from_db()
    assert check_x.state == AgencyCheckState.PENDING


def test_business_unit_records_an_emailed_reply_with_the_respondents_name(client, manager_a, check_x):
    url = reverse("check_answer", args=[check_x.pk])
    signed_in(client, manager_a)
    assert "Name of the person who replied" in client.get(url).text
    response = client.post(url, {"involved": "no"})
    assert "Enter the name of the person who replied" in error_summary(response)
    client.post(url, {"involved": "no", "respondent_name": "Pat Police"})
    check_x.refresh_from_db()
    assert check_x.state == AgencyCheckState.NIL_RETURN and check_x.recorded_by_business_unit
    assert check_x.respondent_name == "Pat Police"


def test_answering_a_check_after_the_decision_is_refused_and_nothing_changes(
    client, chair_a, contact_x, to_decide, agency_x
):
    services.referral_decide(
        referral=to_decide,
        actor=chair_a,
        outcome="scr",
        reasons="",
        members_consulted="All",
        legal_advice_sought=False,
    )
    check = to_decide.agency_checks.get(agency=agency_x)
    url = reverse("check_answer", args=[check.pk])
    signed_in(client, contact_x)
    assert "The request closed without a reply." in client.get(url).text
    response = client.post(url, {"involved": "no"})
    assert response.status_code == 200
    assert services.CHECK_AFTER_DECISION in error_summary(response)
    check.refresh_from_db()
    assert check.state == AgencyCheckState.UNANSWERED and check.answered_at is None


def test_requests_to_answer_shows_only_the_users_agency(
    client, board_a, referrer, manager_a, contact_x, contact_y, agency_x, agency_y
):
    to_x = with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x])
    to_y = with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_y])
    page = signed_in(client, contact_x).get(reverse("check_list")).text
    assert to_x.reference in page and to_y.reference not in page
    assert "Thursday 26 November 2026 (10 working days overdue)" in page and "govuk-tag--red" in page
    page = signed_in(client, contact_y).get(reverse("check_list")).text
    assert to_y.reference in page and to_x.reference not in page


def test_business_unit_sees_every_outstanding_reply_late_ones_red_in_constant_queries(
    client, board_a, referrer, manager_a, agency_x, agency_y
):
    first = with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x])
    signed_in(client, manager_a)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("check_list"))
    others = [
        with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x, agency_y])
        for _ in range(3)
    ]
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("check_list")).text
    assert len(four) == len(one)
    assert all(referral.reference in page for referral in [first, *others])
    assert "Alpha Hospitals NHS Trust" in page and page.count("govuk-tag--red") == 7


# --- Screening and recommendation ---------------------------------------------------------------------


def test_screening_after_three_weeks_is_saved_with_a_warning(client, manager_a, in_checks):
    response = signed_in(client, manager_a).post(
        reverse("referral_schedule_screening", args=[in_checks.pk]),
        {"meeting_date_0": "21", "meeting_date_1": "12", "meeting_date_2": "2026"},
    )
    assert response.status_code == 302
    shown = flashed(response)
    assert shown[0] == "The screening meeting is set for Monday 21 December 2026."
    assert "three weeks from the referral" in shown[1]
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.SCREENING_SCHEDULED
    assert in_checks.screening.meeting_date == dt.date(2026, 12, 21)


def test_screening_date_is_required_and_not_before_the_referral(client, manager_a, in_checks):
    url = reverse("referral_schedule_screening", args=[in_checks.pk])
    signed_in(client, manager_a)
    assert "Enter the date of the sub-committee meeting" in error_summary(client.post(url, {}))
    early = {"meeting_date_0": "1", "meeting_date_1": "11", "meeting_date_2": "2026"}
    assert "on or after the date the referral was received" in error_summary(client.post(url, early))
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.AGENCY_CHECKS


def test_recommendation_is_recorded_with_who_took_part(client, manager_a, subcommittee_member, screening):
    response = signed_in(client, manager_a).post(
        reverse("referral_recommend", args=[screening.pk]),
        {
            "members_present": [subcommittee_member.pk],
            "deputies": "Dr D Deputy for health",
            "recommendation": "alternative",
            "alternative_type": "management_review",
            "reasons": "Lessons for two agencies only.",
            "suggested_author": "An Author",
        },
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    meeting = screening.screening
    assert screening.state == ReferralState.RECOMMENDED
    assert meeting.recommendation == "alternative" and meeting.alternative_type == "management_review"
    assert list(meeting.members_present.all()) == [subcommittee_member]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"deputies": "Dr D", "recommendation": "alternative", "reasons": "Narrow lessons."},
            services.ALTERNATIVE_TYPE_REQUIRED,
        ),
        ({"deputies": "Dr D", "recommendation": "scr"}, "Give the reasons for the recommendation"),
        ({"recommendation": "scr", "reasons": "Met."}, "Record who took part"),
        ({"deputies": "Dr D", "reasons": "Met."}, "Select what the sub-committee recommends"),
    ],
)
def test_bad_recommendation_is_refused_and_nothing_saved(client, manager_a, screening, data, message):
    response = signed_in(client, manager_a).post(reverse("referral_recommend", args=[screening.pk]), data)
    assert response.status_code == 200 and message in error_summary(response)
    screening.refresh_from_db()
    assert screening.state == ReferralState.SCREENING_SCHEDULED


def test_decisions_awaiting_shows_the_days_left_in_constant_queries(
    client, board_a, referrer, chair_a, manager_a, agency_x, to_decide
):
    signed_in(client, chair_a)
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("decisions_awaiting")).text
    assert to_decide.reference in page and "9 working days left" in page and "23 December 2026" in page
    assert "Must review" in page and "Hold a serious case review" in page and "Make the decision" in page
    more = [
        submitted(board=board_a, author=referrer),
        with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x]),
    ]
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("decisions_awaiting")).text
    assert len(three) == len(one) and all(referral.reference in page for referral in more)
    assert "Not yet" in page


def test_decided_and_closed_referrals_leave_the_decisions_awaiting(
    client, chair_a, manager_a, to_decide, in_checks
):
    services.referral_decide(
        referral=to_decide,
        actor=chair_a,
        outcome="scr",
        reasons="",
        members_consulted="All",
        legal_advice_sought=False,
    )
    services.referral_withdraw(referral=in_checks, actor=manager_a, reason="Referrer withdrew it")
    page = signed_in(client, chair_a).get(reverse("decisions_awaiting")).text
    assert to_decide.reference not in page and in_checks.reference not in page
    assert "No referral is waiting for a decision." in page


# --- Closing without a decision -----------------------------------------------------------------------


def test_duplicate_closes_and_points_to_the_original(client, manager_a, in_checks, submitted_referral):
    url = reverse("referral_duplicate", args=[in_checks.pk])
    signed_in(client, manager_a)
    page = client.get(url).text
    assert f"{submitted_referral.reference}: {CHILD}" in page and f">{in_checks.reference}:" not in page
    response = client.post(url, {"original": submitted_referral.pk, "reason": "Same child"})
    assert flashed(response) == [
        f"Referral {in_checks.reference} has been closed as a duplicate of {submitted_referral.reference}."
    ]
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.DUPLICATE and in_checks.duplicate_of == submitted_referral


@pytest.mark.parametrize(
    ("url_name", "data", "message"),
    [
        ("referral_withdraw", {"reason": ""}, "Enter why the referral is being withdrawn"),
        ("referral_transfer", {"reason": "Lives there"}, "Enter the name of the board that will lead"),
        ("referral_duplicate", {"reason": "Same child"}, "Select the original referral"),
        (
            "referral_duplicate",
            {"original": "999999", "reason": "x"},
            "Select the original referral from the list",
        ),
    ],
)
def test_closing_without_what_is_needed_is_refused(client, manager_a, in_checks, url_name, data, message):
    response = signed_in(client, manager_a).post(reverse(url_name, args=[in_checks.pk]), data)
    assert response.status_code == 200 and message in error_summary(response)
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.AGENCY_CHECKS


def test_closed_referral_cannot_be_closed_again(client, manager_a, in_checks):
    services.referral_withdraw(referral=in_checks, actor=manager_a, reason="Withdrawn")
    signed_in(client, manager_a)
    response = client.get(reverse("referral_transfer", args=[in_checks.pk]))
    assert response.status_code == 302 and flashed(response) == [services.CANNOT_NOW]
    response = client.post(
        reverse("referral_transfer", args=[in_checks.pk]), {"lead_board": "Gamma", "reason": "x"}
    )
    assert response.status_code == 200 and services.CANNOT_NOW in error_summary(response)
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.WITHDRAWN


# --- External notifications ---------------------------------------------------------------------------


def notification(**overrides):
    data = {
        "body": "ofsted",
        "event": "incident",
        "sent_on_0": "24",
        "sent_on_1": "11",
        "sent_on_2": "2026",
        "method": "Secure email",
        "their_reference": "NBU-123",
        "anonymised_text": "Child A, aged 6, died on 20 November. Mother was at home.",
    }
    data.update(overrides)
    return data


def test_notification_is_recorded(client, manager_a, in_checks):
    response = signed_in(client, manager_a).post(
        reverse("referral_notify", args=[in_checks.pk]), notification()
    )
    assert flashed(response) == ["Recorded: Ofsted told of the serious incident on Tuesday 24 November 2026."]
    recorded = ExternalNotification.objects.get(referral=in_checks)
    assert recorded.their_reference == "NBU-123" and recorded.recorded_by == manager_a


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (notification(anonymised_text="jamie, aged 6, died."), NAME_FOUND),
        (notification(anonymised_text="Child A died; TESTCASE family known."), NAME_FOUND),
        (notification(anonymised_text="Child A lived with Morgan."), NAME_FOUND),
        (notification(sent_on_0="11", sent_on_1="12"), "Date it was sent must be today or in the past"),
        (notification(body=""), "Select who was told"),
        (notification(sent_on_0="", sent_on_1="", sent_on_2=""), "Enter the date it was sent"),
        (notification(sent_on_0="31", sent_on_1="2"), "Date it was sent must be a real date"),
        (notification(anonymised_text=""), "Enter the anonymised text that was sent"),
    ],
)
def test_bad_notification_is_refused_and_nothing_saved(client, manager_a, in_checks, data, message):
    FamilyMember.objects.create(referral=in_checks, name="Morgan Parent", relationship="Mother")
    response = signed_in(client, manager_a).post(reverse("referral_notify", args=[in_checks.pk]), data)
    assert response.status_code == 200 and message in error_summary(response)
    assert not ExternalNotification.objects.filter(referral=in_checks).exists()


def test_the_same_notification_twice_is_refused(client, manager_a, in_checks):
    signed_in(client, manager_a)
    client.post(reverse("referral_notify", args=[in_checks.pk]), notification())
    response = client.post(reverse("referral_notify", args=[in_checks.pk]), notification())
    assert "That notification has already been recorded." in error_summary(response)
    assert ExternalNotification.objects.filter(referral=in_checks).count() == 1


@pytest.mark.parametrize(
    ("text", "names", "found"),
    [
        ("Child A, aged 6.", ["Child Testcase"], []),
        ("Announcement about Child A.", ["Ann Smith"], []),
        ("Ann was at home.", ["Ann Smith"], ["Ann"]),
        ("The O'Brien family.", ["Kieran O'Brien"], ["Brien"]),
        ("Jane was at school.", ["Mary-Jane Smith"], ["Jane"]),
        ("Seen by MORGAN.", ["Child A", "Morgan Parent"], ["Morgan"]),
        ("Jo was there.", ["Jo Li"], []),
    ],
)
def test_names_are_found_as_whole_words_of_three_letters_or_more(text, names, found):
    assert names_in(text, names) == found
