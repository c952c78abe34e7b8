"""What each IMR document holds (Solihull guidance App 6, 7, 14 and 15; domain brief §7 "Templates pack"): the
IMR pack an author is given at the briefing (§9.2.3: the App 6 format with what to write under each heading,
the App 7 chronology columns and a one-page summary of the App 14 authors' guide); the review's integrated
chronology, every accepted IMR's chronology merged in date order (§1.6.6, §14.1.1), landscape, as a PDF up to
5,000 rows; and the genogram drawn from the referral's family with the App 15 conventions, anonymised in the
version that leaves the board (App 14 §4.6). Context functions return plain strings, lists and dicts only,
dates already worded. The guidance under each heading is our own summary of the appendix it cites, not its
text."""

from __future__ import annotations

from django.db.models import Count

from imr.chronology_io import APP7_HEADERS
from imr.models import IMR, INTEGRATED_STATES, ChronologyEntry, IMRState
from imr.sections import SECTIONS
from imr.selectors import ChronologyFilters, integrated_export_rows
from referrals.documents import referral_family
from referrals.documents.contexts import terms_of_reference_basics
from referrals.models import Referral
from reviews.models import Review
from reviews.selectors import approved_tor
from scr_portal.clock.services import deadlines_of
from scr_portal.documents import genogram
from scr_portal.documents.registry import (
    BuildRequest,
    board_fields,
    long_date,
    short_date,
)
from scr_portal.documents.services import MAX_TABLE_ROWS
from scr_portal.models.clock import ACTIVE_STATUSES

# --- The IMR pack -------------------------------------------------------------------------------------

# The headings of the standard format (App 6) that `imr.sections` does not hold as text, with our summary
# of what the appendix asks for under each. The text sections come from `imr.sections`.
FORMAT_OPENING = {
    "title": "About this report",
    "guidance": "Start the report with the agency's name, the child it concerns, the date the panel asked "
    "for it, the date the agency's records were secured and the terms of reference it answers. Say what "
    "the author's role in the organisation is, and confirm that they neither worked with the child or "
    "family nor managed the practitioners who did.",
    "points": [],
}
FORMAT_GENOGRAM = {
    "title": "Genogram",
    "guidance": "Draw the family as far as the agency knows it, grandparents and other important adults "
    "and friends included, with the symbols of the genogram guidance (App 15). Write names and dates of "
    "birth under the symbols, using the anonymised names of the glossary.",
    "points": [],
}
FORMAT_CHRONOLOGY = {
    "title": "Detailed factual chronology",
    "guidance": "Set out every contact the agency had with the child, the family and the alleged "
    "perpetrator over the period in the terms of reference, in the chronology template's columns (below and "
    "as a spreadsheet from the IMR page). Say whether all that could reasonably be expected was done to "
    "manage the risk the alleged perpetrator posed to the child.",
    "points": [],
}
FORMAT_CLOSING = [
    {
        "title": "Action plan",
        "guidance": "Turn the SMART recommendations into the agency's own action plan, in the action plan "
        "template (App 13): who does what, by when, and how the agency will know it made a difference.",
        "points": [],
    },
    {
        "title": "Signatures",
        "guidance": "The author and the head of the agency (chief executive or director) sign and date the "
        "completed report, with their names and job titles printed (App 14 §4.4, §8.3).",
        "points": [],
    },
]

# Our summary of each App 7 column, in the template's order.
CHRONOLOGY_GUIDANCE = {
    "Event No": "Number the events 1, 2, 3… in the order you enter them.",
    "Date": "The date of the event, as a date (27/03/2019).",
    "Time": "The time on the 24-hour clock (14:30), or blank if not known.",
    "Age of Child": "Left for the portal: it works the child's age out from the date of birth.",
    "Family Member": "Who the event concerns, by the abbreviation agreed for the case.",
    "Child seen/wishes sought or expressed (Y/N)": "Y if the child was seen or their wishes were asked "
    "for or given; N if not, including missed chances to see them.",
    "Event": "What happened, who knew what, the child's condition and what they said. A cell holds as "
    "much text as you need.",
    "Agency source to overview": "Which part of the agency the information comes from (for example "
    "Education).",
    "Action taken": "What the agency did in response.",
    "Note": "Anything else the panel should know about the entry.",
}


def app7_headers() -> list[str]:
    return list(APP7_HEADERS)


def _format_sections() -> list[dict]:
    text = [
        {
            "title": section.title,
            "guidance": section.intro,
            "points": [field.label + (f": {field.hint}" if field.hint else "") for field in section.fields],
        }
        for section in SECTIONS
    ]
    # App 6 order: opening, context, methodology, genogram, facts, chronology, analysis, lessons,
    # recommendations, action plan, signatures.
    by_title = {section["title"]: section for section in text}
    ordered = [FORMAT_OPENING]
    for section in text:
        ordered.append(section)
        if section is by_title.get("Methodology"):
            ordered.append(FORMAT_GENOGRAM)
        if section is by_title.get("Summary of facts"):
            ordered.append(FORMAT_CHRONOLOGY)
    return [*ordered, *FORMAT_CLOSING]


def _imr_due(imr: IMR) -> str:
    deadline = deadlines_of(imr).filter(status__in=ACTIVE_STATUSES).order_by("due_date").first()
    return f"{deadline.rule.name}: {long_date(deadline.due_date)}" if deadline else ""


def _tor(review: Review, merge) -> dict:
    tor = approved_tor(review)
    if tor is None:
        return {"present": False, "version": "", "period": "", "scope": "", "key_issues": ""}
    return terms_of_reference_basics(tor, merge)


def imr_pack_context(imr: IMR, request: BuildRequest) -> dict:
    merge, review = request.merge, imr.review
    referral = review.referral
    return {
        "board": board_fields(review.board),
        "today": long_date(request.today),
        "imr": {
            "agency": imr.agency.name,
            "reference": imr.case_reference,
            "review_reference": review.reference,
            "child": merge.name(referral.child_name) if referral else "",
            "requested_on": short_date(imr.commissioned_at.date()),
            "author": merge.name(imr.author.full_name) if imr.author_id else "",
            "author_role": imr.author_role,
            "records_secured_on": short_date(imr.records_secured_on),
            "due": _imr_due(imr),
        },
        "terms_of_reference": _tor(review, merge),
        "format": _format_sections(),
        "chronology_columns": [
            {"heading": header, "guidance": CHRONOLOGY_GUIDANCE.get(header, "")} for header in app7_headers()
        ],
    }


def _imr_pack_missing(imr: IMR) -> list[str]:
    if imr.state == IMRState.NIL_RETURN:
        return ["The agency made a nil return, so there is no IMR to write."]
    return []


# --- The integrated chronology ------------------------------------------------------------------------

NO_ACCEPTED_IMRS = (
    "No IMR has been accepted yet. The integrated chronology is made of the chronologies of the IMRs the "
    "panel has accepted."
)
TOO_LONG_FOR_PDF = (
    "The integrated chronology has {rows:,} rows, more than the {limit:,} a PDF can hold. Download it as a "
    "spreadsheet (Excel, XLSX) from the integrated chronology page instead."
)


def integrated_chronology_context(review: Review, request: BuildRequest) -> dict:
    merge = request.merge
    rows = [
        {
            "agency": row.agency,
            "event_no": str(row.event_no),
            "date": row.date.strftime("%d/%m/%Y"),
            "time": row.time.strftime("%H:%M") if row.time else "",
            "age": row.age,
            "family_member": merge.text(row.family_member),
            "child_seen": "Y" if row.child_seen else "N",
            "event": merge.text(row.event),
            "source": merge.text(row.agency_source),
            "action": merge.text(row.action_taken),
            "note": merge.text(row.note),
            "several": row.several_agencies,
        }
        for row in integrated_export_rows(review, ChronologyFilters())
    ]
    counts = (
        ChronologyEntry.objects.filter(imr__review=review, imr__state__in=INTEGRATED_STATES)
        .values_list("imr__agency__name")
        .annotate(n=Count("pk"))
        .order_by("imr__agency__name")
    )
    referral = review.referral
    return {
        "board": board_fields(review.board),
        "today": long_date(request.today),
        "review": {
            "reference": review.reference,
            "child": merge.name(referral.child_name) if referral else "",
        },
        "agencies": [{"name": name, "rows": str(count)} for name, count in counts],
        "total": str(len(rows)),
        "rows": rows,
    }


def _integrated_missing(review: Review) -> list[str]:
    entries = ChronologyEntry.objects.filter(imr__review=review, imr__state__in=INTEGRATED_STATES)
    if not IMR.objects.filter(review=review, state__in=INTEGRATED_STATES).exists():
        return [NO_ACCEPTED_IMRS]
    rows = entries.count()
    if rows > MAX_TABLE_ROWS:
        return [TOO_LONG_FOR_PDF.format(rows=rows, limit=MAX_TABLE_ROWS)]
    return []


# --- The genogram -------------------------------------------------------------------------------------


def genogram_context(referral: Referral, request: BuildRequest) -> dict:
    family = referral_family(referral, request.merge)
    return {
        "board": board_fields(referral.board),
        "today": long_date(request.today),
        "case": {"reference": referral.reference},
        "child": {"name": request.merge.name(referral.child_name)},
        "genogram": genogram.family_to_dict(family),
        "people": [
            {"name": person.name, "description": genogram.describe_person(person)} for person in family.people
        ],
    }


def _genogram_missing(referral: Referral) -> list[str]:
    if not referral.family.exists():
        return ["The referral names no family members. Add the family to the referral first."]
    return []
