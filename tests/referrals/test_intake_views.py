"""The referral question flow (domain brief §6.1, Part 1): start, every section, check your answers, submit
and confirmation; save and come back later; GOV.UK errors for each kind of bad input with nothing typed
lost."""

import datetime as dt

import pytest
from django.urls import reverse

from ..factories import AgencyFactory
from .intake_helpers import (
    BORN,
    INTAKE,
    NOW,
    TODAY,
    assert_error,
    child_answers,
    criteria_answers,
    day,
    error_summary,
    field_error,
    fill_every_section,
    referrer_answers,
    rows,
    section,
    start,
)

pytestmark = INTAKE


# --- The whole journey --------------------------------------------------------------------------------


def test_referrer_completes_every_section_checks_answers_and_submits(
    client_as, contact_x, agency_x, agency_y
):
    client = client_as(contact_x)
    start_page = client.get(reverse("referral_start")).text
    assert "This does not replace a referral to children's social care" in start_page
    referral = start(client)
    assert referral.state == "draft" and referral.created_by == contact_x

    referrer_page = client.get(section(referral, "referrer")).text
    assert 'value="Xavier Contact"' in referrer_page  # filled in from the signed-in user
    fill_every_section(client, referral, agency=agency_x, involved=agency_y)

    check = client.get(reverse("referral_check_answers", args=[referral.pk])).text
    assert error_summary(check) == []
    assert "Amy Example" in check and "Beth Example" in check and "Wendy Worker" in check
    assert "Ambulance called to the home." in check and "14:30" in check
    assert "Advice, not a decision: only the LSCB Chair decides." in check
    assert "Must review" in check and "M1 with abuse or neglect known or suspected" in check
    assert f'href="{section(referral, "child")}?change=1#id_child_name"' in check

    response = client.post(reverse("referral_check_answers", args=[referral.pk]))
    assert response.status_code == 302
    assert response.url == reverse("referral_confirmation", args=[referral.pk])
    confirmation = client.get(response.url).text
    assert "Referral submitted" in confirmation and referral.reference in confirmation

    referral.refresh_from_db()
    assert referral.state == "submitted" and referral.advice == "must_review"
    assert referral.triggers == ["a", "e"] and referral.lead_board_is_this_board is True
    assert referral.criteria_answers["M1"] is True and referral.criteria_answers["C1"] is False
    assert list(referral.family.values_list("name", "relationship")) == [
        ("Beth Example", "Mother"),
        ("Carl Example", "Brother"),
    ]
    assert referral.involved_agencies.get().agency == agency_y
    assert referral.key_dates.get().time == dt.time(14, 30)
    assert referral.received_at == NOW


def test_save_and_come_back_later_keeps_the_answers(drafting):
    client, referral = drafting
    response = client.post(
        section(referral, "child"),
        {"child_name": "Amy Example", **day("child_date_of_birth", BORN), "action": "later"},
    )
    assert response.status_code == 302 and response.url == reverse("my_referrals")
    mine = client.get(response.url).text
    assert referral.reference in mine and "Your answers have been saved" in mine
    referral.refresh_from_db()
    assert referral.child_name == "Amy Example" and referral.child_date_of_birth == BORN
    page = client.get(section(referral, "child")).text
    assert 'value="Amy Example"' in page and 'value="2020"' in page

    later_criteria = criteria_answers(action="later")
    del later_criteria["criterion_H5"]
    assert client.post(section(referral, "criteria"), later_criteria).status_code == 302
    referral.refresh_from_db()
    assert referral.criteria_answers["ABUSE"] is True and "H5" not in referral.criteria_answers


def test_save_and_come_back_later_with_an_error_saves_the_rest_and_shows_the_error(drafting):
    client, referral = drafting
    response = client.post(
        section(referral, "child"),
        {
            "child_name": "Amy Example",
            **day("child_date_of_birth", d="31", m="2", y="2020"),
            "action": "later",
        },
    )
    assert response.status_code == 200
    assert_error(
        response.text,
        "id_child_date_of_birth",
        "id_child_date_of_birth_0",
        "Date of birth must be a real date",
    )
    assert 'value="31"' in response.text and 'value="Amy Example"' in response.text
    referral.refresh_from_db()
    assert referral.child_name == "Amy Example" and referral.child_date_of_birth is None


def test_missing_answers_are_required_to_continue_but_not_to_save_for_later(drafting):
    client, referral = drafting
    response = client.post(section(referral, "child"), {"action": "continue"})
    assert response.status_code == 200
    summary = error_summary(response.text)
    assert ("#id_child_name", "Enter the child's name") in summary
    assert ("#id_child_date_of_birth_0", "Enter the child's date of birth") in summary
    assert ("#id_incident_date_0", "Enter the date of the critical incident") in summary
    assert ("#id_child_cp_plan_0", "Select whether the child has been on a child protection plan") in summary
    assert field_error(response.text, "id_child_name") == "Enter the child's name"
    assert response.text.startswith("<!DOCTYPE html>") and "<title>Error: " in response.text
    assert client.post(section(referral, "child"), {"action": "later"}).status_code == 302


BAD_CHILD_DATES = [
    (
        "date of birth in the future",
        {**day("child_date_of_birth", TODAY + dt.timedelta(days=1))},
        "id_child_date_of_birth",
        "Date of birth must be in the past",
    ),
    (
        "death before birth",
        {**day("child_date_of_death", BORN - dt.timedelta(days=1))},
        "id_child_date_of_death",
        "Date of death must be the same as or after the date of birth",
    ),
    (
        "death in the future",
        {**day("child_date_of_death", TODAY + dt.timedelta(days=3))},
        "id_child_date_of_death",
        "Date of death must be today or in the past",
    ),
    (
        "incident before birth",
        {**day("incident_date", BORN - dt.timedelta(days=30))},
        "id_incident_date",
        "Date of the incident must be the same as or after the date of birth",
    ),
    (
        "incident after the referral",
        {**day("incident_date", TODAY + dt.timedelta(days=1))},
        "id_incident_date",
        "Date of the incident must be today or in the past",
    ),
    ("missing name", {"child_name": ""}, "id_child_name", "Enter the child's name"),
    ("not a real date", {**day("incident_date", d="30", m="2", y="2026")}, "id_incident_date", None),
]


@pytest.mark.parametrize(
    ("case", "bad", "field_id", "message"), BAD_CHILD_DATES, ids=[b[0] for b in BAD_CHILD_DATES]
)
def test_bad_child_answers_get_a_govuk_error_and_keep_what_was_typed(drafting, case, bad, field_id, message):
    client, referral = drafting
    typed = child_answers(**bad)
    response = client.post(section(referral, "child"), typed)
    assert response.status_code == 200
    message = message or "Date of the incident must be a real date"
    anchor = field_id if field_id == "id_child_name" else f"{field_id}_0"
    assert_error(response.text, field_id, anchor, message)
    assert "govuk-form-group--error" in response.text
    if case != "missing name":
        assert 'value="Amy Example"' in response.text
    assert "1 High Street\nAlphatown" in response.text and 'value="White British"' in response.text
    for name, value in typed.items():
        if name.endswith(("_0", "_1", "_2")) and value:
            assert f'name="{name}" value="{value}"' in response.text
    referral.refresh_from_db()
    assert referral.child_name == ""  # nothing saved from a failed "Save and continue"


def test_incident_the_same_day_as_birth_and_death_is_accepted(drafting):
    client, referral = drafting
    same_day = dt.date(2026, 11, 1)
    response = client.post(
        section(referral, "child"),
        child_answers(
            **day("child_date_of_birth", same_day),
            **day("child_date_of_death", same_day),
            **day("incident_date", same_day),
        ),
    )
    assert response.status_code == 302


def test_an_agency_of_another_board_is_an_unknown_agency(drafting, board_b):
    stranger = AgencyFactory(board=board_b, name="Beta Police")
    client, referral = drafting
    response = client.post(section(referral, "referrer"), referrer_answers(stranger))
    assert response.status_code == 200
    assert_error(response.text, "id_referrer_agency", "id_referrer_agency", "Select an agency from the list")
    assert 'value="Detective Sergeant"' in response.text
    assert "Beta Police" not in response.text

    response = client.post(section(referral, "agencies"), rows("agencies", [{"agency": str(stranger.pk)}]))
    assert response.status_code == 200
    assert_error(
        response.text, "id_agencies-0-agency", "id_agencies-0-agency", "Select an agency from the list"
    )
    response = client.post(section(referral, "agencies"), rows("agencies", [{"agency": "not-a-number"}]))
    assert_error(
        response.text, "id_agencies-0-agency", "id_agencies-0-agency", "Select an agency from the list"
    )
    assert not referral.involved_agencies.exists()


def test_badly_typed_email_gets_the_govuk_message(drafting, agency_x):
    client, referral = drafting
    response = client.post(
        section(referral, "referrer"), referrer_answers(agency_x, referrer_email="xavier at police")
    )
    assert_error(
        response.text,
        "id_referrer_email",
        "id_referrer_email",
        "Enter an email address in the correct format, like name@example.com",
    )
    assert 'value="xavier at police"' in response.text
