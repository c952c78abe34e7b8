"""The text sections of the IMR standard format (Solihull App 6), so the panel reads the IMR in the browser
as well as in the uploaded report. Each section names the IMR fields it holds and the prompts the format
gives the author."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionField:
    name: str
    label: str
    hint: str = ""
    panel_only: bool = False


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    fields: tuple[SectionField, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "context",
        "Contextual information",
        "Whether the context in which the case was conducted affected decisions. Give most weight to primary "
        "information; identify secondary and anecdotal information as such.",
        (
            SectionField(
                "contextual_information",
                "Contextual information",
                "For example volume of work, staff turnover, sickness and leave cover, administrative "
                "support, organisational change, unallocated cases, the social and community context, "
                "management and supervision, risk policies, services available to the family, budget, "
                "training, legal advice.",
            ),
        ),
    ),
    Section(
        "methodology",
        "Methodology",
        "How the agency carried out its review.",
        (
            SectionField("methodology", "How the agency carried out the review"),
            SectionField("documents_seen", "Documents seen"),
            SectionField("interviews_held", "Interviews held, with their dates"),
            SectionField("information_missing", "Information not available or not considered, with reasons"),
            SectionField("staff_informed", "How agency staff were kept informed of the review"),
            SectionField(
                "staff_key",
                "Staff involved, by name and job title",
                "For the panel only. The overview report is completely anonymised.",
                panel_only=True,
            ),
            SectionField("sufficient_time", "Were you given sufficient time to complete the task?"),
        ),
    ),
    Section(
        "facts",
        "Summary of facts",
        "Relevant history in narrative form.",
        (
            SectionField(
                "summary_of_facts",
                "Summary of facts",
                "Present and past relationships, marriages, children and home circumstances, the adults' own "
                "childhoods, violence within and outside the family, extended family and community. Append "
                "conference minutes, criminal antecedents and growth charts as appendices.",
            ),
        ),
    ),
    Section(
        "analysis",
        "Analysis of involvement",
        "The events, decisions and actions taken or not taken, and why. Analyse; do not restate the "
        "chronology.",
        (
            SectionField(
                "analysis",
                "Analysis of involvement",
                "Cover the 12 questions of the standard format: awareness of indicators of abuse, the "
                "child's wishes and feelings, policies, key decision points, actions against assessments, "
                "out-of-hours handovers, child protection and looked-after processes, race, culture, "
                "language, religion and disability, senior involvement, consistency with standards, "
                "capacity and resources, and management accountability.",
            ),
        ),
    ),
    Section(
        "lessons",
        "What do we learn from this case?",
        "Lessons for the way the agency safeguards children, and good practice to highlight.",
        (
            SectionField(
                "lessons",
                "Lessons learned",
                "Implications for ways of working, training, management and supervision, partnership working "
                "and resources.",
            ),
        ),
    ),
    Section(
        "recommendations",
        "SMART recommendations",
        "Specific, measurable, achievable, relevant and timely. Put each one in the action plan too.",
        (
            SectionField(
                "recommendations",
                "Recommendations for action",
                "Changes to procedures and to inter-agency working, good practice to extend, who does what "
                "by when, the outcomes and how they will be evaluated, and any immediate statutory "
                "notifications or media issues.",
            ),
        ),
    ),
)
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}
SECTION_FIELDS = tuple(field.name for section in SECTIONS for field in section.fields)
