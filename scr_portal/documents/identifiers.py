"""What the anonymiser looks for, as plain data and patterns: the folded copy of a text whose characters
map back to the original, a key person, the variants of a name a writer is likely to use, and the other
identifiers (postcodes, phone and NHS numbers, dates, schools, street addresses). `anonymise.py` builds its
detector from these. Pure functions: no database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

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


def is_street_line(line: str) -> bool:
    return bool(re.search(r"\d", line) and re.search(r"[A-Za-z]{3}", line)) or bool(
        re.search(rf"\b(?:{STREET_WORDS})\b", line, re.IGNORECASE) and len(line.split()) >= 2
    )


def flex(text: str) -> str:
    """A folded phrase as a pattern that tolerates different spacing and punctuation between words."""
    words = [re.escape(word) for word in re.split(r"[\s,]+", fold(text).strip()) if word]
    return r"[\s,]+".join(words)
