"""The anonymisation key, the anonymiser and the checker (domain brief §8.1: children, family members and
professionals are anonymised in anything that leaves the board).

One detector serves both: `anonymise_text` replaces what it finds, `check_pages` reports it with its
place. A name is found in every variant a writer is likely to use — full name, first name alone, surname
alone, with or without middle names, initials with the surname, a title with the surname, any case,
accents or none (Zoë, Zoe), straight or curly apostrophes (O'Neill, O’Neill, ONeill), hyphens or spaces
(Smith-Jones, Smith Jones), and possessives (Zoë's keeps its 's: "Child A's"). Matching runs on a folded
copy of the text (accents stripped, case folded, apostrophes and dashes unified) whose characters map
back to the original, so replacements land in the original text.

Pure functions over plain data: no database. The services turn CaseKeyPerson rows into `KeyPerson`s.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from .identifiers import (
    ADDRESS_REMOVED,
    AMBIGUOUS,
    COMMON_WORD_NAMES,
    DOB_LABEL_RE,
    DOB_REMOVED,
    FINDING_LABELS,
    NHS_RE,
    NHS_REMOVED,
    PHONE_RE,
    PHONE_REMOVED,
    POSTCODE_RE,
    POSTCODE_REMOVED,
    SCHOOL_RE,
    SCHOOL_REMOVED,
    STREET_RE,
    Folded,
    KeyPerson,
    Variant,
    address_lines,
    age_text,
    dates_in,
    flex,
    is_street_line,
    key_fingerprint,
    name_variants,
    nhs_number_valid,
    phone_digits,
)

__all__ = [
    "Detector",
    "Finding",
    "Hit",
    "KeyPerson",
    "age_text",
    "anonymise_text",
    "anonymise_value",
    "check_pages",
    "detector_for",
    "key_fingerprint",
    "nhs_number_valid",
]

# --- The detector -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    kind: str
    text: str
    replacement: str
    detail: str = ""


@dataclass
class Detector:
    """Compiled patterns for one key. Build with `detector_for` (cached by the key's fingerprint)."""

    people: tuple[KeyPerson, ...]
    allow: tuple[str, ...] = ()
    reference_date: dt.date | None = None
    name_re: re.Pattern | None = None
    groups: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # group → (replacement, single, who)
    address_re: re.Pattern | None = None
    school_re: re.Pattern | None = None
    dobs: dict[dt.date, list[KeyPerson]] = field(default_factory=dict)
    allowed_postcodes: frozenset[str] = frozenset()
    allowed_phones: frozenset[str] = frozenset()
    allowed_patterns: tuple[re.Pattern, ...] = ()

    def __post_init__(self):
        # Variants that read the same for two people ("Smith-Jones" for mother and child) cannot say who
        # is meant: they become AMBIGUOUS rather than the wrong person's pseudonym.
        by_canonical: dict[str, tuple[Variant, set[str]]] = {}
        for person in self.people:
            for name in [person.real_name, *person.aliases]:
                for variant in name_variants(name):
                    by_canonical.setdefault(variant.canonical, (variant, set()))[1].add(person.pseudonym)
        ordered = sorted(by_canonical.values(), key=lambda item: (item[0].priority, -len(item[0].canonical)))
        alternatives = []
        for number, (variant, pseudonyms) in enumerate(ordered):
            group = f"n{number}"
            replacement = next(iter(pseudonyms)) if len(pseudonyms) == 1 else AMBIGUOUS
            who = ", ".join(sorted(pseudonyms))
            self.groups[group] = (replacement, variant.single, who)
            alternatives.append(f"(?P<{group}>{variant.pattern})")
        if alternatives:
            self.name_re = re.compile(rf"(?<![\w])(?:{'|'.join(alternatives)})(?![\w])")
        address_patterns, school_patterns = [], []
        for person in self.people:
            if person.address.strip():
                lines = address_lines(person.address)
                address_patterns.append(flex(" ".join(lines)))
                address_patterns.extend(flex(line) for line in lines if is_street_line(line))
                for line in lines:  # "12 Acacia Avenue" is also written "Acacia Avenue"
                    without_number = re.sub(r"^\s*(?:flat\s+)?\d+[a-z]?\s+", "", line, flags=re.IGNORECASE)
                    if without_number != line and is_street_line(without_number):
                        address_patterns.append(flex(without_number))
            if person.school.strip():
                school_patterns.append(flex(person.school))
            if person.date_of_birth:
                self.dobs.setdefault(person.date_of_birth, []).append(person)
        if address_patterns:
            ordered_patterns = sorted(set(address_patterns), key=len, reverse=True)
            self.address_re = re.compile(rf"(?<![\w])(?:{'|'.join(ordered_patterns)})(?![\w])")
        if school_patterns:
            ordered_patterns = sorted(set(school_patterns), key=len, reverse=True)
            self.school_re = re.compile(rf"(?<![\w])(?:{'|'.join(ordered_patterns)})(?![\w])")
        allowed_text = " \n ".join(self.allow)
        self.allowed_postcodes = frozenset(
            match[0].replace(" ", "").upper() for match in POSTCODE_RE.finditer(allowed_text)
        )
        self.allowed_phones = frozenset(
            digits for item in self.allow if (digits := phone_digits(item)) is not None
        ) | frozenset(
            digits for match in PHONE_RE.finditer(allowed_text) if (digits := phone_digits(match[0]))
        )
        pieces = [line for item in self.allow for line in [item, *address_lines(item)] if len(line) >= 4]
        self.allowed_patterns = tuple(
            re.compile(rf"(?<![\w])(?:{flex(piece)})(?![\w])") for piece in sorted(set(pieces), key=len)
        )

    # Each finder yields hits in original-text coordinates.

    def _names(self, text: str, folded: Folded) -> Iterable[Hit]:
        if self.name_re is None:
            return
        for match in self.name_re.finditer(folded.text):
            group = match.lastgroup
            replacement, single, who = self.groups[group]
            start, end = folded.span(match.start(), match.end())
            original = text[start:end]
            if single and single in COMMON_WORD_NAMES and not original[:1].isupper():
                continue
            yield Hit(start, end, "name", original, replacement, f"name of {who}")

    def _addresses(self, text: str, folded: Folded) -> Iterable[Hit]:
        for pattern, kind, replacement in (
            (self.address_re, "address", ADDRESS_REMOVED),
            (self.school_re, "school", SCHOOL_REMOVED),
        ):
            if pattern is None:
                continue
            for match in pattern.finditer(folded.text):
                start, end = folded.span(match.start(), match.end())
                yield Hit(start, end, kind, text[start:end], replacement, f"{kind} from the case key")

    def _schools(self, text: str) -> Iterable[Hit]:
        for match in SCHOOL_RE.finditer(text):
            yield Hit(match.start(), match.end(), "school", match[0], SCHOOL_REMOVED, "looks like a school")

    def _postcodes(self, text: str) -> Iterable[Hit]:
        for match in POSTCODE_RE.finditer(text):
            if match[0].replace(" ", "").upper() in self.allowed_postcodes:
                continue
            yield Hit(match.start(), match.end(), "postcode", match[0], POSTCODE_REMOVED, "a UK postcode")

    def _nhs_numbers(self, text: str) -> Iterable[Hit]:
        for match in NHS_RE.finditer(text):
            if nhs_number_valid("".join(match.groups())):
                yield Hit(match.start(), match.end(), "nhs_number", match[0], NHS_REMOVED, "an NHS number")

    def _phones(self, text: str) -> Iterable[Hit]:
        for match in PHONE_RE.finditer(text):
            digits = phone_digits(match[0])
            if digits is None or digits in self.allowed_phones:
                continue
            raw = match[0].rstrip(" -(")
            yield Hit(
                match.start(), match.start() + len(raw), "phone", raw, PHONE_REMOVED, "a UK phone number"
            )

    def _dates_of_birth(self, text: str) -> Iterable[Hit]:
        """Dates of birth of people in the key (in any written form), then any date labelled as a date of
        birth ("DOB 3/2/95", "born on 3 February 1995") whoever it belongs to."""
        for start, end, day in dates_in(text, today=self.reference_date):
            people = self.dobs.get(day)
            if people:
                who = ", ".join(person.pseudonym for person in people)
                replacement = (
                    f"[aged {age_text(day, self.reference_date)}]"
                    if self.reference_date
                    else "[date of birth]"
                )
                yield Hit(
                    start, end, "date_of_birth", text[start:end], replacement, f"date of birth of {who}"
                )
            elif DOB_LABEL_RE.search(text[max(0, start - 20) : start]):
                yield Hit(
                    start,
                    end,
                    "date_of_birth",
                    text[start:end],
                    DOB_REMOVED,
                    "a date given as a date of birth",
                )

    def _streets(self, text: str) -> Iterable[Hit]:
        for match in STREET_RE.finditer(text):
            yield Hit(
                match.start(),
                match.end(),
                "address",
                match[0],
                ADDRESS_REMOVED,
                "looks like a street address",
            )

    def find(self, text: str) -> list[Hit]:
        """Every hit, overlaps resolved: the earliest wins, then the longest. A hit inside the board's own
        contact details (its address on the letterhead) is not one."""
        if not text:
            return []
        folded = Folded(text)
        hits = [
            *self._names(text, folded),
            *self._addresses(text, folded),
            *self._schools(text),
            *self._postcodes(text),
            *self._nhs_numbers(text),
            *self._phones(text),
            *self._dates_of_birth(text),
            *self._streets(text),
        ]
        allowed = self._allowed_spans(folded)
        if allowed:
            hits = [hit for hit in hits if not any(a <= hit.start and hit.end <= b for a, b in allowed)]
        hits.sort(key=lambda hit: (hit.start, -(hit.end - hit.start)))
        kept: list[Hit] = []
        for hit in hits:
            if kept and hit.start < kept[-1].end:
                continue
            kept.append(hit)
        return kept

    def _allowed_spans(self, folded: Folded) -> list[tuple[int, int]]:
        spans = []
        for pattern in self.allowed_patterns:
            for match in pattern.finditer(folded.text):
                spans.append(folded.span(match.start(), match.end()))
        return spans


@lru_cache(maxsize=64)
def _cached_detector(people: tuple[KeyPerson, ...], allow: tuple[str, ...], reference_date) -> Detector:
    return Detector(people=people, allow=allow, reference_date=reference_date)


def detector_for(
    people: Sequence[KeyPerson], *, allow: Sequence[str] = (), reference_date: dt.date | None = None
) -> Detector:
    return _cached_detector(tuple(people), tuple(allow), reference_date)


# --- Anonymising --------------------------------------------------------------------------------------

_ADJACENT_REMOVALS = re.compile(
    r"(\[(?:address|postcode) removed\])(?:[\s,]*\[(?:address|postcode) removed\])+"
)


def anonymise_text(text: str, detector: Detector) -> str:
    """`text` with every hit replaced: names by pseudonyms (keeping a possessive), dates of birth by ages,
    addresses, schools, postcodes, phone and NHS numbers by a note that they were removed."""
    if not text:
        return text
    out, position = [], 0
    for hit in detector.find(text):
        out.append(text[position : hit.start])
        replacement = hit.replacement
        end = hit.end
        if hit.kind == "name" and text[end : end + 1] in {"'", "\u2019"} and text[end + 1 : end + 2] != "s":
            replacement += "'s"  # James' → Child A's
            end += 1
        out.append(replacement)
        position = end
    out.append(text[position:])
    return _ADJACENT_REMOVALS.sub(lambda match: match[1].replace("postcode", "address"), "".join(out))


def anonymise_value(value, detector: Detector):
    """Anonymise every string in a nested structure of dicts, lists and strings (a document's context)."""
    if isinstance(value, str):
        return anonymise_text(value, detector)
    if isinstance(value, dict):
        return {key: anonymise_value(item, detector) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [anonymise_value(item, detector) for item in value]
    return value


# --- Checking -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    detail: str
    page: int | None
    line: int
    offset: int
    snippet: str

    @property
    def label(self) -> str:
        return FINDING_LABELS.get(self.kind, self.kind)

    @property
    def place(self) -> str:
        where = f"page {self.page}, " if self.page is not None else ""
        return f"{where}line {self.line}"

    def as_dict(self) -> dict:
        return asdict(self)


def check_pages(pages: Sequence[str], detector: Detector, *, paged: bool = True) -> list[Finding]:
    """Findings in each page's text (or, for a document without pages, each block of `pages` as one
    text whose lines are its paragraphs), each with its page, line, offset and a short snippet."""
    findings = []
    for number, text in enumerate(pages, start=1):
        for hit in detector.find(text):
            line = text.count("\n", 0, hit.start) + 1
            before = text[max(0, hit.start - 40) : hit.start]
            after = text[hit.end : hit.end + 40]
            snippet = re.sub(r"\s+", " ", f"{before}{hit.text}{after}").strip()
            findings.append(
                Finding(
                    kind=hit.kind,
                    text=re.sub(r"\s+", " ", hit.text),
                    detail=hit.detail,
                    page=number if paged else None,
                    line=line,
                    offset=hit.start,
                    snippet=snippet,
                )
            )
    return findings
