"""The referral question flow (domain brief §6.1, Part 1): start, every section, check your answers, submit
and confirmation; save and come back later; GOV.UK errors for each kind of bad input with nothing typed
lost; entry on the referrer's behalf by the business unit; who may open a draft."""

import datetime as dt
import html as htmllib
import re

import pytest
import time_machine
from django.urls import reverse

from referrals import services
from referrals.models import CriterionQuestion, Referral
from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import deadlines_of

from ..factories import AgencyFactory
from .factories import LONDON, draft, submitted

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=LONDON)  # Monday 23 November 2026
TODAY = NOW.date()
BORN = dt.date(2020, 5, 1)
INCIDENT = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def section(referral, slug: str) -> str:
    return reverse("referral_section", args=[referral.pk, slug])


def day(name: str, value: dt.date | None = None, *, d="", m="", y="") -> dict:
    if value:
        d, m, y = str(value.day), str(value.month), str(value.year)
    return {f"{name}_0": d, f"{name}_1": m, f"{name}_2": y}


def rows(prefix: str, items: list[dict], *, initial: int = 0, action: str = "continue") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        "action": action,
    }
    for index, item in enumerate(items):
        data.update({f"{prefix}-{index}-{name}": value for name, value in item.items()})
    return data


def child_answers(**overrides) -> dict:
    data = {
        "child_name": "Amy Example",
        **day("child_date_of_birth", BORN),
        **day("child_date_of_death", d="", m="", y=""),
        **day("incident_date", INCIDENT),
        "child_address": "1 High Street\nAlphatown",
        "child_ethnicity": "White British",
        "child_cp_plan": "before",
        "child_whereabouts": "At home",
        "child_carer": "Her mother",
        "action": "continue",
    }
    data.update(overrides)
    return data


def referrer_answers(agency, **overrides) -> dict:
    data = {
        "referrer_name": "Xavier Contact",
        "referrer_agency": str(agency.pk),
        "referrer_job_title": "Detective Sergeant",
        "referrer_email": "xavier@example.org",
        "referrer_phone": "01234 567890",
        "referrer_line_manager": "DI Line",
        "action": "continue",
    }
    data.update(overrides)
    return data


CIRCUMSTANCES = {
    "brief_account": "Amy was found injured at home.",
    "triggers": ["a", "e"],
    "trigger_account": "Amy died in hospital two days later.",
    "other_children_at_risk": "Her brother, aged 3.",
    "designated_professional_consulted": "on",
    "csc_referral_made": "on",
    "media_interest": "yes",
    "lead_board": "this",
    "lead_board_name": "",
    "action": "continue",
}


def criteria_answers(yes=("ABUSE", "M1"), action="continue") -> dict:
    codes = CriterionQuestion.objects.values_list("code", flat=True)
    return {
        **{f"criterion_{code}": "yes" if code in yes else "no" for code in codes},
        "action": action,
    }


def fill_every_section(client, referral, *, agency, involved, received_on=None, incident=INCIDENT):
    """Answer every section through the pages, checking each one leads to the next."""
    referrer = referrer_answers(agency)
    if received_on:
        referrer.update(day("received_on", received_on))
    steps = [
        ("referrer", referrer, "child"),
        ("child", child_answers(**day("incident_date", incident)), "family"),
        (
            "family",
            rows(
                "family",
                [
                    {
                        "name": "Beth Example",
                        "relationship": "Mother",
                        **day("date_of_birth", dt.date(1995, 1, 2)),
                    },
                    {"name": "Carl Example", "relationship": "Brother", "cp_plan": "now"},
                ],
            ),
            "agencies",
        ),
        (
            "agencies",
            rows(
                "agencies",
                [{"agency": str(involved.pk), "worker_name": "Wendy Worker", "still_involved": "yes"}],
            ),
            "circumstances",
        ),
        ("circumstances", CIRCUMSTANCES, "criteria"),
        ("criteria", criteria_answers(), "key-dates"),
    ]
    for slug, data, next_slug in steps:
        response = client.post(section(referral, slug), data)
        assert response.status_code == 302, (slug, error_summary(response.text))
        assert response.url == section(referral, next_slug)
    response = client.post(
        section(referral, "key-dates"),
        rows(
            "key-dates",
            [{**day("date", INCIDENT), "time": "14:30", "event": "Ambulance called to the home."}],
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("referral_check_answers", args=[referral.pk])


def error_summary(html: str) -> list[tuple[str, str]]:
    """(href, message) pairs of the error summary."""
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    if not match:
        return []
    found = re.findall(r'<li>(?:<a href="([^"]*)">)?([^<]*)', match.group(0))
    return [(htmllib.unescape(href), htmllib.unescape(text)) for href, text in found]


def field_error(html: str, field_id: str) -> str:
    match = re.search(
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">(.*?)</p>', html, re.S
    )
    if not match:
        return ""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "").strip())


def assert_error(html: str, field_id: str, anchor: str, message: str) -> None:
    assert ("#" + anchor, message) in error_summary(html)
    assert field_error(html, field_id) == message
    assert f'id="{anchor}"' in html  # the summary links to a real element


def start(client) -> Referral:
    response = client.post(reverse("referral_start"))
    referral = Referral.objects.latest("pk")
    assert response.status_code == 302 and response.url == section(referral, "referrer")
    return referral


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


def test_save_and_come_back_later_keeps_the_answers(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
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


def test_save_and_come_back_later_with_an_error_saves_the_rest_and_shows_the_error(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
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


def test_missing_answers_are_required_to_continue_but_not_to_save_for_later(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
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
def test_bad_child_answers_get_a_govuk_error_and_keep_what_was_typed(
    client_as, contact_x, case, bad, field_id, message
):
    client = client_as(contact_x)
    referral = start(client)
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


def test_incident_the_same_day_as_birth_and_death_is_accepted(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
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


def test_an_agency_of_another_board_is_an_unknown_agency(client_as, contact_x, board_b):
    stranger = AgencyFactory(board=board_b, name="Beta Police")
    client = client_as(contact_x)
    referral = start(client)
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


def test_badly_typed_email_gets_the_govuk_message(client_as, contact_x, agency_x):
    client = client_as(contact_x)
    referral = start(client)
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


# --- Repeatable rows ----------------------------------------------------------------------------------


def test_add_another_person_saves_and_offers_a_new_row_and_remove_deletes_one(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
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


def test_each_row_error_is_numbered_and_links_to_its_own_field(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
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


def test_key_date_time_must_be_a_real_time(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
    data = rows("key-dates", [{**day("date", INCIDENT), "time": "25:61", "event": "Ambulance called"}])
    response = client.post(section(referral, "key-dates"), data)
    assert_error(
        response.text,
        "id_key-dates-0-time",
        "id_key-dates-0-time",
        "Time (event 1) must be a real time in the 24-hour clock, like 09:30 or 14:45",
    )
    assert 'value="25:61"' in response.text


def test_the_same_agency_twice_is_an_error(client_as, contact_x, agency_y):
    client = client_as(contact_x)
    referral = start(client)
    data = rows("agencies", [{"agency": str(agency_y.pk)}, {"agency": str(agency_y.pk)}])
    response = client.post(section(referral, "agencies"), data)
    assert response.status_code == 200
    assert (
        "#id_agencies-1-agency",
        "Alpha Hospitals NHS Trust is already in the list: remove agency 2",
    ) in error_summary(response.text)


# --- Circumstances and the checklist ------------------------------------------------------------------


def test_another_lead_board_needs_its_name(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
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


def test_checklist_page_groups_questions_with_their_source_and_requires_every_answer(client_as, contact_x):
    client = client_as(contact_x)
    referral = start(client)
    page = client.get(section(referral, "criteria")).text
    assert "Abuse or neglect" in page and "Always reviewed (custody)" in page
    assert "M1: Has the child died" in page
    assert "Source: Cambridgeshire &amp; Peterborough SCB (seed 000), §4" in page
    answers = criteria_answers()
    del answers["criterion_M2"]
    response = client.post(section(referral, "criteria"), answers)
    assert_error(response.text, "id_criterion_M2", "id_criterion_M2_0", "Select yes or no for question M2")


def test_unticked_confirmations_may_be_saved_but_stop_the_submission(
    client_as, contact_x, agency_x, agency_y
):
    client = client_as(contact_x)
    referral = start(client)
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


# --- Business unit entry on the referrer's behalf -----------------------------------------------------


def test_business_unit_enters_a_referral_received_by_secure_email_and_the_clock_starts_from_receipt(
    client_as, manager_a, agency_x, agency_y
):
    client = client_as(manager_a)
    assert "on someone&#x27;s behalf" in client.get(reverse("referral_start")).text
    response = client.post(reverse("referral_start"), {"on_behalf": "on"})
    referral = Referral.objects.latest("pk")
    assert referral.entered_on_behalf and referral.referrer_name == ""
    assert response.url == section(referral, "referrer")

    future = referrer_answers(agency_x, **day("received_on", TODAY + dt.timedelta(days=1)))
    response = client.post(section(referral, "referrer"), future)
    assert_error(
        response.text,
        "id_received_on",
        "id_received_on_0",
        "Date the referral was received must be today or in the past",
    )
    missing = client.post(section(referral, "referrer"), referrer_answers(agency_x))
    assert_error(
        missing.text, "id_received_on", "id_received_on_0", "Enter the date the referral was received"
    )

    received_on = dt.date(2026, 11, 19)  # Thursday, the day after the incident
    fill_every_section(
        client,
        referral,
        agency=agency_x,
        involved=agency_y,
        received_on=received_on,
        incident=dt.date(2026, 11, 18),
    )
    response = client.post(reverse("referral_check_answers", args=[referral.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.received_on == received_on and referral.referrer_name == "Xavier Contact"
    assert referral.received_at == at_local(received_on, 9)
    decision = deadlines_of(referral).get(rule__code="decision")
    assert decision.trigger_at == at_local(received_on, 9)
    assert dt.date(2026, 12, 19) <= decision.due_date < dt.date(2026, 12, 23)  # not a month from today


def test_incident_after_the_date_received_is_an_error_on_behalf(client_as, manager_a, agency_x):
    client = client_as(manager_a)
    client.post(reverse("referral_start"), {"on_behalf": "on"})
    referral = Referral.objects.latest("pk")
    client.post(
        section(referral, "referrer"), referrer_answers(agency_x, **day("received_on", dt.date(2026, 11, 19)))
    )
    response = client.post(
        section(referral, "child"), child_answers(**day("incident_date", dt.date(2026, 11, 21)))
    )
    assert_error(
        response.text,
        "id_incident_date",
        "id_incident_date_0",
        "Date of the incident must be the same as or before the date the referral was received",
    )


def test_an_agency_contact_is_not_offered_entry_on_behalf(client_as, contact_x):
    client = client_as(contact_x)
    assert "on someone" not in client.get(reverse("referral_start")).text
    client.post(reverse("referral_start"), {"on_behalf": "on"})
    assert Referral.objects.latest("pk").entered_on_behalf is False


# --- Who may open a draft -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["contact_y", "manager_a", "chair_a", "manager_b"])
def test_nobody_but_its_author_can_open_a_draft(request, client_as, board_a, contact_x, persona):
    referral = draft(board=board_a, author=contact_x)
    client = client_as(request.getfixturevalue(persona))
    for url in [
        section(referral, "referrer"),
        section(referral, "key-dates"),
        reverse("referral_check_answers", args=[referral.pk]),
        reverse("referral_detail", args=[referral.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(section(referral, "child"), child_answers()).status_code == 404
    assert client.post(reverse("referral_check_answers", args=[referral.pk])).status_code == 404
    referral.refresh_from_db()
    assert referral.state == "draft" and referral.child_name == "Child Testcase"


def test_unknown_section_is_not_found(client_as, board_a, contact_x):
    referral = draft(board=board_a, author=contact_x)
    assert client_as(contact_x).get(section(referral, "nonsense")).status_code == 404


def test_after_submission_the_section_pages_redirect_to_the_referral(client_as, board_a, contact_x):
    referral = submitted(board=board_a, author=contact_x)
    client = client_as(contact_x)
    detail = reverse("referral_detail", args=[referral.pk])
    for url in [section(referral, "child"), reverse("referral_check_answers", args=[referral.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == detail
    response = client.post(section(referral, "child"), child_answers(child_name="Changed"), follow=True)
    assert "This referral has been submitted and can no longer be changed here." in response.text
    referral.refresh_from_db()
    assert referral.child_name == "Child Testcase" and referral.state == "submitted"


def test_confirmation_of_a_draft_goes_back_to_check_answers(client_as, board_a, contact_x):
    referral = draft(board=board_a, author=contact_x)
    response = client_as(contact_x).get(reverse("referral_confirmation", args=[referral.pk]))
    assert response.status_code == 302
    assert response.url == reverse("referral_check_answers", args=[referral.pk])


def test_a_service_refusal_is_shown_not_lost(client_as, board_a, contact_x, monkeypatch):
    from django.core.exceptions import ValidationError

    from referrals.views.intake import sections as intake

    referral = draft(board=board_a, author=contact_x)

    def refuse(**kwargs):
        raise ValidationError(services.NOT_A_DRAFT)

    monkeypatch.setattr(intake, "referral_update", refuse)
    response = client_as(contact_x).post(section(referral, "child"), child_answers())
    assert response.status_code == 200
    assert ("", services.NOT_A_DRAFT) in error_summary(response.text)
    assert 'value="Amy Example"' in response.text


def test_save_for_later_without_the_rows_management_data_keeps_the_saved_rows(client_as, board_a, contact_x):
    referral = draft(board=board_a, author=contact_x)
    services.referral_replace_rows(
        referral=referral,
        actor=contact_x,
        relation="family",
        rows=[{"name": "Beth", "relationship": "Mother"}],
    )
    response = client_as(contact_x).post(section(referral, "family"), {"action": "later"})
    assert response.status_code == 200 and error_summary(response.text)
    assert list(referral.family.values_list("name", flat=True)) == ["Beth"]


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"child_date_of_birth": TODAY + dt.timedelta(days=1)}, "Date of birth must be in the past"),
        (
            {"child_date_of_death": BORN - dt.timedelta(days=1)},
            "Date of death must be the same as or after the date of birth",
        ),
        (
            {"incident_date": BORN - dt.timedelta(days=1)},
            "Date of the incident must be the same as or after the date of birth",
        ),
        (
            {"incident_date": TODAY + dt.timedelta(days=1)},
            "Date of the incident must be today or in the past",
        ),
    ],
)
def test_the_page_and_the_submit_guard_give_the_same_message(board_a, contact_x, dates, message):
    from referrals.forms.intake import ChildForm

    referral = draft(board=board_a, author=contact_x, **{"child_date_of_birth": BORN, **dates})
    assert ("child", message) in services.part1_problems(referral, today=TODAY)
    fields = {"child_date_of_birth": BORN, "incident_date": INCIDENT, **dates}
    data = child_answers(**{k: v for name, value in fields.items() for k, v in day(name, value).items()})
    form = ChildForm(data, referral=referral, today=TODAY)
    assert not form.is_valid()
    assert message in [text for _, text in form.error_summary_items()]
