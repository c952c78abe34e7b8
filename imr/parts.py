"""The parts of an IMR the author writes, by which a panel's request for further information names what it
reopens (issue 16 clause 2): each section of the standard format, the report document, the appendices, the
chronology, the genogram, the interviews and the action plan. While a request is open only the parts it
names can be changed."""

from .sections import SECTIONS

REPORT = "report"
APPENDICES = "appendices"
CHRONOLOGY = "chronology"
GENOGRAM = "genogram"
INTERVIEWS = "interviews"
ACTION_PLAN = "action_plan"

PART_TITLES: dict[str, str] = {
    **{section.slug: section.title for section in SECTIONS},
    REPORT: "Report document",
    APPENDICES: "Appendices",
    CHRONOLOGY: "Chronology",
    GENOGRAM: "Genogram",
    INTERVIEWS: "Interviews with practitioners",
    ACTION_PLAN: "Single-agency action plan",
}
ALL_PARTS = frozenset(PART_TITLES)
# The section (a part) that holds each text field of the standard format.
PART_OF_FIELD = {field.name: section.slug for section in SECTIONS for field in section.fields}


def titles(parts) -> list[str]:
    """The parts' titles, in the IMR's order."""
    return [title for slug, title in PART_TITLES.items() if slug in parts]
