"""Sample contexts of the IMR documents, and their kinds registered with the document engine."""

from __future__ import annotations

from referrals.documents import SAMPLE_BOARD
from scr_portal.documents import genogram
from scr_portal.documents.registry import (
    DocumentKind,
    Wording,
    register,
)

from .contexts import (
    _format_sections,
    _genogram_missing,
    _imr_pack_missing,
    _integrated_missing,
    app7_headers,
    genogram_context,
    imr_pack_context,
    integrated_chronology_context,
)

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
        part_rows="rows",
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
