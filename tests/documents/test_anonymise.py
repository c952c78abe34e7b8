"""The anonymiser and the checker on their own (no database): every variant of a tricky name is found
and replaced, dates of birth become ages, addresses, schools, postcodes, phone and NHS numbers go, and
the board's own contact details stay."""

import datetime as dt

import pytest

from scr_portal.documents.anonymise import (
    KeyPerson,
    age_text,
    anonymise_text,
    check_pages,
    detector_for,
    key_fingerprint,
    nhs_number_valid,
)

INCIDENT = dt.date(2026, 11, 20)
KEY = [
    KeyPerson(
        "Zoë Anne Smith-Jones",
        "Child A",
        date_of_birth=dt.date(2020, 5, 1),
        address="12 Acacia Avenue\nSolihull\nB91 3QT",
        school="Oak Tree Primary School",
    ),
    KeyPerson("Siobhan O'Neill", "Mother", aliases=("Shiv",), date_of_birth=dt.date(1995, 2, 3)),
    KeyPerson("Liam Smith-Jones", "Father"),
    KeyPerson("José García", "Practitioner 1"),
    KeyPerson("May Brown", "Sibling 1"),
    KeyPerson("Ann van der Berg", "Practitioner 2"),
]
BOARD = ["Alpha LSCB", "Council House\nManor Square\nSolihull\nB91 3QB", "0121 704 6000"]

# Every variant of every name the brief asks for, and how each one must come out.
VARIANTS = [
    ("Zoë Smith-Jones was seen.", "Child A was seen."),
    ("Zoë Anne Smith-Jones was seen.", "Child A was seen."),
    ("ZOË SMITH-JONES was seen.", "Child A was seen."),
    ("zoe smith jones was seen.", "Child A was seen."),
    ("Zoe Smith–Jones (en dash)", "Child A (en dash)"),
    ("Zoë was seen.", "Child A was seen."),
    ("ZOE was seen.", "Child A was seen."),
    ("Zoë's coat", "Child A's coat"),
    ("Zoë’s coat", "Child A’s coat"),
    ("Z. Smith-Jones", "Child A"),
    ("Z Smith-Jones", "Child A"),
    ("Z.A. Smith-Jones", "Child A"),
    ("Mrs O'Neill said", "Mother said"),
    ("Mrs O’Neill said", "Mother said"),
    ("Ms ONeill said", "Mother said"),
    ("O'NEILL said", "Mother said"),
    ("S. O'Neill said", "Mother said"),
    ("Siobhan said", "Mother said"),
    ("siobhan's flat", "Mother's flat"),
    ("Shiv said", "Mother said"),
    ("Liam said", "Father said"),
    ("Mr Liam Smith-Jones said", "Father said"),
    ("José García wrote", "Practitioner 1 wrote"),
    ("Jose Garcia wrote", "Practitioner 1 wrote"),
    ("JOSÉ GARCÍA's notes", "Practitioner 1's notes"),
    ("Dr García wrote", "Practitioner 1 wrote"),
    ("Ms van der Berg wrote", "Practitioner 2 wrote"),
    ("Ann Van Der Berg wrote", "Practitioner 2 wrote"),
    ("May Brown said", "Sibling 1 said"),
    ("the Smith-Jones family", "the [name removed] family"),  # surname of two people: no pseudonym fits
]


@pytest.fixture(scope="module")
def detector():
    return detector_for(KEY, allow=BOARD, reference_date=INCIDENT)


@pytest.mark.parametrize(("text", "expected"), VARIANTS)
def test_every_variant_of_a_name_is_replaced_by_the_pseudonym(detector, text, expected):
    assert anonymise_text(text, detector) == expected


def test_a_document_that_names_everyone_in_every_variant_keeps_none_of_them(detector):
    document = "\n".join(text for text, _ in VARIANTS)
    anonymised = anonymise_text(document, detector)
    assert check_pages([anonymised], detector) == []
    for fragment in ("Zo", "Smith", "Jones", "Neill", "Siobhan", "Shiv", "Liam", "Jos", "Garc", "Berg"):
        assert fragment.lower() not in anonymised.lower()


def test_a_common_word_that_is_also_a_name_counts_only_with_a_capital(detector):
    assert anonymise_text("The child may attend. May said no.", detector) == (
        "The child may attend. Sibling 1 said no."
    )


def test_a_name_inside_another_word_is_left_alone(detector):
    assert anonymise_text("Liamson and Annabel and Zoetrope", detector) == "Liamson and Annabel and Zoetrope"


def test_a_possessive_of_a_name_ending_in_s_keeps_its_meaning():
    detector = detector_for([KeyPerson("James Hughes", "Father")])
    assert anonymise_text("James' coat, Hughes's car", detector) == "Father's coat, Father's car"


def test_dates_of_birth_become_ages_in_text_and_other_dates_stay(detector):
    text = "Zoë (DOB 01/05/2020, also 1st May 2020, 2020-05-01, May 1, 2020) was seen on 19/11/2026."
    assert anonymise_text(text, detector) == (
        "Child A (DOB [aged 6 years], also [aged 6 years], [aged 6 years], [aged 6 years]) "
        "was seen on 19/11/2026."
    )


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (dt.date(2020, 5, 1), dt.date(2026, 11, 20), "6 years"),
        (dt.date(2025, 11, 21), dt.date(2026, 11, 20), "11 months"),
        (dt.date(2026, 10, 20), dt.date(2026, 11, 20), "1 month"),
        (dt.date(2026, 11, 1), dt.date(2026, 11, 20), "2 weeks"),
        (dt.date(2026, 11, 18), dt.date(2026, 11, 20), "under a week"),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), "11 months"),
    ],
)
def test_age_is_given_in_whole_years_then_months_then_weeks(born, on, expected):
    assert age_text(born, on) == expected


def test_addresses_schools_postcodes_phone_and_nhs_numbers_are_removed(detector):
    text = (
        "They lived at 12 Acacia Avenue, Solihull, B91 3QT, later just Acacia Avenue. Another home: B37 5TN. "
        "Oak Tree Primary School and St Mary's Catholic Primary School. "
        "Call 07700 900123 or +44 (0)121 496 0000. "
        "NHS number 943 476 5919 (also 9434765919)."
    )
    assert anonymise_text(text, detector) == (
        "They lived at [address removed], later just [address removed]. Another home: [postcode removed]. "
        "[school removed] and [school removed]. "
        "Call [phone number removed] or [phone number removed]. "
        "NHS number [NHS number removed] (also [NHS number removed])."
    )


def test_the_boards_own_contact_details_are_not_personal_details(detector):
    text = "Alpha LSCB, Council House, Manor Square, Solihull, B91 3QB. Telephone 0121 704 6000."
    assert check_pages([text], detector) == []
    assert anonymise_text(text, detector) == text


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9434765918", False),
        ("1234567890", False),
        ("123", False),
    ],
)
def test_nhs_numbers_are_recognised_by_their_modulus_11_check_digit(number, valid):
    assert nhs_number_valid(number) is valid


def test_a_ten_digit_number_that_fails_the_check_is_not_taken_for_an_nhs_number(detector):
    assert check_pages(["Invoice 9434765918 was paid."], detector) == []


def test_the_checker_lists_each_finding_with_its_page_line_and_context(detector):
    pages = ["Introduction\nAll anonymised.", "Line one\nChild A met Mrs O’Neill at B91 3QT.\nEnd"]
    findings = check_pages(pages, detector)
    assert [(f.kind, f.text, f.page, f.line) for f in findings] == [
        ("name", "Mrs O’Neill", 2, 2),
        ("postcode", "B91 3QT", 2, 2),
    ]
    assert findings[0].detail == "name of Mother"
    assert "Child A met Mrs O’Neill at" in findings[0].snippet
    assert findings[0].place == "page 2, line 2"


def test_the_checker_finds_a_name_broken_over_two_lines(detector):
    findings = check_pages(["seen by Zoë Smith-\nJones today"], detector)
    assert [finding.kind for finding in findings] == ["name"]


def test_markup_in_a_name_does_not_break_matching():
    detector = detector_for([KeyPerson('<script>alert("x")</script> Smith', "Child A")])
    assert anonymise_text('<script>alert("x")</script> Smith was seen', detector) == "Child A was seen"


def test_the_key_fingerprint_changes_when_the_key_does():
    assert key_fingerprint(KEY) == key_fingerprint(list(KEY))
    assert key_fingerprint(KEY) != key_fingerprint([*KEY, KeyPerson("Ola Nowak", "Practitioner 3")])


def test_a_date_of_birth_or_a_street_address_of_someone_not_in_the_key_is_found_by_its_form(detector):
    text = (
        "A neighbour (DOB: 14/07/1988, born on 3rd March 1990) lives at 7 Cherry Tree Close. Seen 19/11/2026."
    )
    assert anonymise_text(text, detector) == (
        "A neighbour (DOB: [date of birth removed], born on [date of birth removed]) "
        "lives at [address removed]. Seen 19/11/2026."
    )
    assert [finding.detail for finding in check_pages([text], detector)] == [
        "a date given as a date of birth",
        "a date given as a date of birth",
        "looks like a street address",
    ]
