"""What the referral question flow tests share: the moment they run at, the URLs of the sections, the form
data of each section (dates, repeatable rows, answers), filling every section through the pages, and
reading GOV.UK errors from a page."""

import datetime as dt
import html as htmllib
import re

import pytest
from django.urls import reverse

from referrals.models import CriterionQuestion, Referral

from .factories import LONDON

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=LONDON)  # Monday 23 November 2026
TODAY = NOW.date()
BORN = dt.date(2020, 5, 1)
INCIDENT = dt.date(2026, 11, 20)

# The marks of every question flow module: a database and time frozen at NOW.
INTAKE = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


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
