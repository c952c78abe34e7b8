"""The demo's mailbox page: each signed-in person reads only the messages sent to them."""

import pytest
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.DEV_MAILBOX_ENABLED = True
    settings.DEV_MAILBOX_DIR = tmp_path
    connection = get_connection("django.core.mail.backends.filebased.EmailBackend", file_path=str(tmp_path))

    def send(subject, to, cc=()):
        EmailMessage(subject, f"Body of {subject}", to=list(to), cc=list(cc), connection=connection).send()

    return send


def test_each_person_sees_only_their_own_messages(client_as, mailbox, manager_a, chair_a):
    mailbox("Set your password: private link", [chair_a.email])
    mailbox("Reminder for the manager", [f"Manager <{manager_a.email.upper()}>"])
    mailbox("Copied to the manager", ["someone@else.example"], cc=[manager_a.email])

    page = client_as(manager_a).get(reverse("dev_mailbox")).text
    assert "Reminder for the manager" in page and "Copied to the manager" in page
    assert "Set your password" not in page and "private link" not in page

    page = client_as(chair_a).get(reverse("dev_mailbox")).text
    assert "Set your password: private link" in page
    assert "Reminder for the manager" not in page


def test_the_mailbox_does_not_exist_outside_the_demo(client_as, manager_a, settings):
    settings.DEV_MAILBOX_ENABLED = False
    assert client_as(manager_a).get(reverse("dev_mailbox")).status_code == 404
