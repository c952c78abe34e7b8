"""The independence and conflict-of-interest rules of the domain brief §2.2, each as a validator: a 'must'
rule that fails blocks the appointment with a message naming the rule; a 'should' rule needs the LSCB
Chair's reason. Each appointment keeps its conflict declaration."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reviews import independence
from reviews.independence import RULES_BY_CODE, Candidate, check
from reviews.models import ConflictDeclaration, PanelMembership, PanelRole
from reviews.services import panel as panel_services
from scr_portal.models import Role

from ..factories import member
from .factories import CLEAN, appoint, independent_person

pytestmark = pytest.mark.django_db

CHAIR, AUTHOR = PanelRole.INDEPENDENT_CHAIR, PanelRole.OVERVIEW_AUTHOR
FULL = {
    "competences": frozenset({"1", "2", "3", "4", "5"}),
    "competence_evidence": "References",
    "indemnity_confirmed": True,
    "supervision_confirmed": True,
    "data_protection_confirmed": True,
    "contract_issued": True,
}


def broken(role, **candidate) -> set[str]:
    verdict = check(
        Candidate(role=role, answers={**CLEAN, **candidate.pop("answers", {})}, **{**FULL, **candidate})
    )
    return {rule.code for rule in verdict.broken_musts + verdict.broken_shoulds}


# --- Each rule, as a pure function of the candidate -----------------------------------------------------


def test_a_clean_candidate_breaks_no_rule():
    assert broken(CHAIR) == set() and broken(AUTHOR) == set()


@pytest.mark.parametrize(
    ("role", "candidate", "rule"),
    [
        (CHAIR, {"answers": {"involved_lscb_member": True}}, "chair-not-lscb-member"),
        (CHAIR, {"board_roles": frozenset({Role.SUBCOMMITTEE_MEMBER})}, "chair-not-lscb-member"),
        (CHAIR, {"answers": {"involved_agency_employee": True}}, "chair-not-agency-employee"),
        (CHAIR, {"contact_of_involved_agency": True}, "chair-not-agency-employee"),
        (CHAIR, {"other_panel_roles": frozenset({AUTHOR})}, "chair-not-author"),
        (AUTHOR, {"board_roles": frozenset({Role.LSCB_CHAIR})}, "author-not-lscb-chair"),
        (AUTHOR, {"other_panel_roles": frozenset({CHAIR})}, "author-not-panel-chair"),
        (AUTHOR, {"board_roles": frozenset({Role.BUSINESS_MANAGER})}, "independent-of-lscb-and-services"),
        (AUTHOR, {"answers": {"involved_agency_employee": True}}, "independent-of-lscb-and-services"),
        (CHAIR, {"answers": {"case_involvement": True}}, "no-case-involvement"),
        (AUTHOR, {"answers": {"manages_practitioners": True}}, "no-case-involvement"),
        (AUTHOR, {"other_panel_roles": frozenset({PanelRole.AGENCY_REPRESENTATIVE})}, "author-not-on-panel"),
        (AUTHOR, {"competences": frozenset({"1", "2"})}, "competences"),
        (CHAIR, {"competence_evidence": ""}, "competences"),
        (CHAIR, {"indemnity_confirmed": False}, "indemnity-supervision-data-protection"),
        (AUTHOR, {"contract_issued": False}, "contract-issued"),
        (PanelRole.LEGAL_ADVISER, {"answers": {"case_involvement": True}}, "legal-adviser-not-involved"),
    ],
)
def test_each_rule_is_broken_by_what_it_names(role, candidate, rule):
    assert rule in broken(role, **candidate)


def test_must_and_should_rules_are_told_apart():
    assert {r.code for r in independence.RULES if r.level == "should"} == {
        "author-not-on-panel",
        "competences",
        "indemnity-supervision-data-protection",
        "contract-issued",
        "legal-adviser-not-involved",
    }


def test_agency_representatives_are_not_held_to_the_independent_rules():
    assert broken(PanelRole.AGENCY_REPRESENTATIVE, answers={"involved_agency_employee": True}) == set()


# --- The rules applied by the appointment service ---------------------------------------------------


def test_a_must_rule_blocks_the_appointment_naming_the_rule(review, manager_a, panel_chair):
    with pytest.raises(ValidationError) as error:
        appoint(
            review, actor=manager_a, user=panel_chair, role=CHAIR, answers={"involved_agency_employee": True}
        )
    rule = RULES_BY_CODE["chair-not-agency-employee"]
    assert panel_services.MUST_BROKEN.format(rule=rule.message) in error.value.messages
    assert "The panel chair must not be employed by an agency involved in the case (Solihull §3.1.1)." in str(
        error.value
    )
    assert not PanelMembership.objects.exists() and not ConflictDeclaration.objects.exists()


def test_even_the_lscb_chair_cannot_override_a_must_rule(review, chair_a, panel_chair):
    with pytest.raises(ValidationError):
        appoint(
            review,
            actor=chair_a,
            user=panel_chair,
            role=CHAIR,
            answers={"case_involvement": True},
            override_reason="We know them well.",
        )
    assert not PanelMembership.objects.exists()


def test_the_portal_knows_an_agency_contact_of_an_involved_agency(review, manager_a, board_a, agency_x):
    contact = member(board=board_a, role=Role.AGENCY_CONTACT, agency=agency_x)  # agency X answered "involved"
    from referrals.models import AgencyCheck

    AgencyCheck.objects.filter(referral=review.referral, agency=agency_x).update(state="involved")
    with pytest.raises(ValidationError) as error:
        appoint(review, actor=manager_a, user=contact, role=CHAIR)
    assert any("employed by an agency involved" in message for message in error.value.messages)


def test_the_lscb_chair_cannot_be_the_overview_author(review, manager_a, chair_a):
    with pytest.raises(ValidationError) as error:
        appoint(review, actor=manager_a, user=chair_a, role=AUTHOR)
    assert any("must not be the LSCB Chair" in message for message in error.value.messages)


def test_the_panel_chair_cannot_also_be_the_overview_author(review, manager_a, panel_chair):
    appoint(review, actor=manager_a, user=panel_chair, role=CHAIR)
    with pytest.raises(ValidationError) as error:
        appoint(review, actor=manager_a, user=panel_chair, role=AUTHOR)
    assert any("must not be the panel chair" in message for message in error.value.messages)


def test_a_should_rule_stops_the_business_unit_and_names_who_can_override(review, manager_a, overview_author):
    with pytest.raises(ValidationError) as error:
        appoint(review, actor=manager_a, user=overview_author, role=AUTHOR, contract_issued_on=None)
    rule = RULES_BY_CODE["contract-issued"]
    assert error.value.messages == [panel_services.SHOULD_BROKEN.format(rule=rule.message)]
    with pytest.raises(ValidationError) as error:
        appoint(
            review,
            actor=manager_a,
            user=overview_author,
            role=AUTHOR,
            contract_issued_on=None,
            override_reason="Contract is with legal.",
        )
    assert error.value.message_dict["override_reason"] == [panel_services.OVERRIDE_CHAIR_ONLY]


def test_the_lscb_chair_overrides_a_should_rule_with_a_reason_which_is_kept(review, chair_a, overview_author):
    with pytest.raises(ValidationError) as error:
        appoint(review, actor=chair_a, user=overview_author, role=AUTHOR, contract_issued_on=None)
    assert error.value.message_dict["override_reason"] == [panel_services.OVERRIDE_REASON_REQUIRED]
    membership = appoint(
        review,
        actor=chair_a,
        user=overview_author,
        role=AUTHOR,
        contract_issued_on=None,
        override_reason="The contract is signed next week; the work must start now.",
    )
    assert membership.overridden_rules == ["contract-issued"]
    assert membership.override_by == chair_a
    assert membership.declaration.approver == chair_a


def test_an_override_reason_without_a_broken_rule_is_refused(review, chair_a, overview_author):
    with pytest.raises(ValidationError) as error:
        appoint(review, actor=chair_a, user=overview_author, role=AUTHOR, override_reason="Just in case")
    assert error.value.message_dict["override_reason"] == [panel_services.OVERRIDE_NOT_NEEDED]


def test_each_appointment_keeps_its_conflict_declaration(review, manager_a, panel_chair):
    membership = appoint(
        review,
        actor=manager_a,
        user=panel_chair,
        role=CHAIR,
        other_interests="Chairs a neighbouring board's audit.",
    )
    declaration = membership.declaration
    assert declaration.answers == CLEAN
    assert declaration.declarant == panel_chair and declaration.recorded_by == manager_a
    assert declaration.declared_on == dt.date(2027, 1, 5)
    assert declaration.other_interests == "Chairs a neighbouring board's audit."


def test_an_incomplete_declaration_is_refused(review, manager_a, panel_chair):
    with pytest.raises(ValidationError) as error:
        appoint(review, actor=manager_a, user=panel_chair, role=CHAIR, answers={"case_involvement": None})
    assert panel_services.DECLARATION_INCOMPLETE in error.value.messages


def test_a_second_panel_chair_is_refused_until_the_first_is_removed(review, manager_a, panel_chair):
    first = appoint(review, actor=manager_a, user=panel_chair, role=CHAIR)
    other = independent_person()
    with pytest.raises(ValidationError) as error:
        appoint(review, actor=manager_a, user=other, role=CHAIR)
    assert error.value.messages == [panel_services.ROLE_TAKEN.format(role="independent panel chair")]
    panel_services.panel_remove(membership=first, actor=manager_a, reason="Ill health")
    assert appoint(review, actor=manager_a, user=other, role=CHAIR).is_active


def test_only_the_business_unit_or_the_lscb_chair_appoints(review, auditor_a, panel_chair):
    with pytest.raises(PermissionDenied):
        appoint(review, actor=auditor_a, user=panel_chair, role=CHAIR)


def test_the_contract_date_is_not_called_optional_while_a_rule_asks_for_it():
    """Issue 19: a contract date labelled "(optional)" that the "contract-issued" rule then requires."""
    from reviews.forms.panel import AppointForm

    field = AppointForm.base_fields["contract_issued_on"]
    assert RULES_BY_CODE["contract-issued"].roles == {independence.CHAIR, independence.AUTHOR}
    assert "optional" not in field.label
    assert "panel chair or overview author" in field.help_text
