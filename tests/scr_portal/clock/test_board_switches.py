"""Issue 15, clause 8: the switches of domain brief §9 are per-board settings with the brief's defaults,
which the business manager changes on the board settings pages with a reason kept in the change history.
(The services that honour them are tested beside them: tests/referrals/test_decision_clock.py and
tests/reviews/test_conversion_clock.py.)"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scr_portal.clock.switches import board_switches_update
from scr_portal.models import BoardSettingChange

pytestmark = pytest.mark.django_db


def test_a_new_board_has_the_briefs_defaults(board_a):
    assert board_a.governance_model == "two_tier"
    assert board_a.publish_requires_evaluation is True
    assert board_a.publish_overview_report is True
    assert board_a.decision_notify_bodies == ["ofsted", "dfe", "national_panel", "sha_cqc", "hmic", "hmip"]
    assert board_a.named_roles == ["lscb_chair", "panel_chair", "overview_author"]
    assert board_a.staff_review_scope == "extracts"


def test_changing_a_switch_needs_a_reason_kept_in_the_change_history(board_a, manager_a):
    with pytest.raises(ValidationError) as refused:
        board_switches_update(board=board_a, actor=manager_a, reason=" ", governance_model="one_tier")
    assert "reason" in refused.value.message_dict
    assert board_switches_update(board=board_a, actor=manager_a, reason="", governance_model="two_tier") == []
    changes = board_switches_update(
        board=board_a,
        actor=manager_a,
        reason="The LSCB agreed a single panel on 3 March",
        governance_model="one_tier",
        named_roles=["panel_chair", "lscb_chair"],
    )
    board_a.refresh_from_db()
    assert board_a.governance_model == "one_tier" and board_a.named_roles == ["lscb_chair", "panel_chair"]
    assert [change.setting for change in changes] == [
        "Who recommends to the Chair (GOVERNANCE_MODEL)",
        "Who the published report names (NAMED_ROLES)",
    ]
    assert all(
        change.new_value.endswith("— reason: The LSCB agreed a single panel on 3 March") for change in changes
    )
    assert changes[1].old_value == "LSCB Chair; Panel chair; Overview author"


def test_the_business_manager_changes_the_switches_on_the_settings_page(
    client_as, board_a, manager_a, chair_a
):
    page = reverse("board_settings_switches", args=[board_a.pk])
    assert client_as(chair_a).get(page).status_code == 403
    client = client_as(manager_a)
    settings_page = client.get(reverse("board_settings", args=[board_a.pk])).text
    assert "Process settings" in settings_page and "Who is told of the Chair&#x27;s decision" in settings_page
    form = {
        "governance_model": "two_tier",
        "decision_notify_bodies": ["ofsted", "dfe"],
        "publish_requires_evaluation": "on",
        "publish_overview_report": "on",
        "named_roles": ["lscb_chair", "panel_chair", "overview_author"],
        "staff_review_scope": "full",
        "review_framework": "scr-2010-2015",
    }
    response = client.post(page, form)
    assert response.status_code == 200 and "Enter the reason for changing the board" in response.text
    response = client.post(page, {**form, "reason": "Bolton's practice: staff see the whole IMR"})
    assert response.status_code == 302
    board_a.refresh_from_db()
    assert board_a.staff_review_scope == "full" and board_a.decision_notify_bodies == ["ofsted", "dfe"]
    history = BoardSettingChange.objects.filter(board=board_a).values_list("setting", flat=True)
    assert set(history) == {
        "What staff who took part see (STAFF_REVIEW_SCOPE)",
        "Who is told of the Chair's decision (DECISION_NOTIFY_BODIES)",
    }
    assert "Bolton&#x27;s practice" in client.get(reverse("board_settings", args=[board_a.pk])).text
