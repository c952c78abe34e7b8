"""Entry on the referrer's behalf by the business unit, and who may open a draft."""

import datetime as dt

import pytest
from django.urls import reverse

from referrals import services
from referrals.models import Referral
from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import deadlines_of

from .factories import draft, submitted
from .intake_helpers import (
    BORN,
    INCIDENT,
    INTAKE,
    TODAY,
    assert_error,
    child_answers,
    day,
    error_summary,
    fill_every_section,
    referrer_answers,
    section,
)

pytestmark = INTAKE


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
