"""The screening criteria as data (issue 20): the rules of each criteria framework give the advice, the
start-up check finds a rule that names an unknown question, and a case is screened by its framework's
criteria (England 2023's serious child safeguarding case, domain brief §10)."""

import importlib

import pytest
from django.urls import reverse

from referrals.checks import criteria_rules_sound
from referrals.criteria import compute_advice, current_framework, rule_problems
from referrals.models import CriteriaFramework
from scr_portal.frameworks import ENGLAND_2023, SCR_2010

from .factories import INCIDENT, complete_answers, draft, submitted

pytestmark = pytest.mark.django_db

RULES = importlib.import_module("referrals.migrations.0007_criteria_rules")


@pytest.fixture
def england_board(board_a):
    board_a.review_framework = ENGLAND_2023
    board_a.save(update_fields=["review_framework"])
    return board_a


def test_every_criteria_framework_in_the_database_has_sound_rules():
    frameworks = CriteriaFramework.objects.prefetch_related("questions")
    assert {framework.code for framework in frameworks} >= {"scr-wt2015", "england-2023"}
    for framework in frameworks:
        codes = [question.code for question in framework.questions.all()]
        assert rule_problems(framework.code, framework.rules, framework.notes, codes) == []


def test_each_review_framework_screens_with_its_own_criteria():
    assert current_framework().code == current_framework(SCR_2010).code == "scr-wt2015"
    assert current_framework(ENGLAND_2023).code == "england-2023"


def test_scr_reasons_come_from_the_rules_word_for_word():
    result = compute_advice({"ABUSE": True, "M1": True, "M2": True, "H3": True, "H11": True})
    assert result.advice == "must_review"
    assert result.reasons == [
        "M1 with abuse or neglect known or suspected: the child died (Cambridgeshire §4).",
        "M2 with abuse or neglect known or suspected: serious harm and concerns about how agencies worked "
        "together (Cambridgeshire §4).",
        "H3, H11 answered yes: a review would be likely to yield useful lessons (Solihull §1.4.1).",
    ]
    consider = compute_advice({"C2": True, "C5": True, "G": True, "A1": False})
    assert consider.reasons == [
        "C2, C5 with G: the case raises concerns about how services worked together "
        "(Cambridgeshire §4 items 4–8)."
    ]
    # A death in custody is reviewed whatever else is true.
    assert compute_advice({"A1": True, "ABUSE": True, "M1": True}).advice == "must_review_custody"


@pytest.mark.parametrize(
    ("yes", "advice", "first_reason"),
    [
        ({"ABUSE", "S1"}, "notify_panel", "S1 with abuse or neglect known or suspected: the child died"),
        ({"ABUSE", "S2"}, "notify_panel", "S2 with abuse or neglect known or suspected: the child was"),
        ({"S2"}, "below_threshold", "S1 or S2 applies, but abuse or neglect is not known or suspected"),
        ({"ABUSE"}, "below_threshold", "The child neither died nor was seriously harmed"),
    ],
)
def test_england_serious_child_safeguarding_case(yes, advice, first_reason):
    result = compute_advice(dict.fromkeys(yes, True), current_framework(ENGLAND_2023))
    assert result.advice == advice
    assert result.reasons[0].startswith(first_reason)


def test_england_notes_the_partners_questions_on_a_local_review():
    result = compute_advice(
        {"ABUSE": True, "S2": True, "L3": True, "L6": True}, current_framework(ENGLAND_2023)
    )
    assert result.reasons[-1] == (
        "L3, L6 answered yes: the partners may find a local child safeguarding practice review appropriate "
        "(Working Together 2023, chapter 5)."
    )


def test_rule_problems_name_what_is_wrong():
    rules = [
        {"advice": "notify_panel", "all": ["ABUSE", "XX"], "reason": "A reason."},
        {"advice": "no_such_advice", "any": ["S1"], "reason_each": {"S2": "Never used."}},
    ]
    notes = [{"any": ["L9"], "colour": "red"}]
    assert rule_problems("test", rules, notes, ["ABUSE", "S1", "S2"]) == [
        "test: the last rule must always hold (no all/any/none)",
        "test rule 1: unknown question XX",
        "test rule 2: S2 has a reason but is not in any",
        "test rule 2: unknown advice no_such_advice",
        "test note 1: unknown key colour",
        "test note 1: unknown question L9",
        "test note 1: no reason",
    ]


def test_the_start_up_check_reports_a_rule_naming_an_unknown_question(monkeypatch):
    assert criteria_rules_sound(None) == []
    bad = [{**RULES.ENGLAND_RULES[0], "all": ["ABUSE", "NOPE"]}, *RULES.ENGLAND_RULES[1:]]
    monkeypatch.setattr(RULES, "ENGLAND_RULES", bad)
    errors = criteria_rules_sound(None)
    assert [error.msg for error in errors] == ["england-2023 rule 1: unknown question NOPE"]
    assert errors[0].id == "referrals.E001"


def test_a_referral_on_an_england_board_is_screened_by_the_england_criteria(
    client_as, england_board, referrer
):
    referral = draft(board=england_board, author=referrer)
    assert referral.framework.code == "england-2023"
    page = client_as(referrer).get(reverse("referral_section", args=[referral.pk, "criteria"])).text
    assert "Has the child been seriously harmed?" in page and "Serious child safeguarding case" in page
    assert "Has the child died (including by suicide)" not in page
    answers = complete_answers(ABUSE=True, S2=True)
    notified = submitted(board=england_board, author=referrer, criteria_answers=answers, aware_on=INCIDENT)
    assert notified.advice == "notify_panel"
    assert notified.get_advice_display() == "Serious child safeguarding case: notify the Panel"
