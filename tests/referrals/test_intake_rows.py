"""The repeatable rows of the question flow (family, agencies, key dates), the circumstances and the
criteria checklist, and the confirmations that stop a submission."""

import datetime as dt
import re

from django.urls import reverse

from .intake_helpers import (
    CIRCUMSTANCES,
    INCIDENT,
    INTAKE,
    TODAY,
    assert_error,
    criteria_answers,
    day,
    error_summary,
    fill_every_section,
    rows,
    section,
)

pytestmark = INTAKE


# --- Repeatable rows ----------------------------------------------------------------------------------


def test_add_another_person_saves_and_offers_a_new_row_and_remove_deletes_one(drafting):
    client, referral = drafting
    data = rows("family", [{"name": "Beth Example", "relationship": "Mother"}])
    data.pop("action")
    data["add"] = "1"
    response = client.post(section(referral, "family"), data)
    assert response.status_code == 302
    assert response.url == f"{section(referral, 'family')}?extra=1#family-row-2"
    assert list(referral.family.values_list("name", flat=True)) == ["Beth Example"]

    page = client.get(response.url).text
    assert 'id="family-row-2"' in page and "Name (person 2)" in page
    assert 'for="id_family-1-name"' in page and 'value="Beth Example"' in page
    assert "Remove person 1" in page and "Remove person 2" not in page

    data = rows(
        "family",
        [
            {"name": "Beth Example", "relationship": "Mother", "DELETE": "on"},
            {"name": "Carl Example", "relationship": "Brother"},
            {},
        ],
        initial=1,
    )
    assert client.post(section(referral, "family"), data).status_code == 302
    assert list(referral.family.values_list("name", flat=True)) == ["Carl Example"]


def test_each_row_error_is_numbered_and_links_to_its_own_field(drafting):
    client, referral = drafting
    data = rows(
        "family",
        [
            {"name": "Beth Example", "relationship": "Mother"},
            {"name": "", "relationship": "Uncle", **day("date_of_birth", TODAY + dt.timedelta(days=9))},
        ],
    )
    response = client.post(section(referral, "family"), data)
    assert response.status_code == 200
    assert_error(response.text, "id_family-1-name", "id_family-1-name", "Enter the name of person 2")
    assert_error(
        response.text,
        "id_family-1-date_of_birth",
        "id_family-1-date_of_birth_0",
        "Date of birth (person 2) must be in the past",
    )
    assert 'value="Uncle"' in response.text and 'value="Beth Example"' in response.text
    ids = re.findall(r'\bid="([^"]+)"', response.text)
    assert len(ids) == len(set(ids))
    assert not referral.family.exists()


def test_key_date_time_must_be_a_real_time(drafting):
    client, referral = drafting
    data = rows("key-dates", [{**day("date", INCIDENT), "time": "25:61", "event": "Ambulance called"}])
    response = client.post(section(referral, "key-dates"), data)
    assert_error(
        response.text,
        "id_key-dates-0-time",
        "id_key-dates-0-time",
        "Time (event 1) must be a real time in the 24-hour clock, like 09:30 or 14:45",
    )
    assert 'value="25:61"' in response.text


def test_the_same_agency_twice_is_an_error(drafting, agency_y):
    client, referral = drafting
    data = rows("agencies", [{"agency": str(agency_y.pk)}, {"agency": str(agency_y.pk)}])
    response = client.post(section(referral, "agencies"), data)
    assert response.status_code == 200
    assert (
        "#id_agencies-1-agency",
        "Alpha Hospitals NHS Trust is already in the list: remove agency 2",
    ) in error_summary(response.text)


# --- Circumstances and the checklist ------------------------------------------------------------------


def test_another_lead_board_needs_its_name(drafting):
    client, referral = drafting
    response = client.post(section(referral, "circumstances"), {**CIRCUMSTANCES, "lead_board": "another"})
    assert_error(
        response.text,
        "id_lead_board_name",
        "id_lead_board_name",
        "Enter the name of the board that should lead",
    )
    response = client.post(
        section(referral, "circumstances"),
        {**CIRCUMSTANCES, "lead_board": "another", "lead_board_name": "Gamma LSCB"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.lead_board_is_this_board is False and referral.lead_board_name == "Gamma LSCB"


def test_checklist_page_groups_questions_with_their_source_and_requires_every_answer(drafting):
    client, referral = drafting
    page = client.get(section(referral, "criteria")).text
    assert "Abuse or neglect" in page and "Always reviewed (custody)" in page
    assert "M1: Has the child died" in page
    assert "Source: Cambridgeshire &amp; Peterborough SCB (seed 000), §4" in page
    answers = criteria_answers()
    del answers["criterion_M2"]
    response = client.post(section(referral, "criteria"), answers)
    assert_error(response.text, "id_criterion_M2", "id_criterion_M2_0", "Select yes or no for question M2")


def test_unticked_confirmations_may_be_saved_but_stop_the_submission(drafting, agency_x, agency_y):
    client, referral = drafting
    fill_every_section(client, referral, agency=agency_x, involved=agency_y)
    unticked = {k: v for k, v in CIRCUMSTANCES.items() if k != "csc_referral_made"}
    assert client.post(section(referral, "circumstances"), unticked).status_code == 302
    url = reverse("referral_check_answers", args=[referral.pk])
    check = client.get(url).text
    expected = (
        f"{section(referral, 'circumstances')}?change=1#id_csc_referral_made",
        "Confirm that a referral to children's social care was made",
    )
    assert expected in error_summary(check)
    response = client.post(url)
    assert response.status_code == 200 and expected in error_summary(response.text)
    referral.refresh_from_db()
    assert referral.state == "draft"
