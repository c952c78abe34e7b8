"""The panel's quality-assurance checklist for a submitted IMR, drawn from the IMR author guide (Solihull
App 14 §2, §4–§8) and the Ofsted descriptors for IMRs (App 12, "Individual management reviews" and
"Independent element"). An IMR that falls short on any point goes back for rework with guidance on how to
improve it (App 14 §4.5). Kept as data so a board's panel can see where each point comes from."""

from dataclasses import dataclass


@dataclass(frozen=True)
class QAPoint:
    code: str
    text: str
    source: str


QA_POINTS: tuple[QAPoint, ...] = (
    QAPoint(
        "tor",
        "Relates explicitly to the terms of reference and covers the period they set",
        "App 14 §2.2, §5",
    ),
    QAPoint(
        "format", "Follows the standard format, with every section completed", "App 6; App 14 §2.1, §4.1"
    ),
    QAPoint(
        "chronology",
        "Has a comprehensive chronology in the agreed columns: who knew what and when, when the child was "
        "seen and what they said",
        "App 7; App 14 §2.4, §5",
    ),
    QAPoint(
        "genogram", "Includes a genogram of the family as far as the agency understands it", "App 14 §2.3"
    ),
    QAPoint(
        "analysis",
        "Analyses practice openly and critically against standards and procedures, rather than restating "
        "the chronology",
        "App 14 §2.5, §5; App 12",
    ),
    QAPoint("fact_opinion", "Separates recorded fact, opinion and third-party information", "App 14 §5"),
    QAPoint(
        "child_focus",
        "Keeps the child central: their views, wishes and feelings, and the missed opportunities to see or "
        "hear them",
        "App 14 §2.3, §5",
    ),
    QAPoint(
        "diversity",
        "Addresses ethnicity, language, religion, culture, disability and social exclusion",
        "App 14 §5; App 12",
    ),
    QAPoint(
        "practice",
        "Identifies good practice and poor practice, and why the failings happened",
        "App 14 §5; App 12",
    ),
    QAPoint("gaps", "Identifies and explains any gaps in the information", "App 12"),
    QAPoint(
        "recommendations",
        "Makes SMART recommendations, each with an action plan row saying who does what by when",
        "App 14 §2.6, §8; App 13; App 12",
    ),
    QAPoint("anonymised", "Anonymises names throughout, with a glossary appended", "App 14 §4.6"),
    QAPoint(
        "independence",
        "Is written by an author independent of the line management of the service",
        "App 14 §1.1; App 12, independent element",
    ),
    QAPoint(
        "signed_off",
        "Is signed off at chief executive or director level, with name and job title printed",
        "App 14 §4.4, §8.3",
    ),
)
QA_CODES = tuple(point.code for point in QA_POINTS)
QA_TEXT = {point.code: point.text for point in QA_POINTS}
