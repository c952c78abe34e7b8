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
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

AMBIGUOUS = "[name removed]"
ADDRESS_REMOVED = "[address removed]"
SCHOOL_REMOVED = "[school removed]"
POSTCODE_REMOVED = "[postcode removed]"
PHONE_REMOVED = "[phone number removed]"
NHS_REMOVED = "[NHS number removed]"
DOB_REMOVED = "[date of birth removed]"

FINDING_LABELS = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "address": "Address",
    "school": "School",
    "postcode": "Postcode",
    "nhs_number": "NHS number",
    "phone": "Phone number",
}

# Characters folded before matching: every apostrophe to ', every dash to -, odd spaces to a space, and
# characters that are invisible in print (soft hyphen, zero-width) to nothing.
_FOLD = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u0060": "'",
    "\u00b4": "'",
    "\u2032": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u00ad": "",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
}

# Names that are also ordinary words: standing alone they count only when written with a capital, so
# "the child may attend" keeps its "may" while "May said" loses it.
COMMON_WORD_NAMES = frozenset(
    """
    amber april august autumn bill black brown baker bell carer child cook dawn dean faith frank
    gay gene grace green hall hill holly hope iris ivy jack jade joy june king lane mark may
    miles page pat patience penny rich river rose ruby sage sandy sky storm summer sunny taylor
    ward white will winter wood young
    """.split()
)
NAME_PARTICLES = frozenset("van von der den de del della di da du la le st bin ibn al el mac".split())
TITLES = r"(?:(?:mr|mrs|ms|miss|mx|dr|master)\.?\s+)?"
STREET_WORDS = (
    "road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|place|pl|grove|gardens|"
    "terrace|walk|row|square|hill|park|mews|green|rise|view|parade|croft|meadow|fields|house|flat|"
    "cottage|farm"
)


def fold_char(char: str) -> str:
    char = _FOLD.get(char, char)
    if char.isascii():
        return char.lower()
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base.casefold()


class Folded:
    """A folded copy of `text` with, for each folded character, the index of the original character."""

    def __init__(self, text: str):
        self.original = text
        if text.isascii() and "`" not in text:
            self.text = text.lower()
            self._index = None
            return
        parts: list[str] = []
        index: list[int] = []
        for position, char in enumerate(text):
            folded = fold_char(char)
            parts.append(folded)
            index.extend([position] * len(folded))
        self.text = "".join(parts)
        self._index = index

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self._index is None:
            return start, end
        if end <= start:
            position = self._index[start] if start < len(self._index) else len(self.original)
            return position, position
        return self._index[start], self._index[end - 1] + 1


def fold(text: str) -> str:
    return Folded(text).text


@dataclass(frozen=True)
class KeyPerson:
    real_name: str
    pseudonym: str
    aliases: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    address: str = ""
    school: str = ""


def key_fingerprint(people: Iterable[KeyPerson]) -> str:
    rows = sorted(
        [
            person.real_name,
            person.pseudonym,
            list(person.aliases),
            person.date_of_birth.isoformat() if person.date_of_birth else "",
            person.address,
            person.school,
        ]
        for person in people
    )
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


# --- Name variants ------------------------------------------------------------------------------------


def _token_pattern(token: str) -> str:
    """A folded name token as a pattern: apostrophes optional (O'Neill, ONeill, O Neill), hyphens as a
    hyphen, a space or a hyphen broken over a line (Smith-Jones, Smith Jones, Smith-\\nJones)."""
    out = []
    for char in token:
        if char == "'":
            out.append(r"(?:'|\s)?")
        elif char == "-":
            out.append(r"(?:\s*-\s*|\s+)")
        elif char == ".":
            out.append(r"\.?\s*")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _split_name(name: str) -> tuple[list[str], str]:
    """(given names, surname) of a folded name; particles (van der, de la, O') stay with the surname."""
    tokens = [token for token in re.split(r"\s+", fold(name).strip()) if token]
    tokens = [token.strip(",") for token in tokens if token.strip(",")]
    if len(tokens) <= 1:
        return tokens, ""
    surname_start = len(tokens) - 1
    while surname_start > 1 and tokens[surname_start - 1] in NAME_PARTICLES:
        surname_start -= 1
    return tokens[:surname_start], " ".join(tokens[surname_start:])


@dataclass(frozen=True)
class Variant:
    pattern: str
    canonical: str  # what identical variants of different people share
    priority: int  # lower first: full names before initials before single names
    single: str = ""  # for single-word variants: the word (to apply the common-word rule)


def name_variants(name: str) -> list[Variant]:
    given, surname = _split_name(name)
    variants: list[Variant] = []
    if not given:
        return variants
    if not surname:  # one word: a first name or a nickname
        word = given[0]
        if len(word.replace("'", "").replace("-", "")) >= 2:
            variants.append(Variant(_token_pattern(word), word, 40, single=word))
        return variants
    first, middles = given[0], given[1:]
    surname_pattern = _token_pattern(surname).replace(r"\ ", r"\s+")
    middle_pattern = "".join(rf"(?:\s+{_token_pattern(m)})?" for m in middles)
    middle_initials = "".join(rf"(?:\s*{re.escape(m[0])}\.?)?" for m in middles if m)
    full = rf"{TITLES}{_token_pattern(first)}{middle_pattern}\s+{surname_pattern}"
    variants.append(Variant(full, f"{first} {surname}", 10))
    variants.append(
        Variant(
            rf"{TITLES}{re.escape(first[0])}\.?{middle_initials}\s*{surname_pattern}",
            f"{first[0]} {surname}",
            20,
        )
    )
    variants.append(Variant(rf"{TITLES}{surname_pattern}", surname, 30, single=surname))
    parts = [part for part in re.split(r"[-\s]+", surname) if part not in NAME_PARTICLES]
    if len(parts) > 1:
        for part in parts:
            if len(part.replace("'", "")) >= 3:
                variants.append(Variant(rf"{TITLES}{_token_pattern(part)}", part, 35, single=part))
    for word in [first, *middles]:
        if len(word.replace("'", "").replace("-", "")) >= 2:
            variants.append(Variant(_token_pattern(word), word, 40 if word == first else 45, single=word))
    return variants


# --- Other identifiers --------------------------------------------------------------------------------

POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
NHS_RE = re.compile(r"(?<![\d\w])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d\w])")
PHONE_RE = re.compile(r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)(?:\d[ \-()]?){8,10}\d(?!\d)")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_NUMERIC_RE = re.compile(r"(?<!\d)(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4}|\d{2})(?!\d)")
DATE_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
DATE_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
DATE_MONTH_DAY_RE = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
SCHOOL_RE = re.compile(
    r"\b(?:(?:St\.?|Saint|[A-Z][\w'’\-]*)\s+){1,6}"
    r"(?:(?:Primary|Infants?|Junior|Secondary|High|Grammar|Nursery|Community|Special|Free|Catholic|"
    r"C\s?of\s?E|CE|RC)\s+)*(?:School|Academy|College|Nursery)\b"
)

# Recognisable forms that need no key: a date labelled as a date of birth, and a house number with a
# street ("12 Acacia Avenue").
DOB_LABEL_RE = re.compile(r"\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?)\s*[:\-]?\s*$", re.IGNORECASE)
STREET_RE = re.compile(
    r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][\w'’\-]+\s+){1,3}"
    r"(?:Road|Street|Avenue|Lane|Close|Drive|Way|Court|Crescent|Place|Grove|Gardens|Terrace|Walk|Row|Square|"
    r"Mews|Rise|View|Parade|Croft|Meadow|Fields|Green|Hill)\b"
)


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's Modulus 11 check: weights 10 to 2 on the first nine digits; 11 minus the
    remainder is the check digit (11 counts as 0; 10 means the number is not valid)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def phone_digits(text: str) -> str | None:
    """The digits of a UK phone number in national form (0…), or None if `text` is not one."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("440"):
        digits = digits[2:]
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    if len(digits) not in (10, 11) or not digits.startswith("0") or digits[1] not in "123578":
        return None
    return digits


def _year(text: str, today: dt.date) -> int:
    if len(text) == 4:
        return int(text)
    short = int(text)
    return 2000 + short if short <= today.year % 100 else 1900 + short


def dates_in(text: str, *, today: dt.date | None = None) -> Iterable[tuple[int, int, dt.date]]:
    """(start, end, date) for every date written in a recognisable UK form."""
    today = today or dt.date.today()  # noqa: DTZ011 — only decides which century "20" means
    for match in DATE_NUMERIC_RE.finditer(text):
        day, month, year = int(match[1]), int(match[2]), _year(match[3], today)
        yield from _date_hit(match, year, month, day)
    for match in DATE_ISO_RE.finditer(text):
        yield from _date_hit(match, int(match[1]), int(match[2]), int(match[3]))
    for match in DATE_DAY_MONTH_RE.finditer(text):
        yield from _date_hit(match, int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    for match in DATE_MONTH_DAY_RE.finditer(text):
        yield from _date_hit(match, int(match[3]), MONTHS[match[1].lower()], int(match[2]))


def _date_hit(match, year, month, day):
    try:
        yield match.start(), match.end(), dt.date(year, month, day)
    except ValueError:
        return


def age_text(date_of_birth: dt.date, on: dt.date) -> str:
    """ "6 years", "1 year", "8 months", "3 weeks": the age on `on`, as a pseudonymised document gives it."""
    if on < date_of_birth:
        return "not yet born"
    years = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    if years >= 1:
        return f"{years} year{'s' if years != 1 else ''}"
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if on.day < date_of_birth.day:
        months -= 1
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''}"
    weeks = (on - date_of_birth).days // 7
    if weeks >= 1:
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return "under a week"


def address_lines(address: str) -> list[str]:
    return [line.strip(" ,.") for line in re.split(r"[\n,]+", address) if line.strip(" ,.")]


def _street_line(line: str) -> bool:
    return bool(re.search(r"\d", line) and re.search(r"[A-Za-z]{3}", line)) or bool(
        re.search(rf"\b(?:{STREET_WORDS})\b", line, re.IGNORECASE) and len(line.split()) >= 2
    )


def _flex(text: str) -> str:
    """A folded phrase as a pattern that tolerates different spacing and punctuation between words."""
    words = [re.escape(word) for word in re.split(r"[\s,]+", fold(text).strip()) if word]
    return r"[\s,]+".join(words)


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
                address_patterns.append(_flex(" ".join(lines)))
                address_patterns.extend(_flex(line) for line in lines if _street_line(line))
                for line in lines:  # "12 Acacia Avenue" is also written "Acacia Avenue"
                    without_number = re.sub(r"^\s*(?:flat\s+)?\d+[a-z]?\s+", "", line, flags=re.IGNORECASE)
                    if without_number != line and _street_line(without_number):
                        address_patterns.append(_flex(without_number))
            if person.school.strip():
                school_patterns.append(_flex(person.school))
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
            re.compile(rf"(?<![\w])(?:{_flex(piece)})(?![\w])") for piece in sorted(set(pieces), key=len)
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
        return {
            "kind": self.kind,
            "text": self.text,
            "detail": self.detail,
            "page": self.page,
            "line": self.line,
            "offset": self.offset,
            "snippet": self.snippet,
        }


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
