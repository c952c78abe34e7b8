"""What the referral workflow page tests share: the moment they run at, signing in with a recent password,
reading the error summary and the flashed messages, and the data of the decision and notification forms."""

import datetime as dt
import html
import re

import pytest
from django.contrib.messages import get_messages

from .factories import LONDON

# After the sub-committee's recommendation (7 December), 9 working days before the decision is due
# (23 December, one month after the referral was received on 23 November).
NOW = dt.datetime(2026, 12, 10, 11, tzinfo=LONDON)
CHILD = "Jamie Testcase"

# The marks of every workflow page module: a database, time frozen at NOW, and a referral page to go back to.
WORKFLOW = [
    pytest.mark.django_db,
    pytest.mark.time_machine(NOW, tick=False),
    pytest.mark.usefixtures("referral_page"),
]


def error_summary(response) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', response.text, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


DECISION = {
    "outcome": "scr",
    "reasons": "",
    "members_consulted": "Police, health",
    "legal_advice_sought": "no",
    "suggested_author": "",
}
NOTIFICATION = {
    "body": "ofsted",
    "event": "incident",
    "sent_on_0": "24",
    "sent_on_1": "11",
    "sent_on_2": "2026",
    "method": "Secure email",
    "their_reference": "NBU-123",
    "anonymised_text": "Child A, aged 6, died on 20 November. Mother was at home.",
}


def decision_data(**overrides):
    return {**DECISION, **overrides}


def notification(**overrides):
    return {**NOTIFICATION, **overrides}
