"""Advice on whether the case meets the threshold for a serious case review, computed from the checklist.
Advice never decides: only the LSCB Chair does (domain brief §3; Solihull §1.5.2)."""

from dataclasses import dataclass

from .models import Advice, CriteriaFramework

CONSIDER_CODES = ("C1", "C2", "C3", "C4", "C5")
HELPER_CODES = tuple(f"H{number}" for number in range(1, 12))


@dataclass(frozen=True)
class AdviceResult:
    advice: str
    reasons: list[str]


def current_framework() -> CriteriaFramework:
    return CriteriaFramework.objects.filter(active=True, code="scr-wt2015").order_by("-version").first()


def compute_advice(answers: dict[str, bool]) -> AdviceResult:
    """Mandatory when abuse or neglect is known or suspected and the child died (M1) or was seriously
    harmed with concerns about working together (M2); always for a death in custody (A1) whatever else is
    true; "consider" when any of C1–C5 holds and the gate G (concerns about working together) holds."""
    yes = {code for code, value in answers.items() if value}
    reasons: list[str] = []
    if "A1" in yes:
        advice = Advice.MUST_REVIEW_CUSTODY
        reasons.append(
            "A1: the child died in custody or detention, which is always reviewed (Cambridgeshire §4)."
        )
    elif "ABUSE" in yes and yes & {"M1", "M2"}:
        advice = Advice.MUST_REVIEW
        if "M1" in yes:
            reasons.append("M1 with abuse or neglect known or suspected: the child died (Cambridgeshire §4).")
        if "M2" in yes:
            reasons.append(
                "M2 with abuse or neglect known or suspected: serious harm and concerns about how agencies "
                "worked together (Cambridgeshire §4)."
            )
    elif yes & set(CONSIDER_CODES) and "G" in yes:
        advice = Advice.CONSIDER
        met = ", ".join(code for code in CONSIDER_CODES if code in yes)
        reasons.append(
            f"{met} with G: the case raises concerns about how services worked together "
            "(Cambridgeshire §4 items 4–8)."
        )
    else:
        advice = Advice.BELOW_THRESHOLD
        if yes & {"M1", "M2"} and "ABUSE" not in yes:
            reasons.append("M1 or M2 applies, but abuse or neglect is not known or suspected.")
        elif yes & set(CONSIDER_CODES):
            reasons.append("A 'consider' criterion applies, but not the gate G on working together.")
        else:
            reasons.append("None of the mandatory or 'consider' criteria applies.")
    helpers = [code for code in HELPER_CODES if code in yes]
    if helpers:
        reasons.append(
            f"{', '.join(helpers)} answered yes: a review would be likely to yield useful lessons "
            "(Solihull §1.4.1)."
        )
    return AdviceResult(advice=advice, reasons=reasons)
