"""Every read of case data is logged (issue 17): every URL pattern of the project (from the resolver, so a
new page is covered without editing this file) is opened with board A's case by its business manager, who
may see all of it. Each page that answers 2xx must write an access-log row naming a case record the
registry knows (scr_portal/records.py): a new case page that the access log does not cover fails here by
name. Pages that are not about one case (lists, the user's own settings) are the sweep's NOT_CASE_PAGES."""

import pytest

from scr_portal import records
from scr_portal.audit.cases import case_for
from scr_portal.models import AccessLog

from .sweep_helpers import NOT_CASE_PAGES, sweep_targets

# Pages with an object in their URL that show no case's data, or not one case's: each is a decision, with
# its reason. A POST-only page answers 405 to a GET and needs no entry.
NO_CASE_DATA: dict[str, str] = {
    "board_edit": "the board's own contact details",
    "board_settings": "the board's settings",
    "board_settings_reminders": "the board's reminder settings",
    "board_settings_switches": "the board's process settings (domain brief §9)",
    "board_closure_add": "the board's closure days",
    "board_timescale_edit": "the board's timescales",
    "board_access_log": "the access log itself (who opened which case), business manager only",
    "board_retention": "case references and due dates for destruction, business manager only",
    "board_information_requests": "the list of subject access and FOI requests; each export is logged",
    # Issue 19: people and their roles; a role on a review or IMR names its reference and agency, nobody in
    # the case. Invitations and role changes are themselves written to the access log.
    "board_people": "the board's people and their roles",
    "board_person_invite": "the form to invite a person",
    "board_role_give": "the form to give a person a role",
    "board_role_take": "the page to take a role away",
}


@pytest.mark.django_db
def test_every_case_page_read_writes_an_access_log_row(client_as, case_a, manager_a):  # noqa: F811
    client = client_as(manager_a)
    unlogged, opened = [], 0
    for pattern, url in sweep_targets(case_a):
        if (
            pattern.name in NOT_CASE_PAGES
            or pattern.name in NO_CASE_DATA
            or pattern.name.startswith("admin:")
        ):
            continue
        before = AccessLog.objects.count()
        response = client.get(url)
        if not 200 <= response.status_code < 300:
            continue
        opened += 1
        rows = list(AccessLog.objects.order_by("-pk")[: AccessLog.objects.count() - before])
        known = {record.model for record in records.all_records()}
        if not rows or any(row.content_type.model_class() not in known for row in rows):
            unlogged.append(f"GET {url} [{pattern.name}]")
    assert opened > 50, "the sweep opened too few case pages to prove anything"
    assert not unlogged, "Case pages whose reading wrote no access-log row:\n" + "\n".join(unlogged)


def test_a_key_person_page_is_logged_against_the_key_person():
    from scr_portal.models import CaseKeyPerson

    ref = case_for("case_key_person_edit", {"pk": 7})
    assert ref is not None and ref.model is CaseKeyPerson and ref.pk == 7
