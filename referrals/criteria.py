"""Advice on whether a case meets the threshold of its framework's review, computed from the checklist by
the criteria framework's rules (data: `CriteriaFramework.rules` and `.notes`, seeded by the migrations
0002 and 0007). Advice never decides: only the framework's decision maker does (domain brief §3, §10).

A rule is a dict: `advice` (an `Advice` value), `all` (codes that must all be answered yes), `any` (codes of
which at least one must be yes), `none` (codes that must not be yes), `reason` (one reason, where "{met}"
stands for the codes of `any` answered yes) and `reason_each` (a reason for each code of `any` answered
yes, in the order of `any`). The first rule that holds gives the advice, so the last one must always hold.
A note has the same conditions and a `reason`; every note that holds adds its reason."""

from collections.abc import Iterable
from dataclasses import dataclass

from scr_portal import frameworks

from .models import Advice, CriteriaFramework

CONDITIONS = ("all", "any", "none")
RULE_KEYS = {"advice", *CONDITIONS, "reason", "reason_each"}
NOTE_KEYS = {*CONDITIONS, "reason"}


@dataclass(frozen=True)
class AdviceResult:
    advice: str
    reasons: list[str]


def current_framework(review_framework: str = "") -> CriteriaFramework | None:
    """The newest active criteria of the review framework (`scr_portal.frameworks`; the default one if
    not given)."""
    code = frameworks.get(review_framework).criteria
    return CriteriaFramework.objects.filter(active=True, code=code).order_by("-version").first()


def holds(rule: dict, yes: set[str]) -> bool:
    return (
        set(rule.get("all", ())) <= yes
        and not yes & set(rule.get("none", ()))
        and (not rule.get("any") or bool(yes & set(rule["any"])))
    )


def reasons_of(rule: dict, yes: set[str]) -> list[str]:
    met = [code for code in rule.get("any", ()) if code in yes]
    reasons = [rule["reason"].replace("{met}", ", ".join(met))] if rule.get("reason") else []
    each = rule.get("reason_each", {})
    return reasons + [each[code] for code in met if code in each]


def compute_advice(answers: dict[str, bool], framework: CriteriaFramework | None = None) -> AdviceResult:
    """The advice of the first rule that holds, its reasons, then the reasons of the notes that hold."""
    framework = framework or current_framework()
    yes = {code for code, value in answers.items() if value}
    rule = next(rule for rule in framework.rules if holds(rule, yes))
    reasons = reasons_of(rule, yes)
    for note in framework.notes:
        if holds(note, yes):
            reasons += reasons_of(note, yes)
    return AdviceResult(advice=rule["advice"], reasons=reasons)


def referral_advice(referral) -> AdviceResult:
    """The advice from the referral's answers under the criteria it was opened with."""
    framework = referral.framework or current_framework(referral.review_framework)
    return compute_advice(referral.criteria_answers or {}, framework)


def rule_problems(code: str, rules: list[dict], notes: list[dict], questions: Iterable[str]) -> list[str]:
    """What is wrong with a criteria framework's rules: unknown keys, codes or advice, a rule without a
    reason, or a last rule that does not always hold. Empty when they are sound."""
    known, found = set(questions), []
    if not rules or any(rules[-1].get(key) for key in CONDITIONS):
        found.append(f"{code}: the last rule must always hold (no all/any/none)")
    for kind, items, keys in (("rule", rules, RULE_KEYS), ("note", notes, NOTE_KEYS)):
        for number, item in enumerate(items, start=1):
            where = f"{code} {kind} {number}"
            found += [f"{where}: unknown key {key}" for key in sorted(set(item) - keys)]
            codes = [c for key in CONDITIONS for c in item.get(key, ())] + list(item.get("reason_each", {}))
            found += [f"{where}: unknown question {c}" for c in codes if c not in known]
            found += [
                f"{where}: {c} has a reason but is not in any"
                for c in item.get("reason_each", {})
                if c not in item.get("any", ())
            ]
            if kind == "rule" and item.get("advice") not in Advice.values:
                found.append(f"{where}: unknown advice {item.get('advice')}")
            if not item.get("reason") and not item.get("reason_each"):
                found.append(f"{where}: no reason")
    return found
