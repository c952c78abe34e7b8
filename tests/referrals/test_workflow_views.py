"""The referral workflow pages: who may open and use each one (the permission matrix over every page),
the signed-out visitor, and the two roles with a narrower right."""

import pytest
from django.urls import reverse

from referrals import services
from referrals.models import ReferralState

from ..factories import signed_in
from .factories import RECEIVED
from .workflow_helpers import WORKFLOW, decision_data, notification

pytestmark = WORKFLOW


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
        data = notification(anonymised_text="Child A, aged 6, died on 20 November.")
        del data["their_reference"]
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
