"""Start-up check of the screening criteria the portal ships (the data migrations 0002 and 0007): every
rule names real questions and advice, and every review framework's criteria are shipped. The check reads
the migrations' data, not the database, so it runs before any migration."""

import importlib

from django.core import checks


def shipped_criteria() -> dict[str, tuple[list[str], list[dict], list[dict]]]:
    """Criteria code → (question codes, rules, notes), as the data migrations seed them."""
    scr = importlib.import_module("referrals.migrations.0002_seed_criteria")
    rules = importlib.import_module("referrals.migrations.0007_criteria_rules")
    return {
        "scr-wt2015": ([row[0] for row in scr.QUESTIONS], rules.SCR_RULES, rules.SCR_NOTES),
        "england-2023": (
            [row[0] for row in rules.ENGLAND_QUESTIONS],
            rules.ENGLAND_RULES,
            rules.ENGLAND_NOTES,
        ),
    }


@checks.register()
def criteria_rules_sound(app_configs, **kwargs):
    """The shipped criteria rules are sound and every framework's criteria are shipped."""
    from scr_portal import frameworks

    from .criteria import rule_problems

    shipped = shipped_criteria()
    problems = [
        f"{framework.code}: unknown criteria {framework.criteria}"
        for framework in frameworks.all_frameworks()
        if framework.criteria not in shipped
    ]
    for code, (questions, rules, notes) in shipped.items():
        problems += rule_problems(code, rules, notes, questions)
    return [checks.Error(problem, id="referrals.E001") for problem in problems]
