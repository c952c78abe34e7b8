"""The IMR documents (Solihull guidance App 6, 7, 14 and 15; domain brief §7 "Templates pack"):

- the IMR pack an author is given at the briefing (§9.2.3): the standard format of an IMR (App 6) with
  what to write under each heading, the chronology columns (App 7; the same columns as a spreadsheet from
  the IMR page, `imr_chronology_app7_template`), and a one-page summary of the authors' guide (App 14);
- the review's integrated chronology: every accepted IMR's chronology merged in date order (§1.6.6,
  §14.1.1), landscape, as a PDF up to 5,000 rows (the XLSX export of the integrated chronology page has
  no limit);
- the genogram drawn from the referral's family composition with the conventions of App 15
  (`scr_portal.documents.genogram`, the family from `referrals.documents.referral_family`), anonymised in
  the version that leaves the board (App 14 §4.6).

Also the IMR's owner type (who may see and produce these documents, what its anonymisation key is filled
from), and the practitioners each IMR names, which the review's key adds ("review-key-practitioners").

Context functions return plain strings, lists and dicts only, dates already worded. The guidance under
each heading is our own summary of the appendix it cites, not its text."""

from __future__ import annotations

import hashlib
import re

from django.db.models import Count

from imr.chronology_io import COLUMNS, IGNORED_COLUMNS
from imr.models import IMR, INTEGRATED_STATES, ChronologyEntry, IMRState
from imr.permissions import get_imr_for_user, imr_access
from imr.sections import SECTIONS
from imr.selectors import ChronologyFilters, integrated_export_rows
from referrals.documents import SAMPLE_BOARD, referral_family, referral_key_rows
from referrals.models import Referral
from reviews.documents import review_reference_date
from reviews.models import Review
from reviews.selectors import approved_tor
from scr_portal.clock.services import deadlines_of
from scr_portal.documents import genogram
from scr_portal.documents.owners import KeyRow, OwnerType, add_practitioners, register_owner_type, senior_may
from scr_portal.documents.registry import (
    BuildRequest,
    DocumentKind,
    Wording,
    extend,
    long_date,
    register,
    short_date,
)
from scr_portal.documents.services import MAX_TABLE_ROWS

ACTIVE = ["open", "overdue", "extended"]


def _board(board) -> dict:
    return {
        "name": board.name,
        "address": board.address,
        "phone": board.phone,
        "secure_mailbox": board.secure_mailbox,
        "email": board.contact_email,
    }


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
    """The App 7 column headings in the template's order: the import columns of `imr.chronology_io`, with
    "Age of Child" (which the import ignores, as the portal works it out) back after "Time"."""
    headers = [header for _, header in COLUMNS]
    at = headers.index("Time") + 1
    return [*headers[:at], *IGNORED_COLUMNS, *headers[at:]]


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
    deadline = deadlines_of(imr).filter(status__in=ACTIVE).order_by("due_date").first()
    return f"{deadline.rule.name}: {long_date(deadline.due_date)}" if deadline else ""


def _tor(review: Review, merge) -> dict:
    tor = approved_tor(review)
    if tor is None:
        return {"present": False, "version": "", "period": "", "scope": "", "key_issues": ""}
    period = ""
    if tor.period_from or tor.period_to:
        period = (
            f"{short_date(tor.period_from) or 'the start'} to {short_date(tor.period_to) or 'the present'}"
        )
    return {
        "present": True,
        "version": str(tor.number),
        "period": period,
        "scope": merge.text(tor.scope),
        "key_issues": merge.text(tor.key_issues),
    }


def imr_pack_context(imr: IMR, request: BuildRequest) -> dict:
    merge, review = request.merge, imr.review
    referral = review.referral
    return {
        "board": _board(review.board),
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
        "board": _board(review.board),
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
        "board": _board(referral.board),
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


# --- Sample contexts ----------------------------------------------------------------------------------


def sample_imr_pack() -> dict:
    return {
        "board": SAMPLE_BOARD,
        "today": "Tuesday 24 November 2026",
        "imr": {
            "agency": "Example Health",
            "reference": "EXLSCB-2026-0001-SCR-IMR-1",
            "review_reference": "EXLSCB-2026-0001-SCR",
            "child": "Child A",
            "requested_on": "20 November 2026",
            "author": "Nina Author",
            "author_role": "Named nurse for safeguarding, not involved in the case",
            "records_secured_on": "23 November 2026",
            "due": "IMR submitted to the panel: Friday 19 February 2027",
        },
        "terms_of_reference": {
            "present": True,
            "version": "1",
            "period": "1 May 2020 to 20 November 2026",
            "scope": "The agencies' work with the family from the child's birth.",
            "key_issues": "How the child's voice was heard.",
        },
        "format": _format_sections(),
        "chronology_columns": [{"heading": header, "guidance": ""} for header in app7_headers()],
    }


def sample_integrated_chronology() -> dict:
    return {
        "board": SAMPLE_BOARD,
        "today": "Tuesday 24 November 2026",
        "review": {"reference": "EXLSCB-2026-0001-SCR", "child": "Child A"},
        "agencies": [{"name": "Example Health", "rows": "1"}],
        "total": "1",
        "rows": [
            {
                "agency": "Example Health",
                "event_no": "1",
                "date": "27/03/2021",
                "time": "14:30",
                "age": "10 months",
                "family_member": "M",
                "child_seen": "Y",
                "event": "Home visit by the health visitor.",
                "source": "Health visiting",
                "action": "Next visit booked.",
                "note": "",
                "several": False,
            }
        ],
    }


def sample_genogram() -> dict:
    child = genogram.Person(key="child", name="Child A", relationship="The child", subject=True)
    family = genogram.family_from_relationships(
        child=child,
        relatives=[genogram.Relative("m", "Mother", "Mother"), genogram.Relative("f", "Father", "Father")],
    )
    return {
        "board": SAMPLE_BOARD,
        "today": "Tuesday 24 November 2026",
        "case": {"reference": "EXLSCB-2026-0001"},
        "child": {"name": "Child A"},
        "genogram": genogram.family_to_dict(family),
        "people": [{"name": p.name, "description": genogram.describe_person(p)} for p in family.people],
    }


BOARD_DESCRIPTIONS = {
    "board.name": "The board's name",
    "board.address": "The board's postal address",
    "board.phone": "The business unit's telephone number",
    "board.secure_mailbox": "The secure email address for papers",
    "board.email": "The business unit's email address",
    "today": "Today's date",
}

register(
    DocumentKind(
        code="imr-pack",
        title="IMR pack: standard format, chronology template and authors' guide",
        source="Solihull guidance, Appendices 6, 7 and 14",
        description="What the author is given at the briefing: the headings of the IMR with what to write "
        "under each, the chronology columns, and a one-page summary of the authors' guide. The chronology "
        "template is also on the IMR page as a spreadsheet.",
        layout="documents/imr_pack.html",
        owner_type="imr",
        build=imr_pack_context,
        sample=sample_imr_pack,
        descriptions={
            **BOARD_DESCRIPTIONS,
            "imr.agency": "The agency writing the IMR",
            "imr.reference": "The IMR's reference",
            "imr.review_reference": "The review's reference",
            "imr.child": "The child's name (the pseudonym in an anonymised version)",
            "imr.requested_on": "The date the panel asked for the IMR",
            "imr.author": "The IMR author's name",
            "imr.author_role": "The author's role in the organisation",
            "imr.records_secured_on": "The date the agency secured its records",
            "imr.due": "The IMR's next deadline and its date, from the clock",
            "terms_of_reference.present": "Whether approved terms of reference exist",
            "terms_of_reference.version": "Their version",
            "terms_of_reference.period": "The period the review covers",
            "terms_of_reference.scope": "The scope",
            "terms_of_reference.key_issues": "The key issues",
            "format": "The headings of the standard format (a list)",
            "format[each].title": "Heading",
            "format[each].guidance": "What to write under it",
            "format[each].points": "Points to cover (a list)",
            "chronology_columns": "The chronology template's columns (a list)",
            "chronology_columns[each].heading": "Column heading",
            "chronology_columns[each].guidance": "What goes in it",
        },
        wordings={"intro": "imr-pack-intro", "guide": "imr-authors-guide"},
        missing=_imr_pack_missing,
    ),
    wordings=[
        Wording("imr-pack-intro", "IMR pack: introduction", "imr-pack"),
        Wording("imr-authors-guide", "IMR pack: the authors' guide in one page (App 14)", "imr-pack"),
    ],
)

register(
    DocumentKind(
        code="integrated-chronology",
        title="Integrated chronology",
        source="Solihull guidance, Appendix 7 and §14.1.1",
        description="Every accepted IMR's chronology merged in date order, each row keeping its agency, "
        "with the days on which several agencies saw the family marked. Up to 5,000 rows; the integrated "
        "chronology page exports any number of rows as a spreadsheet.",
        layout="documents/integrated_chronology.html",
        owner_type="review",
        build=integrated_chronology_context,
        sample=sample_integrated_chronology,
        descriptions={
            **BOARD_DESCRIPTIONS,
            "review.reference": "The review's reference",
            "review.child": "The child's name",
            "agencies": "The agencies whose chronologies are merged (a list)",
            "agencies[each].name": "Agency",
            "agencies[each].rows": "How many rows it has",
            "total": "How many rows in all",
            "rows": "The rows (a list)",
        },
        wordings={"intro": "integrated-chronology-intro"},
        missing=_integrated_missing,
        orientation="landscape",
    ),
    wordings=[
        Wording("integrated-chronology-intro", "Integrated chronology: introduction", "integrated-chronology")
    ],
)

register(
    DocumentKind(
        code="genogram",
        title="Genogram",
        source="Solihull guidance, Appendix 15",
        description="The family as the referral records it, drawn with the genogram symbols: square for a "
        "male, circle for a female, diamond when not known, a cross for someone who has died, the child "
        "double-lined. The anonymised version uses the pseudonyms of the anonymisation key.",
        layout="documents/genogram.html",
        owner_type="referral",
        build=genogram_context,
        sample=sample_genogram,
        descriptions={
            **BOARD_DESCRIPTIONS,
            "case.reference": "The referral's reference",
            "child.name": "The child's name (the pseudonym in an anonymised version)",
            "genogram": "The drawing's data (people, couples, children)",
            "people": "The people on the genogram (a list)",
            "people[each].name": "Name",
            "people[each].description": "Relationship, sex, birth and death in words",
        },
        wordings={"note": "genogram-note"},
        external=True,
        missing=_genogram_missing,
    ),
    wordings=[Wording("genogram-note", "Genogram: note under the drawing", "genogram")],
)


# --- The App 7 chronology template as a spreadsheet ---------------------------------------------------

TEMPLATE_ROWS = 2_000  # rows formatted in advance (dates, times, Y/N); authors may type below them too
COLUMN_WIDTHS = {"Event": 60, "Action taken": 40, "Note": 30, "Agency source to overview": 22}


def app7_template_xlsx() -> bytes:
    """The App 7 chronology template (Chronology.v1/2010) as a workbook an author fills in and imports:
    the ten columns in the appendix's order on the first sheet, the date and time columns formatted, the
    Y/N column limited to Y or N, text wrapped; what goes in each column on a second sheet. The import
    (`imr.chronology_io.parse_chronology`) reads it as it comes, "Age of Child" left to the portal."""
    import io

    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = app7_headers()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    sheet.append(headers)
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = wrap
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(header, 14)
        number_format = {"Date": "dd/mm/yyyy", "Time": "hh:mm"}.get(header)
        if number_format:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = number_format
    seen = headers.index("Child seen/wishes sought or expressed (Y/N)") + 1
    letter = get_column_letter(seen)
    yes_no = DataValidation(type="list", formula1='"Y,N"', allow_blank=True, showErrorMessage=True)
    yes_no.error = "Enter Y or N"
    yes_no.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(yes_no)
    guide = workbook.create_sheet("How to fill it in")
    guide.append(["Column", "What goes in it"])
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    for header in headers:
        guide.append([header, CHRONOLOGY_GUIDANCE.get(header, "")])
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The IMR as the owner of documents ----------------------------------------------------------------

# A line of the IMR's staff key (Solihull App 6, Methodology f: staff involved by name and job title) is
# "name, job title", "name – job title", "name: job title" or "name (job title)"; the name comes first.
STAFF_KEY_SPLIT = re.compile(r"\s*(?:,|;|:|\(|\t|\s[-–—]\s)")


def staff_key_names(staff_key: str) -> list[str]:
    """The names in an IMR's staff key, one a line, in order. A hyphen inside a name (Smith-Jones) is not a
    separator; one with spaces round it is."""
    names = []
    for line in staff_key.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line)  # a list bullet or number
        name = STAFF_KEY_SPLIT.split(line.strip(), maxsplit=1)[0].strip()
        if name and len(name) <= 100 and re.search(r"[^\W\d_]", name):
            names.append(name)
    return names


def _name_ref(name: str) -> str:
    return hashlib.sha256(" ".join(name.split()).casefold().encode()).hexdigest()[:16]


def _imr_key_rows(imr) -> list[KeyRow]:
    """The referral's people, then the practitioners the IMR names: its staff key (App 6 f, for the panel
    only) and the practitioners interviewed (App 8). The chronology rows (App 7) name no practitioner in a
    column of their own, so its staff are taken from those two places. Each person once, whatever the
    case or spacing of the name."""
    referral = imr.review.referral
    rows = referral_key_rows(referral) if referral is not None else []
    return add_practitioners(rows, _imr_practitioners(imr))


def _imr_practitioners(imr) -> list[tuple[str, str]]:
    """(source ref, name) of the practitioners an IMR names. Staff rows are known by their name (a line
    moved or removed in the key must not hand one person's pseudonym to another); interviews by their
    record."""
    found = [(f"imr-staff:{_name_ref(name)}", name) for name in staff_key_names(imr.staff_key)]
    found += [(f"imr-interview:{person.pk}", person.interviewee_name) for person in imr.interviews.all()]
    return found


def _imr_may(user, imr, action: str) -> bool:
    """View: whoever may open the IMR (its author, the agency, the review's panel, the board's staff).
    The IMR pack is produced for the author and by the business unit; the key is kept by either; approval
    and overriding the check stay with the business manager (and the LSCB Chair for approval)."""
    access = imr_access(user, imr)
    if not access.sees:
        return False
    board = imr.review.board
    if action == "view":
        return True
    if action in {"request", "edit_key"}:
        return access.is_author or access.is_business_unit
    return senior_may(user, board, action)


def _imr_get(user, pk):
    """404 for anyone the IMR app would not show the IMR to (another agency's author, another board)."""
    imr, _ = get_imr_for_user(user, pk)
    return imr


def _imr_reference_date(imr):
    return review_reference_date(imr.review)


register_owner_type(
    OwnerType(
        key="imr",
        model="imr.IMR",
        label="IMR",
        get_for_user=_imr_get,
        may=_imr_may,
        board=lambda imr: imr.review.board,
        reference=lambda imr: imr.case_reference,
        reference_date=_imr_reference_date,
        data_as_of=lambda imr: imr.updated_at or imr.commissioned_at,
        key_rows=_imr_key_rows,
        detail_url_name="imr_detail",
        documents_url_name="imr_documents",
        key_url_name="imr_case_key",
    )
)


def _review_practitioners(review) -> list[tuple[str, str]]:
    """The practitioners every IMR of a review names, for the review's own key (reviews/documents.py)."""
    named = []
    for imr in IMR.objects.filter(review=review).prefetch_related("interviews").order_by("pk"):
        named += _imr_practitioners(imr)
    return named


extend("review-key-practitioners", _review_practitioners)
